"""Gathering interpreters into one folder, with a fake pyenv and nothing downloaded: each
configured name ends as a working executable with its build facts, or as a reason."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_python
from taskbench.interpreters import debian, provision, sources
from taskbench.interpreters.names import SCHEME, parse_name
from taskbench.interpreters.provision import build_facts, format_table, with_facts
from taskbench.interpreters.sources import (
    Outcome,
    from_path,
    from_pyenv,
    link_executable,
    newest_pyenv_release,
)

THIS = f"{sys.version_info[0]}.{sys.version_info[1]}"  # a name this interpreter answers to


def _executable(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _fake_pyenv(root: Path, versions: dict[str, str | None]) -> Path:
    """A pyenv root whose ``versions/X.Y.Z/bin/pythonX.Y`` is this interpreter (None) or a
    shell script with the given body."""
    for version, body in versions.items():
        minor = ".".join(version.split(".")[:2])
        executable = root / "versions" / version / "bin" / f"python{minor}"
        if body is None:
            executable.parent.mkdir(parents=True)
            executable.symlink_to(sys.executable)
        else:
            _executable(executable, body)
    return root


def _reported_executable(executable: Path) -> str:
    return subprocess.run([str(executable), "-c", "import sys; print(sys.executable)"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()


# Build facts -----------------------------------------------------------------------------------

def test_build_facts_of_this_interpreter() -> None:
    facts = build_facts(Path(sys.executable))
    assert isinstance(facts, dict)
    assert facts["version"] == platform.python_version()
    assert facts["implementation"] == platform.python_implementation()
    assert facts["executable"] == sys.executable
    assert facts["gil"] in {"GIL", "free-threaded", "free-threaded, GIL on"}
    assert facts["pgo"] in {"yes", "no", "unknown"} and facts["lto"] in {"yes", "no", "unknown"}
    assert facts["c_asyncio"] is True
    # The CPU clock the figures read, its tick observed (nanoseconds to microseconds here),
    # from a probe run as a script by an interpreter that has no taskbench installed.
    assert facts["clock"].startswith("process_time, tick ") and 0 < facts[
        "clock_tick_seconds"] < 1e-4


def test_build_facts_of_a_broken_interpreter_say_why(tmp_path: Path) -> None:
    broken = _executable(tmp_path / "python", "echo 'starting' >&2\n"
                                              "echo 'cannot open shared object file' >&2\n"
                                              "exit 127")
    assert build_facts(broken) == "does not run: cannot open shared object file"


@pytest.mark.parametrize("body, reason", [
    ("exit 3", "does not run: exit status 3"),
    ("echo 'hello'", "printed no build facts: 'hello'"),
    ("echo '[1, 2]'", "printed no build facts"),
])
def test_build_facts_of_an_interpreter_that_prints_no_facts_say_why(
        tmp_path: Path, body: str, reason: str) -> None:
    assert build_facts(_executable(tmp_path / "python", body)) == reason


def test_build_facts_of_something_that_cannot_start_say_why(tmp_path: Path) -> None:
    not_executable = tmp_path / "python"
    not_executable.write_text("#!/bin/sh\n")
    for executable in [not_executable, tmp_path / "absent"]:
        facts = build_facts(executable)
        assert isinstance(facts, str) and facts.startswith("did not start: ")


def test_debian_builds_are_recorded_with_debians_pgo_and_lto(tmp_path: Path) -> None:
    link = link_executable(tmp_path, parse_name("3.99-debian"), Path(sys.executable))
    outcome = with_facts(Outcome("3.99-debian", "Debian (system package)", link), "debian")
    assert outcome.problem is None and outcome.facts is not None
    assert outcome.facts["pgo"] == outcome.facts["lto"] == "yes (Debian's packaging)"
    assert outcome.facts["source"] == "Debian (system package)"
    assert outcome.facts["recorded_at"]
    assert "PGO LTO" in format_table([outcome])


# pyenv -----------------------------------------------------------------------------------------

def test_pyenv_gives_the_newest_patch_release(tmp_path: Path) -> None:
    root = _fake_pyenv(tmp_path / "pyenv", {
        version: "exit 0" for version in
        ["3.8.9", "3.8.18", "3.8.2", "3.9.1", "3.13.0", "3.13.5t", "3.10-dev", "3.11.1rc1"]})
    # 3.13.9 is a folder without its executable: not an install.
    (root / "versions" / "3.13.9" / "bin").mkdir(parents=True)
    assert newest_pyenv_release(root, "3.8") == root / "versions/3.8.18/bin/python3.8"
    assert newest_pyenv_release(root, "3.13") == root / "versions/3.13.0/bin/python3.13"
    assert newest_pyenv_release(root, "3.10") is None  # only a -dev build
    assert newest_pyenv_release(root, "3.11") is None  # only a release candidate
    assert newest_pyenv_release(root, "3.12") is None
    assert newest_pyenv_release(tmp_path / "no-pyenv", "3.8") is None


def test_pyenv_root_comes_from_pyenv_root_first(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    assert sources.pyenv_root() == tmp_path / "pyenv"
    monkeypatch.delenv("PYENV_ROOT")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert sources.pyenv_root() is None


def test_from_pyenv_without_the_version_says_how_to_get_it(tmp_path: Path) -> None:
    root = _fake_pyenv(tmp_path / "pyenv", {"3.8.1": "exit 0"})
    outcome = from_pyenv(parse_name("3.98"), tmp_path / "bin", root)
    assert outcome.executable is None
    assert outcome.problem == (f"pyenv has no 3.98.x under {root}/versions "
                               "(`pyenv install 3.98` adds it)")
    assert from_pyenv(parse_name("3.98"), tmp_path, None).problem == "pyenv is not installed"


# The named executables -------------------------------------------------------------------------

def test_the_named_executable_is_a_script_that_reports_the_real_interpreter(
        tmp_path: Path) -> None:
    # virtualenv builds from the location the interpreter reports (see link_executable).
    odd = tmp_path / "it's \"here\" $HOME"
    odd.mkdir()
    (odd / "python").symlink_to(sys.executable)
    dest = tmp_path / "bin"
    dest.mkdir()
    link = link_executable(dest, parse_name("3.99"), odd / "python")
    assert link == dest / "python3.99"
    assert link.is_file() and not link.is_symlink()
    assert os.access(link, os.X_OK)
    assert link.read_text().startswith("#!/bin/sh\n")
    assert _reported_executable(link) == str(odd / "python")
    arguments = subprocess.run([str(link), "-c", "import sys; print(sys.argv[1:])", "a b", "'"],
                               capture_output=True, text=True, check=True).stdout.strip()
    assert arguments == repr(["a b", "'"])


def test_an_old_symlink_is_replaced_and_its_target_left_alone(tmp_path: Path) -> None:
    old_target = _executable(tmp_path / "old-python", "exit 0")
    before = old_target.read_bytes()
    dest = tmp_path / "bin"
    dest.mkdir()
    (dest / "python3.99").symlink_to(old_target)
    link = link_executable(dest, parse_name("3.99"), Path(sys.executable))
    assert not link.is_symlink()
    assert old_target.read_bytes() == before
    assert _reported_executable(link) == sys.executable


def test_a_free_threaded_build_is_found_on_path_outside_dest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest, elsewhere = tmp_path / "bin", tmp_path / "elsewhere"
    # A stale link in dest must not be found: it would run itself.
    _executable(dest / "python3.99t", "exit 9")
    real = _executable(elsewhere / "python3.99t", "exit 0")
    monkeypatch.setenv("PATH", os.pathsep.join([str(dest), str(elsewhere)]))
    outcome = from_path(parse_name("3.99t"), dest)
    assert (outcome.source, outcome.executable, outcome.problem) == (
        "PATH", dest / "python3.99t", None)
    assert f"exec '{real}'" in (dest / "python3.99t").read_text()

    monkeypatch.setenv("PATH", str(dest))
    missing = from_path(parse_name("3.99t"), dest)
    assert missing.executable is None
    assert missing.problem and "no python3.99t on this machine" in missing.problem


# provision() -----------------------------------------------------------------------------------

def test_provisioning_links_pyenv_and_reports_the_rest(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = _fake_pyenv(tmp_path / "pyenv", {f"{THIS}.1": None, f"{THIS}.0": "exit 1"})
    monkeypatch.setattr(sources, "pyenv_root", lambda: root)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    dest = tmp_path / "bin"
    outcomes = provision.provision([THIS, "3.98", "3.99t", "3.9x"], dest, tmp_path / "cache",
                                   offline=True)
    assert [outcome.name for outcome in outcomes] == [THIS, "3.98", "3.99t", "3.9x"]
    found, no_release, no_build, unknown = outcomes

    assert found.problem is None and found.facts is not None
    assert found.facts["version"] == platform.python_version()
    assert found.facts["source"] == "pyenv" and found.facts["recorded_at"]
    assert _reported_executable(dest / f"python{THIS}") == str(
        root / "versions" / f"{THIS}.1" / "bin" / f"python{THIS}")

    assert no_release.problem == (f"pyenv has no 3.98.x under {root}/versions "
                                  "(`pyenv install 3.98` adds it)")
    assert no_build.problem and "no python3.99t on this machine" in no_build.problem
    assert unknown.problem and "'3.9x'" in unknown.problem and SCHEME in unknown.problem
    assert sorted(path.name for path in dest.iterdir()) == [f"python{THIS}"]

    table = format_table(outcomes)
    assert "3 of 4 configured interpreters are not available and will have no results: " \
           "3.98, 3.99t, 3.9x." in table
    assert "NOT AVAILABLE: pyenv has no 3.98.x" in table
    row = next(line for line in table.splitlines() if line.startswith(f"{THIS} "))
    assert platform.python_version() in row and row.endswith(" ok")


def test_a_link_to_an_interpreter_that_cannot_start_is_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _fake_pyenv(tmp_path / "pyenv", {"3.99.1": "echo 'libpython3.99.so: not found' >&2\n"
                                                      "exit 127"})
    monkeypatch.setattr(sources, "pyenv_root", lambda: root)
    dest = tmp_path / "bin"
    (outcome,) = provision.provision(["3.99"], dest, tmp_path / "cache", offline=True)
    assert outcome.facts is None
    assert outcome.problem == (f"{dest / 'python3.99'} does not run: "
                               "libpython3.99.so: not found")
    assert not (dest / "python3.99").exists()


def test_a_stale_link_for_a_name_no_longer_available_is_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "pyenv_root", lambda: tmp_path / "empty-pyenv")
    dest = tmp_path / "bin"
    link_executable(dest, parse_name("3.99"), Path(sys.executable))  # from an earlier run
    (outcome,) = provision.provision(["3.99"], dest, tmp_path / "cache", offline=True)
    assert outcome.problem and "pyenv has no 3.99.x" in outcome.problem
    assert not (dest / "python3.99").exists()


def test_names_the_machine_lacks_each_get_a_reason_offline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "pyenv_root", lambda: None)
    monkeypatch.setattr(debian, "patchelf", lambda: "/usr/bin/patchelf")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    names = ["3.99", "3.99-debian", "pypy3.99", "3.99t"]
    outcomes = provision.provision(names, tmp_path / "bin", tmp_path / "cache", offline=True)
    assert [outcome.name for outcome in outcomes] == names
    assert all(outcome.problem and outcome.executable is None for outcome in outcomes)
    assert outcomes[0].problem == "pyenv is not installed"
    offline = "(sid) are not in the cache and --offline was given"
    assert outcomes[1].problem == ("libpython3.99-minimal libpython3.99-stdlib "
                                   f"python3.99-minimal {offline}")
    assert (outcomes[2].problem or "").endswith(f"; pypy3 pypy3-lib {offline}")
    assert "no python3.99t on this machine" in (outcomes[3].problem or "")
    assert not list((tmp_path / "bin").iterdir())


# The table -------------------------------------------------------------------------------------

def test_the_table_says_when_everything_is_available() -> None:
    outcomes = [Outcome(name, "pyenv", Path(f"/x/python{name}"), None,
                        {"version": f"{name}.1", "optimisation": "-O3", "pgo": "no",
                         "lto": "no", "jit": "n/a"}) for name in ["3.8", "3.9"]]
    table = format_table(outcomes)
    assert table.splitlines()[-1] == "All 2 configured interpreters are available."
    assert "not available" not in table and "NOT AVAILABLE" not in table
    assert [line.split()[:3] for line in table.splitlines()[1:3]] == [
        ["3.8", "3.8.1", "-O3"], ["3.9", "3.9.1", "-O3"]]


def test_the_table_shows_the_build_from_the_facts() -> None:
    jit = Outcome("3.14-debian", "Debian", Path("/x"), None,
                  {"version": "3.14.0", "optimisation": "-O2", "pgo": "yes (Debian's packaging)",
                   "lto": "yes", "jit": "available, off"})
    row = format_table([jit]).splitlines()[1]
    assert "-O2 PGO LTO JIT" in row


# The command -----------------------------------------------------------------------------------

def _command(tmp_path: Path, pythons: object, pyenv: Path) -> tuple[int, str, str]:
    config = tmp_path / "asv.conf.json"
    config.write_text(json.dumps({"pythons": pythons}))
    result = run_python("-m", "taskbench.interpreters", "--config", str(config),
                        "--dest", str(tmp_path / "bin"), "--cache", str(tmp_path / "cache"),
                        "--offline", cwd=tmp_path, env={"PYENV_ROOT": str(pyenv)}, timeout=120)
    return result.returncode, result.stdout, result.stderr


def test_the_command_exits_0_when_an_interpreter_is_available(tmp_path: Path) -> None:
    pyenv = _fake_pyenv(tmp_path / "pyenv", {f"{THIS}.2": None})
    status, out, err = _command(tmp_path, [THIS, "3.98"], pyenv)
    assert status == 0, err
    assert "1 of 2 configured interpreters are not available and will have no results: 3.98." \
        in out
    assert (tmp_path / "bin" / f"python{THIS}").is_file()


def test_the_command_exits_1_with_reasons_when_none_is_available(tmp_path: Path) -> None:
    names = ["3.99", "3.99-debian", "pypy3.99", "3.99t", "3.9x"]
    status, out, err = _command(tmp_path, names, tmp_path / "empty-pyenv")
    assert status == 1
    assert "Traceback" not in err + out
    rows = {line.split()[0]: line for line in out.splitlines()[1:-1]}
    assert set(rows) == set(names)
    assert all("NOT AVAILABLE: " in row for row in rows.values())
    assert out.splitlines()[-1] == ("5 of 5 configured interpreters are not available and will "
                                    f"have no results: {', '.join(names)}.")


@pytest.mark.parametrize("pythons, message", [
    ([], "'pythons' in asv.conf.json is empty"),
    ([3.8], "'pythons' in asv.conf.json must be a list of names"),
])
def test_the_command_exits_2_for_an_unusable_config(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], pythons: object,
        message: str) -> None:
    config = tmp_path / "asv.conf.json"
    config.write_text(json.dumps({"pythons": pythons}))
    assert provision.main(["--config", str(config), "--dest", str(tmp_path / "bin"),
                           "--cache", str(tmp_path / "cache"), "--offline"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: {message}")
    assert captured.out == ""
    assert not (tmp_path / "bin").exists()


def test_the_command_exits_2_for_a_missing_config(tmp_path: Path) -> None:
    result = run_python("-m", "taskbench.interpreters", "--config", str(tmp_path / "nope.json"),
                        "--dest", str(tmp_path / "bin"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: cannot read {tmp_path / 'nope.json'}")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "bin").exists()


# What the cache holds is checked -------------------------------------------------------------

SID_PACKAGES = "libpython3.99-minimal libpython3.99-stdlib python3.99-minimal"
SID_DEBS = ["libc6_2.41-1_amd64.deb", "libpython3.99-minimal_3.99.1-1_amd64.deb",
            "libpython3.99-stdlib_3.99.1-1_amd64.deb", "python3.99-minimal_3.99.1-1_amd64.deb"]


def _cached_sid(cache: Path, body: str | None) -> Path:
    """A cache in which Debian sid's 3.99 was unpacked: its executable is this interpreter
    (None) or a script with ``body``; the loader a file, patched by a patchelf that does
    nothing."""
    root = cache / "sid-root"
    if body is None:
        _executable(root / "usr" / "bin" / "python3.99", f'exec "{sys.executable}" "$@"')
    else:
        _executable(root / "usr" / "bin" / "python3.99", body)
    (root / "lib64").mkdir()
    (root / "lib64" / "ld-linux-x86-64.so.2").write_text("")
    (root / ".packages").write_text(f"pypy3 pypy3-lib\n{SID_PACKAGES}\n")
    (root / ".unpacked").write_text("".join(f"{deb}\n" for deb in SID_DEBS))
    return root


@pytest.fixture
def sid(monkeypatch: pytest.MonkeyPatch) -> None:
    """No system 3.99, and a patchelf that changes nothing."""
    monkeypatch.setattr(debian, "patchelf", lambda: "/bin/true")
    monkeypatch.setattr(sources, "_is_debian_package", lambda path: False)


def test_an_interpreter_that_reports_another_version_is_refused(tmp_path: Path) -> None:
    """pyenv's 3.99 folder holding this interpreter (say 3.11) is not 3.99."""
    root = _fake_pyenv(tmp_path / "pyenv", {"3.99.1": None})
    dest = tmp_path / "bin"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sources, "pyenv_root", lambda: root)
        (outcome,) = provision.provision(["3.99"], dest, tmp_path / "cache", offline=True)
    assert outcome.facts is None
    assert outcome.problem == (f"{dest / 'python3.99'} reports CPython "
                               f"{platform.python_version()}, not 3.99")
    assert not (dest / "python3.99").exists()
    assert " ok" not in format_table([outcome])


def test_a_cached_interpreter_of_another_version_is_refused_and_fetched_again(
        tmp_path: Path, sid: None) -> None:
    cache = tmp_path / "cache"
    root = _cached_sid(cache, None)
    (outcome,) = provision.provision(["3.99-debian"], tmp_path / "bin", cache, offline=True)
    assert outcome.facts is None and outcome.problem is not None
    assert f"reports CPython {platform.python_version()}, not 3.99" in outcome.problem
    assert (f"its cached copy in {root} was cleared: the next `make pythons` downloads and "
            "unpacks it again") in outcome.problem
    # The entry is gone from the cache's records; pypy's, and glibc's unpacking, stay.
    assert (root / ".packages").read_text() == "pypy3 pypy3-lib\n"
    assert (root / ".unpacked").read_text() == "libc6_2.41-1_amd64.deb\n"
    (again,) = provision.provision(["3.99-debian"], tmp_path / "bin", cache, offline=True)
    assert again.problem == f"{SID_PACKAGES} (sid) are not in the cache and --offline was given"


def test_a_corrupted_cached_interpreter_is_fetched_again_with_a_hint(
        tmp_path: Path, sid: None) -> None:
    cache = tmp_path / "cache"
    root = _cached_sid(cache, "echo 'python3.99: Exec format error' >&2\nexit 126")
    (outcome,) = provision.provision(["3.99-debian"], tmp_path / "bin", cache, offline=True)
    assert outcome.problem is not None
    assert outcome.problem.startswith(f"{tmp_path / 'bin' / 'python3.99-debian'} does not run: "
                                      "python3.99: Exec format error; its cached copy in ")
    assert "the next `make pythons` downloads and unpacks it again" in outcome.problem
    assert SID_PACKAGES not in (root / ".packages").read_text()


def test_a_cache_that_cannot_be_cleared_says_what_to_delete(tmp_path: Path, sid: None) -> None:
    root = _cached_sid(tmp_path / "cache", "exit 1")
    (root / ".unpacked").unlink()
    (root / ".unpacked").mkdir()  # a real OS error when the record is cleared
    (outcome,) = provision.provision(["3.99-debian"], tmp_path / "bin", tmp_path / "cache",
                                     offline=True)
    assert outcome.problem is not None
    assert (f"its cached copy in {root} could not be cleared ({root / '.unpacked'}: "
            f"Is a directory): delete {root}, and the next `make pythons` downloads it "
            "again") in outcome.problem


# OS errors are lines naming the path -----------------------------------------------------------

def test_a_file_where_the_destination_folder_should_be_is_named(tmp_path: Path) -> None:
    pyenv = _fake_pyenv(tmp_path / "pyenv", {"3.99.2": None})
    (tmp_path / "bin").write_text("a file, not a folder")
    config = tmp_path / "asv.conf.json"
    config.write_text(json.dumps({"pythons": ["3.99"]}))
    result = run_python("-m", "taskbench.interpreters", "--config", str(config),
                        "--dest", str(tmp_path / "bin" / "sub"), "--cache",
                        str(tmp_path / "cache"), "--offline", cwd=tmp_path,
                        env={"PYENV_ROOT": str(pyenv)}, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"NOT AVAILABLE: {tmp_path / 'bin' / 'sub'}: " in result.stdout


def test_a_file_where_the_cache_should_be_is_named(tmp_path: Path, sid: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cache").write_text("a file, not a folder")
    monkeypatch.setattr(debian, "debian_mirror", lambda: debian.Mirror("http://x.invalid/debian",
                                                                        "/k.gpg"))
    monkeypatch.setattr(debian.shutil, "which", lambda name: f"/usr/bin/{name}")
    (outcome,) = provision.provision(["3.99-debian"], tmp_path / "bin", tmp_path / "cache")
    assert outcome.problem is not None
    assert outcome.problem.startswith(f"{tmp_path / 'cache'}")
    assert "Not a directory" in outcome.problem


@pytest.mark.parametrize("error", [
    PermissionError(13, "Permission denied"), OSError(30, "Read-only file system")])
def test_a_destination_that_cannot_be_written_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    root = _fake_pyenv(tmp_path / "pyenv", {"3.99.1": "exit 0"})
    monkeypatch.setattr(sources, "pyenv_root", lambda: root)
    dest = tmp_path / "bin"

    def fails(path: Path, text: str, **options: object) -> None:
        raise type(error)(error.errno, error.strerror, str(path.parent / f".{path.name}.x.tmp"))

    monkeypatch.setattr(sources.files, "write_text", fails)
    (outcome,) = provision.provision(["3.99"], dest, tmp_path / "cache", offline=True)
    assert outcome.problem == (f"cannot write {dest / 'python3.99'}: {error.strerror} (make "
                               f"{dest} writable, or give another --dest)")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_destination_is_a_line_not_a_traceback(tmp_path: Path) -> None:
    pyenv = _fake_pyenv(tmp_path / "pyenv", {"3.99.2": None})
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin").chmod(0o555)
    try:
        status, out, err = _command(tmp_path, ["3.99"], pyenv)
    finally:
        (tmp_path / "bin").chmod(0o755)
    assert status == 1 and "Traceback" not in err + out
    assert f"cannot write {tmp_path / 'bin' / 'python3.99'}: Permission denied" in out


def test_an_unchanged_executable_is_not_written_again(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """So that a read-only .pythons/bin that is up to date still serves."""
    dest = tmp_path / "bin"
    dest.mkdir()
    first = link_executable(dest, parse_name("3.99"), Path(sys.executable))

    def fails(*args: object, **options: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources.files, "write_text", fails)
    assert link_executable(dest, parse_name("3.99"), Path(sys.executable)) == first
