"""Make asv's published site self-contained: every third-party file served from the site.

asv's ``index.html`` loads jQuery, flot, bootstrap, stupidtable and md5 from public CDNs, so
offline, behind a firewall or in a test browser no graph draws. This module fetches the same
files from the npm registry with the ordinary ``npm pack``, checks each against a known
integrity hash, writes it into ``<html_dir>/vendor/`` and points ``index.html`` at the copy.

Most npm copies are byte-identical to what asv pins and are checked against the integrity
hash asv's own ``index.html`` declares. The others are pinned by hashes recorded here: flot
0.8.3 is on npm unminified only, stupidtable 1.0.1 is not on npm at all (stupid-table-plugin
1.1.3, the same plugin's next release, is), bootstrap's fonts are loaded by its stylesheet,
and flot's error-bar plugin draws the intervals (:mod:`taskbench.site.intervals`).

A tarball is untrusted input: only the members named here are read, each must be a regular
file (not a link), and its bytes must match its hash before anything is written.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from taskbench import files, host


@dataclass(frozen=True)
class Asset:
    """One file taken from an npm tarball."""

    package: str  # npm name@version
    member: str  # path inside the tarball
    integrity: str | None  # pinned here; None: the hash in asv's index.html must match
    url_suffix: str = ""  # how the CDN address in index.html ends, for files it loads

    @property
    def local(self) -> str:
        # The tarball's own layout is kept, so that bootstrap's CSS finds ../fonts/ beside it.
        return f"vendor/{self.package.replace('@', '-')}/{self.member[len('package/'):]}"


ASSETS = [
    Asset("jquery@3.3.1", "package/dist/jquery.min.js", None, "/jquery-3.3.1.min.js"),
    Asset("flot@0.8.3", "package/jquery.flot.js",
          "sha256-t7kx8nPDixJ3ucbB9OBcTsCYhaSHvdrzJ54tfkmjjhI=", "/flot/0.8.3/jquery.flot.min.js"),
    Asset("flot@0.8.3", "package/jquery.flot.time.js",
          "sha256-pYLIMq3HE4prBar2HxbrrCdHAfG+Sv6nfnOaHDS5xBo=",
          "/flot/0.8.3/jquery.flot.time.min.js"),
    Asset("flot@0.8.3", "package/jquery.flot.selection.js",
          "sha256-5shfbB6+S02inYriOMfFBgKD8F9+8FT2uRgX0CwJKRg=",
          "/flot/0.8.3/jquery.flot.selection.min.js"),
    Asset("flot@0.8.3", "package/jquery.flot.categories.js",
          "sha256-boFmSyjqeVxzSQb0qhVhRkCnWsf705mn+5CEBAaYNRo=",
          "/flot/0.8.3/jquery.flot.categories.min.js"),
    Asset("flot-orderbars@1.0.0", "package/js/jquery.flot.orderBars.js", None,
          "/flot-orderbars@1.0.0/js/jquery.flot.orderBars.js"),
    Asset("stupid-table-plugin@1.1.3", "package/stupidtable.min.js",
          "sha256-RkI4Dyjr6e18rCUXk7KB74YgxDhiBdkniPmxL1zOtOA=",
          "/stupidtable/1.0.1/stupidtable.min.js"),
    Asset("blueimp-md5@2.19.0", "package/js/md5.min.js", None,
          "/blueimp-md5/2.19.0/js/md5.min.js"),
    Asset("bootstrap@3.1.1", "package/dist/js/bootstrap.min.js", None,
          "/bootstrap@3.1.1/dist/js/bootstrap.min.js"),
    Asset("bootstrap@3.1.1", "package/dist/css/bootstrap.min.css", None,
          "/bootstrap@3.1.1/dist/css/bootstrap.min.css"),
]
# Loaded by bootstrap's stylesheet from ../fonts/, not by index.html.
FONTS = [
    Asset("bootstrap@3.1.1", f"package/dist/fonts/glyphicons-halflings-regular.{suffix}",
          integrity) for suffix, integrity in [
        ("eot", "sha256-9JXzTk8XfPARWvmVu7/rP8q8iFAodudvxRpKtDm8hDE="),
        ("svg", "sha256-0WjVCojHMLTmgw3A2iorUdrkZYp32WGZQ8J7js/BnRo="),
        ("ttf", "sha256-vRjv0+/XD+yK0JYRogzb+ZRAssHUAIXCm+A2+JHWU1g="),
        ("woff", "sha256-/Jadwcb/Uxq882gIncuvV3UTOwYm/1a1IwGgWfwPnh4=")]]
ERRORBARS = Asset("flot@0.8.3", "package/jquery.flot.errorbars.js",
                  "sha256-fE/Dyxn4FI/ZgKE2F+uXMK/+sG231U5n6+DrK8unQQE=")

REFETCH = "delete it to fetch it again"
_TAG = re.compile(r"<(script|link)\b[^>]*?(?:src|href)=\"(https://[^\"]+)\"[^>]*>")
_INTEGRITY = re.compile(r'\sintegrity="([^"]+)"')


class SiteError(Exception):
    """The site cannot be built or made self-contained; the message says which file and why."""


def integrity_of(data: bytes, algorithm: str) -> str:
    """A subresource-integrity value (``sha256-…``) of ``data``."""
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def matches(data: bytes, integrity: str) -> bool:
    algorithm = integrity.split("-", 1)[0]
    return algorithm in ("sha256", "sha384", "sha512") and integrity_of(
        data, algorithm) == integrity


def default_cache() -> Path:
    return host.cache_dir("npm")


def npm_pack(package: str, cache: Path) -> Path:
    """The npm tarball of ``package`` (``name@version``), fetched once into ``cache``."""
    cache.mkdir(parents=True, exist_ok=True)
    name, _, version = package.rpartition("@")
    tarball = cache / f"{name.replace('/', '-')}-{version}.tgz"
    if tarball.exists():
        return tarball
    npm = shutil.which("npm")
    if npm is None:
        raise SiteError(f"npm is needed to fetch {package} (install Node.js and npm)")
    result = subprocess.run([npm, "pack", package, "--silent", "--pack-destination", str(cache)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0 or not tarball.exists():
        raise SiteError(f"npm pack {package} failed: {result.stderr.strip()[-300:]}")
    return tarball


def read_member(tarball: Path, member: str) -> bytes:
    """The bytes of one named regular file of ``tarball``, or SiteError."""
    try:
        # npm packs gzip only; "r:gz" keeps the bz2 and xz decoders off untrusted input.
        with tarfile.open(tarball, "r:gz") as archive:
            try:
                info = archive.getmember(member)
            except KeyError:
                raise SiteError(f"{tarball} holds no {member}: {REFETCH}") from None
            if not info.isreg():
                raise SiteError(f"{tarball}: {member} is not a regular file (a link?): "
                                f"{REFETCH}")
            extracted = archive.extractfile(info)
            if extracted is None:
                raise SiteError(f"{tarball}: {member} cannot be read: {REFETCH}")
            return extracted.read()
    # A gzip stream cut short raises EOFError and damaged deflate data zlib.error, which
    # tarfile passes on while reading a member: both mean a bad file in the cache.
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise SiteError(f"{tarball} is not a readable npm tarball ({error}): {REFETCH}"
                        ) from None


def fetch_checked(asset: Asset, cache: Path, expected: str) -> bytes:
    tarball = npm_pack(asset.package, cache)
    data = read_member(tarball, asset.member)
    if not matches(data, expected):
        raise SiteError(f"{asset.package}:{asset.member} does not match {expected}, in "
                        f"{tarball} (tampered with or damaged: {REFETCH}); nothing was written")
    return data


def vendor_site(html_dir: Path, cache: Path) -> list[str]:
    """Serve every CDN file of ``html_dir/index.html`` from ``html_dir/vendor``.

    Every file is fetched and checked before any is written; on any mismatch SiteError names
    the file and the page is left as asv wrote it. Returns the local paths now used.
    """
    index = html_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    checked: list[tuple[Asset, bytes]] = []
    replacements: list[tuple[str, str]] = []
    for match in _TAG.finditer(page):
        tag, url = match.group(0), match.group(2)
        asset = next((a for a in ASSETS if url.endswith(a.url_suffix)), None)
        if asset is None:
            raise SiteError(f"index.html loads {url}, which taskbench has no npm copy of")
        declared = _INTEGRITY.search(tag)
        expected = asset.integrity or (declared.group(1) if declared else None)
        if expected is None:
            raise SiteError(f"no integrity hash to check {url} against")
        checked.append((asset, fetch_checked(asset, cache, expected)))
        new_tag = tag.replace(url, asset.local)
        if declared:
            new_tag = _INTEGRITY.sub(f' integrity="{expected}"', new_tag)
        replacements.append((tag, new_tag))
    if any(asset.member.endswith(".css") for asset, _ in checked):
        checked += [(font, fetch_checked(font, cache, font.integrity or "")) for font in FONTS]
    for asset, data in checked:
        files.write_bytes(html_dir / asset.local, data)
    for old, new in replacements:
        page = page.replace(old, new)
    files.write_text(index, page)
    return [asset.local for asset, _ in checked]
