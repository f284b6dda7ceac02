"""Debian's archive through a private apt, without apt, dpkg or the network: every command is
recorded by a fake runner, and the machine's own apt setup is never read."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Sequence

import pytest

from taskbench.interpreters import debian
from taskbench.interpreters.debian import (
    DEFAULT_KEYRING,
    Mirror,
    PrivateApt,
    ProvisionError,
    debian_mirror,
    fetch,
    patch_for_private_glibc,
    system_suite,
)

MIRROR = Mirror("http://mirror.invalid/debian", "/k.gpg")


class Recorder:
    """A stand-in for ``subprocess.run``: records each command, answers with ``status``."""

    def __init__(self, status: int = 0, stderr: str = "") -> None:
        self.calls: list[list[str]] = []
        self.kwargs: list[dict[str, Any]] = []
        self.status = status
        self.stderr = stderr

    def __call__(self, args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(args))
        self.kwargs.append(kwargs)
        return subprocess.CompletedProcess(args, self.status, "", self.stderr)


def _options(args: Sequence[str]) -> dict[str, str]:
    """apt's ``-o Key=value`` options of one command."""
    pairs = [args[i + 1] for i, arg in enumerate(args) if arg == "-o"]
    return dict(pair.split("=", 1) for pair in pairs)


# The mirror ------------------------------------------------------------------------------------

DEB822 = """Types: deb
URIs: http://mirror.invalid/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://mirror.invalid/debian
Suites: bookworm
Components: main

types: deb
# a comment: with a colon
uris: http://mirror.invalid/debian/
suites: bookworm bookworm-updates
components: main
signed-by: /usr/share/keyrings/mirror.gpg
"""


def test_the_mirror_is_read_from_deb822_sources(tmp_path: Path) -> None:
    (tmp_path / "a-docker.sources").write_text(
        "Types: deb\nURIs: https://download.invalid/linux/ubuntu\nSuites: noble\n")
    (tmp_path / "debian.sources").write_text(DEB822)
    (tmp_path / "ignored.list").write_text("deb http://other.invalid/debian sid main\n")
    mirror = debian_mirror(tmp_path, tmp_path / "absent.list")
    assert mirror == Mirror("http://mirror.invalid/debian/", "/usr/share/keyrings/mirror.gpg")


def test_deb822_without_signed_by_uses_debians_keyring(tmp_path: Path) -> None:
    (tmp_path / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm\n")
    assert debian_mirror(tmp_path, tmp_path / "absent.list") == Mirror(
        "http://mirror.invalid/debian", DEFAULT_KEYRING)


def test_an_embedded_signed_by_key_is_not_taken_for_a_keyring_path(tmp_path: Path) -> None:
    (tmp_path / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.invalid/debian\nSuites: bookworm\n"
        "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mQINBGPL0BUBEADmW5NdOOHwPIJ\n"
        " -----END PGP PUBLIC KEY BLOCK-----\n")
    mirror = debian_mirror(tmp_path, tmp_path / "absent.list")
    assert mirror is not None and mirror.keyring.strip()


def test_the_mirror_is_read_from_a_one_line_sources_list(tmp_path: Path) -> None:
    listing = tmp_path / "sources.list"
    listing.write_text("# old style\n"
                       "deb http://mirror.invalid/debian-security bookworm-security main\n"
                       "deb-src http://src.invalid/debian bookworm main\n"
                       "deb [arch=amd64 signed-by=/k.gpg] http://mirror.invalid/debian/ "
                       "bookworm main\n")
    assert debian_mirror(tmp_path / "no-parts", listing) == MIRROR


def test_a_one_line_source_without_signed_by_uses_debians_keyring(tmp_path: Path) -> None:
    listing = tmp_path / "sources.list"
    listing.write_text("deb http://mirror.invalid/debian bookworm main\n")
    assert debian_mirror(tmp_path, listing) == Mirror("http://mirror.invalid/debian",
                                                      DEFAULT_KEYRING)


def test_a_machine_without_a_debian_mirror_has_none(tmp_path: Path) -> None:
    (tmp_path / "ubuntu.sources").write_text(
        "Types: deb\nURIs: http://archive.ubuntu.com/ubuntu\nSuites: noble\n")
    listing = tmp_path / "sources.list"
    listing.write_text("deb http://archive.ubuntu.com/ubuntu noble main\n")
    assert debian_mirror(tmp_path, listing) is None
    assert debian_mirror(tmp_path / "absent", tmp_path / "absent.list") is None


# The system's suite ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, suite", [
    ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
     "bookworm"),
    ('VERSION_CODENAME="trixie"\n', "trixie"),
    ('NAME="Debian GNU/Linux"\n', "stable"),
    ("VERSION_CODENAME=\n", "stable"),
])
def test_the_system_suite_comes_from_os_release(tmp_path: Path, text: str, suite: str) -> None:
    os_release = tmp_path / "os-release"
    os_release.write_text(text)
    assert system_suite(os_release) == suite


def test_without_os_release_the_suite_is_stable(tmp_path: Path) -> None:
    assert system_suite(tmp_path / "absent") == "stable"


# The private apt -------------------------------------------------------------------------------

def test_private_apt_keeps_every_path_under_its_root(tmp_path: Path) -> None:
    root = tmp_path / "apt"
    run = Recorder()
    apt = PrivateApt(root, MIRROR, "sid", run=run)
    apt.prepare()
    apt.apt_get("update")
    sources = (root / "etc" / "sources.list").read_text()
    assert sources == "deb [signed-by=/k.gpg] http://mirror.invalid/debian sid main\n"
    assert (root / "state" / "status").read_text() == ""
    (args,) = run.calls
    assert args[0] == "apt-get" and args[-1] == "update"
    paths = {key: value for key, value in _options(args).items() if key.startswith("Dir::")}
    assert {"Dir::State", "Dir::State::status", "Dir::Cache", "Dir::Etc::SourceList",
            "Dir::Etc::SourceParts"} <= set(paths)
    for value in paths.values():
        assert root in Path(value).parents
    assert Path(run.kwargs[0]["cwd"]) == root / "debs"
    assert (root / "debs").is_dir()


def test_private_apt_never_trusts_an_unsigned_archive(tmp_path: Path) -> None:
    run = Recorder()
    apt = PrivateApt(tmp_path / "apt", MIRROR, "sid", run=run)
    apt.prepare()
    apt.apt_get("update")
    apt.apt_get("install", "--download-only", "--yes", "python3.14-minimal")
    written = "".join(p.read_text() for p in (tmp_path / "apt").rglob("*") if p.is_file())
    everything = (" ".join(" ".join(call) for call in run.calls) + written).lower()
    for unsafe in ["trusted=yes", "allowunauthenticated", "allow-unauthenticated",
                   "allowinsecurerepositories", "allow-insecure"]:
        assert unsafe not in everything


# fetch -----------------------------------------------------------------------------------------

def test_offline_without_a_cache_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(debian, "debian_mirror", lambda: pytest.fail("asked for a mirror"))
    with pytest.raises(ProvisionError, match=r"python3\.14-minimal \(sid\) are not in the cache "
                                             r"and --offline was given"):
        fetch("sid", ["python3.14-minimal"], tmp_path / "root", tmp_path / "apt", offline=True)
    assert not (tmp_path / "root").exists() and not (tmp_path / "apt").exists()


@pytest.mark.parametrize("offline", [False, True])
def test_a_cached_unpack_is_reused_without_apt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               offline: bool) -> None:
    root = tmp_path / "sid-root"
    root.mkdir()
    (root / ".packages").write_text("other\na b\n")
    monkeypatch.setattr(debian, "debian_mirror", lambda: pytest.fail("asked for a mirror"))
    monkeypatch.setattr(debian, "PrivateApt", lambda *a, **k: pytest.fail("ran apt"))
    assert fetch("sid", ["b", "a"], root, tmp_path / "apt", offline=offline) == root
    assert not (tmp_path / "apt").exists()


def test_a_different_package_set_is_not_taken_from_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "sid-root"
    root.mkdir()
    (root / ".packages").write_text("a b\n")
    with pytest.raises(ProvisionError, match="not in the cache"):
        fetch("sid", ["a"], root, tmp_path / "apt", offline=True)


class FakeArchive:
    """apt-get and dpkg-deb for :func:`fetch`: each download adds one .deb per package."""

    def __init__(self, update_status: int = 0) -> None:
        self.update_status = update_status
        self.commands: list[list[str]] = []
        self.unpacked: list[str] = []

    def run(self, args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.commands.append(list(args))
        if args[-1] == "update":
            return subprocess.CompletedProcess(args, self.update_status, "",
                                               "E: Could not resolve 'mirror.invalid'\n")
        command = "install" if "install" in args else "download"
        packages = [arg for arg in args[args.index(command) + 1:]
                    if not arg.startswith("-") and "=" not in arg]
        archives = Path(_options(args).get("Dir::Cache::archives", kwargs["cwd"]))
        for package in packages:
            (archives / f"{package}_1_amd64.deb").write_bytes(b"!<arch>\n")
        return subprocess.CompletedProcess(args, 0, "", "")

    def unpack(self, debs: Sequence[Path], root: Path) -> None:
        self.unpacked += [deb.name for deb in debs]

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("taskbench.interpreters.debian.shutil.which",
                            lambda name: f"/usr/bin/{name}")
        monkeypatch.setattr(debian, "debian_mirror", lambda: MIRROR)
        monkeypatch.setattr(debian, "PrivateApt", lambda root, mirror, suite: PrivateApt(
            root, mirror, suite, run=self.run))
        monkeypatch.setattr(debian, "unpack", self.unpack)


def test_fetch_downloads_with_dependencies_and_unpacks_each_deb_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = FakeArchive()
    archive.install(monkeypatch)
    root, apt_dir = tmp_path / "sid-root", tmp_path / "apt-sid"
    assert fetch("sid", ["python3.14-minimal"], root, apt_dir) == root
    update, install = archive.commands
    assert update[-1] == "update"
    assert "install" in install and "--download-only" in install
    assert Path(_options(install)["Dir::Cache::archives"]) == apt_dir / "debs"
    assert archive.unpacked == ["python3.14-minimal_1_amd64.deb"]

    # The same packages again: nothing is downloaded or unpacked.
    fetch("sid", ["python3.14-minimal"], root, apt_dir)
    assert len(archive.commands) == 2
    # A larger set: only the new .deb is unpacked (unpacking again would undo patching).
    fetch("sid", ["python3.14-minimal", "pypy3"], root, apt_dir)
    assert archive.unpacked == ["python3.14-minimal_1_amd64.deb", "pypy3_1_amd64.deb"]
    assert (root / ".packages").read_text().splitlines() == ["python3.14-minimal",
                                                             "pypy3 python3.14-minimal"]
    # Both sets are now cached, and are found offline.
    fetch("sid", ["pypy3", "python3.14-minimal"], root, apt_dir, offline=True)
    fetch("sid", ["python3.14-minimal"], root, apt_dir, offline=True)
    assert len(archive.commands) == 4


def test_fetch_without_dependencies_downloads_only_the_packages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = FakeArchive()
    archive.install(monkeypatch)
    fetch("bookworm", ["pypy3", "pypy3-lib"], tmp_path / "root", tmp_path / "apt",
          with_dependencies=False)
    download = archive.commands[-1]
    assert download[-3:] == ["download", "pypy3", "pypy3-lib"]
    assert "install" not in download
    assert sorted(archive.unpacked) == ["pypy3-lib_1_amd64.deb", "pypy3_1_amd64.deb"]


def test_a_failed_update_says_why_and_caches_nothing(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    archive = FakeArchive(update_status=100)
    archive.install(monkeypatch)
    with pytest.raises(ProvisionError, match=r"apt-get update for sid failed \(no network\?\): "
                                             r"E: Could not resolve 'mirror\.invalid'"):
        fetch("sid", ["python3.14-minimal"], tmp_path / "root", tmp_path / "apt")
    assert not (tmp_path / "root" / ".packages").exists()
    assert archive.unpacked == []


def test_fetch_without_apt_says_what_is_needed(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("taskbench.interpreters.debian.shutil.which", lambda name: None)
    with pytest.raises(ProvisionError, match="apt-get and dpkg-deb are needed"):
        fetch("sid", ["python3.14-minimal"], tmp_path / "root", tmp_path / "apt")


def test_fetch_without_a_mirror_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("taskbench.interpreters.debian.shutil.which",
                        lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(debian, "debian_mirror", lambda: None)
    with pytest.raises(ProvisionError, match="no Debian mirror in /etc/apt/sources.list"):
        fetch("sid", ["python3.14-minimal"], tmp_path / "root", tmp_path / "apt")


def test_a_deb_that_cannot_be_unpacked_is_named(tmp_path: Path) -> None:
    deb = tmp_path / "broken_1_amd64.deb"
    run = Recorder(status=2, stderr="dpkg-deb: error: not a Debian format archive")
    with pytest.raises(ProvisionError, match=r"could not unpack broken_1_amd64\.deb: "
                                             r"dpkg-deb: error: not a Debian format archive"):
        debian.unpack([deb], tmp_path / "root", run=run)
    assert run.calls == [["dpkg-deb", "-x", str(deb), str(tmp_path / "root")]]


# Patching --------------------------------------------------------------------------------------

def test_patching_points_the_interpreter_at_the_unpacked_glibc(tmp_path: Path) -> None:
    libdir = tmp_path / "usr/lib/x86_64-linux-gnu"
    libdir.mkdir(parents=True)
    loader = libdir / "ld-linux-x86-64.so.2"
    loader.touch()
    (tmp_path / "lib64").mkdir()
    (tmp_path / "lib64" / "ld-linux-x86-64.so.2").touch()
    run = Recorder()
    executable = tmp_path / "usr/bin/python3.14"
    patch_for_private_glibc(executable, tmp_path, "/opt/patchelf", run=run)
    (args,) = run.calls
    assert args[0] == "/opt/patchelf" and args[-1] == str(executable)
    assert args[args.index("--set-interpreter") + 1] == str(loader)
    assert "--force-rpath" in args
    # Only folders that exist are searched: the aarch64 ones were not unpacked.
    assert args[args.index("--set-rpath") + 1] == str(libdir)


def test_patching_without_a_loader_is_a_clear_error(tmp_path: Path) -> None:
    run = Recorder()
    with pytest.raises(ProvisionError, match=f"no dynamic loader \\(ld-linux\\) was unpacked "
                                             f"under {tmp_path}"):
        patch_for_private_glibc(tmp_path / "python", tmp_path, "patchelf", run=run)
    assert run.calls == []


def test_a_failing_patchelf_is_named(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "ld-linux-aarch64.so.1").touch()
    run = Recorder(status=1, stderr="patchelf: not an ELF executable\n")
    with pytest.raises(ProvisionError, match=r"patchelf failed on .*python: "
                                             r"patchelf: not an ELF executable$"):
        patch_for_private_glibc(tmp_path / "python", tmp_path, "patchelf", run=run)
