"""Provisioning without downloading anything: names, the mirror, apt's private state, patching,
build facts and the report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taskbench import provision
from taskbench.provision import (
    Mirror,
    Outcome,
    PrivateApt,
    ProvisionError,
    Wanted,
    build_facts,
    debian_mirror,
    fetch_debian,
    format_table,
    linked_target,
    newest_pyenv_release,
    parse_name,
    patch_for_private_glibc,
    write_facts,
)


@pytest.mark.parametrize("name, version, family, executable", [
    ("3.8", "3.8", "pyenv", "python3.8"),
    ("3.11-debian", "3.11", "debian", "python3.11-debian"),
    ("3.15-debian", "3.15", "debian", "python3.15-debian"),
    ("3.14t", "3.14", "free-threaded", "python3.14t"),
    ("pypy3.9", "3.9", "pypy", "pypy3.9"),
])
def test_names_follow_one_scheme(name: str, version: str, family: str,
                                 executable: str) -> None:
    wanted = parse_name(name)
    assert (wanted.version, wanted.family, wanted.executable_name) == (
        version, family, executable)


@pytest.mark.parametrize("name", ["3", "python3.8", "3.11-ubuntu", "pypy", "3.11 debian"])
def test_unknown_names_are_refused_with_the_scheme(name: str) -> None:
    with pytest.raises(ValueError, match="3.X-debian"):
        parse_name(name)


DEB822 = """Types: deb
# a comment
URIs: http://mirror.invalid/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security
Components: main
"""


def test_the_mirror_is_read_from_the_machines_own_sources(tmp_path: Path) -> None:
    (tmp_path / "debian.sources").write_text(DEB822)
    mirror = debian_mirror(tmp_path, tmp_path / "absent.list")
    assert mirror == Mirror("http://mirror.invalid/debian",
                            "/usr/share/keyrings/debian-archive-keyring.gpg")


def test_the_mirror_is_read_from_a_one_line_sources_list(tmp_path: Path) -> None:
    listing = tmp_path / "sources.list"
    listing.write_text("# old style\ndeb [arch=amd64 signed-by=/k.gpg] "
                       "http://mirror.invalid/debian bookworm main\n")
    assert debian_mirror(tmp_path, listing) == Mirror("http://mirror.invalid/debian", "/k.gpg")


def test_no_mirror_is_none(tmp_path: Path) -> None:
    assert debian_mirror(tmp_path, tmp_path / "absent.list") is None


def test_private_apt_keeps_every_path_in_its_own_directory(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def record(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    apt = PrivateApt(tmp_path / "apt", Mirror("http://mirror.invalid/debian", "/k.gpg"), "sid",
                     run=record)
    apt.prepare()
    apt.apt_get("update")
    sources = (tmp_path / "apt" / "etc" / "sources.list").read_text()
    assert sources == "deb [signed-by=/k.gpg] http://mirror.invalid/debian sid main\n"
    (args,) = calls
    options = [args[i + 1] for i, arg in enumerate(args) if arg == "-o"]
    paths = [option.split("=", 1)[1] for option in options if option.startswith("Dir::")]
    assert paths and all(path.startswith(str(tmp_path / "apt")) for path in paths)
    joined = " ".join(args) + sources
    assert "trusted=yes" not in joined and "AllowUnauthenticated" not in joined
    assert (tmp_path / "apt" / "state" / "status").read_text() == ""


def test_offline_without_a_cache_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProvisionError, match="not in the cache and --offline"):
        fetch_debian("sid", ["python3.14-minimal"], tmp_path / "root", tmp_path / "apt",
                     offline=True)


def test_a_cached_unpack_is_reused_without_apt(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "sid-root"
    root.mkdir()
    (root / ".packages").write_text("a b\n")
    monkeypatch.setattr(provision, "debian_mirror", lambda: pytest.fail("asked apt"))
    assert fetch_debian("sid", ["b", "a"], root, tmp_path / "apt") == root


def test_patching_points_the_interpreter_at_the_unpacked_glibc(tmp_path: Path) -> None:
    (tmp_path / "usr/lib/x86_64-linux-gnu").mkdir(parents=True)
    loader = tmp_path / "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    loader.touch()
    calls: list[list[str]] = []

    def record(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    patch_for_private_glibc(tmp_path / "usr/bin/python3.14", tmp_path, "patchelf", run=record)
    (args,) = calls
    assert args[args.index("--set-interpreter") + 1] == str(loader)
    assert "--force-rpath" in args
    assert args[args.index("--set-rpath") + 1] == str(tmp_path / "usr/lib/x86_64-linux-gnu")


def test_patching_without_a_loader_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProvisionError, match="no dynamic loader"):
        patch_for_private_glibc(tmp_path / "python", tmp_path, "patchelf")


def test_build_facts_of_this_interpreter() -> None:
    facts = build_facts(Path(sys.executable))
    assert isinstance(facts, dict)
    assert facts["version"] == ".".join(map(str, sys.version_info[:3]))
    assert facts["gil"] in {"GIL", "free-threaded", "free-threaded, GIL on"}
    assert facts["pgo"] in {"yes", "no", "unknown"} and facts["lto"] in {"yes", "no", "unknown"}
    assert facts["c_asyncio"] is True


def test_build_facts_of_a_broken_interpreter_say_why(tmp_path: Path) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'cannot open shared object file' >&2\nexit 127\n")
    broken.chmod(0o755)
    assert build_facts(broken) == "does not run: cannot open shared object file"


def test_provisioning_links_pyenv_and_reports_the_rest(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "pyenv"
    bin_dir = root / "versions" / "3.99.1" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python3.99").symlink_to(sys.executable)
    monkeypatch.setattr(provision, "pyenv_root", lambda: root)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    dest = tmp_path / "bin"
    outcomes = provision.provision(["3.99", "3.98", "3.99t", "3.9x"], dest, tmp_path / "cache",
                                   offline=True)
    by_name = {outcome.name: outcome for outcome in outcomes}
    assert by_name["3.99"].facts
    assert linked_target(dest / "python3.99") == bin_dir / "python3.99"
    assert by_name["3.98"].problem == f"pyenv has no 3.98.x under {root}/versions"
    assert "no free-threaded build" in (by_name["3.99t"].problem or "")
    assert "not a python name" in (by_name["3.9x"].problem or "")
    table = format_table(outcomes)
    assert "3 of 4 configured interpreters are not available" in table
    assert "NOT AVAILABLE: pyenv has no 3.98.x" in table

    facts_file = tmp_path / "facts.jsonl"
    write_facts(facts_file, outcomes)
    (line,) = facts_file.read_text().splitlines()
    assert json.loads(line)["python"] == "3.99"


def test_a_link_to_an_interpreter_that_cannot_start_is_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "python-broken"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    dest = tmp_path / "bin"
    dest.mkdir()

    def fake(wanted: Wanted, dest: Path, root: Path | None) -> Outcome:
        return Outcome(wanted.name, "pyenv", provision.link_executable(dest, wanted, broken))

    monkeypatch.setattr(provision, "provision_pyenv", fake)
    (outcome,) = provision.provision(["3.99"], dest, tmp_path, offline=True)
    assert outcome.problem and "does not run" in outcome.problem
    assert not (dest / "python3.99").exists()


def _executable(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_pyenv_gives_the_newest_patch_release(tmp_path: Path) -> None:
    root = tmp_path / "pyenv"
    for version in ["3.8.9", "3.8.18", "3.9.1", "3.13.0t", "3.13.0", "3.10-dev"]:
        bin_dir = root / "versions" / version / "bin"
        bin_dir.mkdir(parents=True)
        minor = ".".join(version.split(".")[:2]).rstrip("t")
        _executable(bin_dir / f"python{minor}", "exit 0")
    assert newest_pyenv_release(root, "3.8") == root / "versions/3.8.18/bin/python3.8"
    assert newest_pyenv_release(root, "3.13") == root / "versions/3.13.0/bin/python3.13"
    assert newest_pyenv_release(root, "3.10") is None  # only a -dev build
    assert newest_pyenv_release(root, "3.12") is None
    assert newest_pyenv_release(tmp_path / "no-pyenv", "3.8") is None


def test_the_named_executable_reports_the_real_interpreter(tmp_path: Path) -> None:
    # virtualenv builds from the location the interpreter reports (see provision.link_executable).
    odd = tmp_path / "it's here"
    odd.mkdir()
    (odd / "python").symlink_to(sys.executable)
    link = provision.link_executable(tmp_path, parse_name("3.99"), odd / "python")
    assert linked_target(link) == odd / "python"
    reported = subprocess.run([str(link), "-c", "import sys; print(sys.executable)"],
                              capture_output=True, text=True, check=True).stdout.strip()
    assert reported == str(odd / "python")
