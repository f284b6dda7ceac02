"""taskbench.files: a write lands whole or not at all, even under a file-size limit or a kill.

The file-size limit (``ulimit -f``, here ``resource.setrlimit(RLIMIT_FSIZE)``) and the kill
happen in a child Python process, so that the test process itself is never limited or killed.
"""

from __future__ import annotations

import json
import os
import select
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from taskbench import files

OLD = json.dumps({"committed": True, "values": list(range(50))}).encode()
LARGE = 1 << 20  # bytes the child tries to write: far over the limit it is given
LIMIT = 4096  # bytes the child may write to any one file


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_bytes_replaces_the_old_bytes_with_the_new(tmp_path: Path) -> None:
    target = tmp_path / "results.json"
    target.write_bytes(OLD)

    files.write_bytes(target, b"new bytes\x00\xff")

    assert target.read_bytes() == b"new bytes\x00\xff"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_write_text_writes_utf8_and_creates_the_folders(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "page.html"

    files.write_text(target, "déjà vu — 3.13t\n")

    assert target.read_bytes() == "déjà vu — 3.13t\n".encode()


def test_the_default_mode_is_0644_whatever_the_umask(tmp_path: Path) -> None:
    # mkstemp creates its file 0600; without the chmod every written file would be private.
    previous = os.umask(0o077)
    try:
        files.write_bytes(tmp_path / "default", b"x")
        files.write_text(tmp_path / "script", "#!/bin/sh\n", mode=0o755)
        files.write_bytes(tmp_path / "secret", b"x", mode=0o600)
    finally:
        os.umask(previous)

    assert _mode(tmp_path / "default") == 0o644
    assert _mode(tmp_path / "script") == 0o755
    assert _mode(tmp_path / "secret") == 0o600


def test_a_new_mode_applies_to_a_replaced_file(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_bytes(b"old")
    target.chmod(0o600)

    files.write_bytes(target, b"new", mode=0o750)

    assert target.read_bytes() == b"new" and _mode(target) == 0o750


def test_copy_keeps_bytes_mode_and_times(tmp_path: Path) -> None:
    source, target = tmp_path / "source.json", tmp_path / "out" / "target.json"
    source.write_bytes(b'{"new": 1}')
    source.chmod(0o640)
    os.utime(source, ns=(1_000_000_000_000_000_000, 1_100_000_000_000_000_000))
    target.parent.mkdir()
    target.write_bytes(OLD)

    files.copy(source, target)

    assert target.read_bytes() == b'{"new": 1}'
    assert _mode(target) == 0o640
    assert target.stat().st_mtime_ns == source.stat().st_mtime_ns
    assert _temporaries(target.parent) == []


def test_a_symbolic_link_at_the_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_bytes(OLD)
    inside = tmp_path / "repo"
    inside.mkdir()
    (inside / "link.json").symlink_to(outside)

    files.write_bytes(inside / "link.json", b"new")

    assert outside.read_bytes() == OLD
    assert not (inside / "link.json").is_symlink()
    assert (inside / "link.json").read_bytes() == b"new"


def test_a_failed_rename_removes_the_temporary_file_and_keeps_the_old(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "results.json"
    target.write_bytes(OLD)

    def refuse(source: object, destination: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        files.write_bytes(target, b"new")
    with pytest.raises(OSError, match="No space left"):
        files.copy(target, tmp_path / "copy.json")

    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_a_folder_in_the_way_leaves_no_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()

    with pytest.raises(OSError):
        files.write_bytes(tmp_path / "taken", b"new")

    assert _temporaries(tmp_path) == []
    assert (tmp_path / "taken").is_dir()


# The child sets the limit only after its imports, so that writing bytecode cannot trip it,
# and ignores SIGXFSZ, whose default action would kill it instead of failing the write.
LIMITED_CHILD = textwrap.dedent("""
    import errno, resource, signal, sys
    from pathlib import Path
    from taskbench import files

    how, target, large = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
    resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, hard))
    try:
        if how == "write_bytes":
            files.write_bytes(target, bytes({large}))
        else:
            files.copy(large, target)
    except OSError as error:
        print("refused", errno.errorcode.get(error.errno, error.errno))
        sys.exit(0)
    print("written")
""").format(limit=LIMIT, large=LARGE)


@pytest.mark.parametrize("how", ["write_bytes", "copy"])
def test_a_file_size_limit_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                                 how: str) -> None:
    folder = tmp_path / "results"
    folder.mkdir()
    target = folder / "results.json"
    target.write_bytes(OLD)
    large = tmp_path / "large.bin"  # the copy's source, written here without a limit
    large.write_bytes(bytes(LARGE))

    child = subprocess.run([sys.executable, "-c", LIMITED_CHILD, how, str(target), str(large)],
                           capture_output=True, text=True, timeout=60, check=False)

    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["refused", "EFBIG"]
    assert target.read_bytes() == OLD
    assert json.loads(target.read_bytes()) == json.loads(OLD)
    assert sorted(p.name for p in folder.iterdir()) == ["results.json"]


# The child's fsync does the real fsync, tells the parent through a pipe that the new bytes
# are on disk in the temporary file, then blocks on a pipe nobody writes to: the parent kills
# it there, the moment before the rename, without having to guess a delay.
KILLED_CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from taskbench import files

    how, target, ready = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    real_fsync = os.fsync
    never, _ = os.pipe()

    def fsync_then_wait(fd):
        real_fsync(fd)
        os.write(ready, b"1")
        os.read(never, 1)

    os.fsync = fsync_then_wait
    if how == "write_bytes":
        files.write_bytes(target, b'{"new": true}')
    else:
        source = target.with_name("source.json")
        files.copy(source, target)
""")


@pytest.mark.parametrize("how", ["write_bytes", "copy"])
def test_a_kill_midway_leaves_the_old_file_whole(tmp_path: Path, how: str) -> None:
    target = tmp_path / "results.json"
    target.write_bytes(OLD)
    (tmp_path / "source.json").write_bytes(b'{"new": true}')
    read_end, write_end = os.pipe()
    child = subprocess.Popen([sys.executable, "-c", KILLED_CHILD, how, str(target),
                              str(write_end)], pass_fds=(write_end,))
    os.close(write_end)
    try:
        ready, _, _ = select.select([read_end], [], [], 60)  # a bound, not a delay
        assert ready and os.read(read_end, 1) == b"1", "the child never reached fsync"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        os.close(read_end)
        if child.poll() is None:
            child.kill()
            child.wait()

    assert target.read_bytes() == OLD
    assert json.loads(target.read_bytes()) == json.loads(OLD)
    # SIGKILL cannot be caught, so the cleanup in files.py never runs and the temporary file
    # stays. It is harmless: a hidden ``.results.json.*.tmp`` that no reader opens (asv and
    # taskbench read ``*.json``, never ``*.tmp``), with a unique name the next write does not
    # reuse; the target itself was never opened for writing.
    strays = _temporaries(tmp_path)
    assert len(strays) == 1 and strays[0].startswith(".results.json.")
    assert (tmp_path / strays[0]).read_bytes() == b'{"new": true}'

    files.write_bytes(target, b'{"next": true}')
    assert target.read_bytes() == b'{"next": true}'
