"""Make asv's published site self-contained: every third-party asset served from the site.

asv's ``index.html`` loads jQuery, flot, bootstrap, stupidtable and md5 from public CDNs, so
offline, behind a firewall or in a test browser no graph draws. This module fetches the same
files from the npm registry with the ordinary ``npm pack``, checks each against a known
integrity hash, copies it into ``<html_dir>/vendor/`` and points ``index.html`` at the copy.

Most npm copies are byte-identical to what asv pins, and are checked against the integrity
hash asv's own ``index.html`` declares. Two are not on npm as asv uses them: flot 0.8.3 is on
npm unminified only, and stupidtable 1.0.1 not at all (stupid-table-plugin 1.1.3, the same
plugin's next release, is). Those are pinned by hashes recorded here.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence


@dataclass(frozen=True)
class Asset:
    """One file asv's index.html loads from a CDN, and where npm has it."""

    url_suffix: str  # how the CDN address in index.html ends
    package: str  # npm name@version
    member: str  # path inside the npm tarball
    integrity: str | None  # pinned here; None: the hash in asv's index.html must match


ASSETS = [
    Asset("/jquery-3.3.1.min.js", "jquery@3.3.1", "package/dist/jquery.min.js", None),
    Asset("/flot/0.8.3/jquery.flot.min.js", "flot@0.8.3", "package/jquery.flot.js",
          "sha256-t7kx8nPDixJ3ucbB9OBcTsCYhaSHvdrzJ54tfkmjjhI="),
    Asset("/flot/0.8.3/jquery.flot.time.min.js", "flot@0.8.3", "package/jquery.flot.time.js",
          "sha256-pYLIMq3HE4prBar2HxbrrCdHAfG+Sv6nfnOaHDS5xBo="),
    Asset("/flot/0.8.3/jquery.flot.selection.min.js", "flot@0.8.3",
          "package/jquery.flot.selection.js",
          "sha256-5shfbB6+S02inYriOMfFBgKD8F9+8FT2uRgX0CwJKRg="),
    Asset("/flot/0.8.3/jquery.flot.categories.min.js", "flot@0.8.3",
          "package/jquery.flot.categories.js",
          "sha256-boFmSyjqeVxzSQb0qhVhRkCnWsf705mn+5CEBAaYNRo="),
    Asset("/flot-orderbars@1.0.0/js/jquery.flot.orderBars.js", "flot-orderbars@1.0.0",
          "package/js/jquery.flot.orderBars.js", None),
    Asset("/stupidtable/1.0.1/stupidtable.min.js", "stupid-table-plugin@1.1.3",
          "package/stupidtable.min.js", "sha256-RkI4Dyjr6e18rCUXk7KB74YgxDhiBdkniPmxL1zOtOA="),
    Asset("/blueimp-md5/2.19.0/js/md5.min.js", "blueimp-md5@2.19.0", "package/js/md5.min.js",
          None),
    Asset("/bootstrap@3.1.1/dist/js/bootstrap.min.js", "bootstrap@3.1.1",
          "package/dist/js/bootstrap.min.js", None),
    Asset("/bootstrap@3.1.1/dist/css/bootstrap.min.css", "bootstrap@3.1.1",
          "package/dist/css/bootstrap.min.css", None),
]

_TAG = re.compile(r"<(script|link)\b[^>]*?(?:src|href)=\"(https://[^\"]+)\"[^>]*>")
_INTEGRITY = re.compile(r'\sintegrity="([^"]+)"')


class SiteError(Exception):
    """The site cannot be made self-contained; the message says which asset and why."""


def integrity_of(data: bytes, algorithm: str) -> str:
    """A subresource-integrity value (``sha256-…``) of ``data``."""
    digest = hashlib.new(algorithm, data).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def matches(data: bytes, integrity: str) -> bool:
    algorithm = integrity.split("-", 1)[0]
    return algorithm in ("sha256", "sha384", "sha512") and integrity_of(
        data, algorithm) == integrity


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
    with tarfile.open(tarball) as archive:
        try:
            extracted = archive.extractfile(member)
        except KeyError:
            extracted = None
        if extracted is None:
            raise SiteError(f"{tarball.name} holds no {member}")
        return extracted.read()


def _vendor_path(package: str, member: str) -> str:
    # The tarball's own layout is kept, so that bootstrap's CSS finds ../fonts/ beside it.
    return f"vendor/{package.replace('@', '-')}/{member.removeprefix('package/')}"


def _copy_fonts(tarball: Path, package: str, fonts: str, html_dir: Path) -> None:
    """Copy the fonts a vendored stylesheet loads from ``../fonts/``."""
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(fonts):
                extracted = archive.extractfile(member)
                if extracted is not None:
                    target = html_dir / _vendor_path(package, member.name)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(extracted.read())


def vendor_site(html_dir: Path, cache: Path) -> list[str]:
    """Serve every CDN asset of ``html_dir/index.html`` from ``html_dir/vendor``.

    Returns the local paths now used. Raises SiteError, naming the asset, when an address in
    index.html has no known npm copy or a copy does not match its hash; the page is then left
    as asv wrote it.
    """
    index = html_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    replacements: list[tuple[str, str]] = []
    vendored = []
    for match in _TAG.finditer(page):
        tag, url = match.group(0), match.group(2)
        asset = next((a for a in ASSETS if url.endswith(a.url_suffix)), None)
        if asset is None:
            raise SiteError(f"index.html loads {url}, which taskbench has no npm copy of")
        declared = _INTEGRITY.search(tag)
        expected = asset.integrity or (declared.group(1) if declared else None)
        if expected is None:
            raise SiteError(f"no integrity hash to check {url} against")
        data = read_member(npm_pack(asset.package, cache), asset.member)
        if not matches(data, expected):
            raise SiteError(f"{asset.package}:{asset.member} does not match {expected}")
        local = _vendor_path(asset.package, asset.member)
        target = html_dir / local
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if asset.member.endswith(".css"):
            fonts = str(Path(asset.member).parent.parent / "fonts") + "/"
            _copy_fonts(npm_pack(asset.package, cache), asset.package, fonts, html_dir)
        new_tag = tag.replace(url, local)
        new_tag = _INTEGRITY.sub(f' integrity="{expected}"', new_tag) if declared else new_tag
        replacements.append((tag, new_tag))
        vendored.append(local)
    for old, new in replacements:
        page = page.replace(old, new)
    index.write_text(page, encoding="utf-8")
    return vendored


NAV_ANCHOR = '<li id="nav-li-regressions"><a href="#/regressions">Regressions</a></li>'
NAV_LINK = ('<li id="nav-li-crossversion">'
            '<a href="crossversion.html">Interpreters side by side</a></li>')


def add_nav_link(html_dir: Path) -> None:
    """Link asv's navigation bar to the cross-version page (which links back)."""
    index = html_dir / "index.html"
    page = index.read_text(encoding="utf-8")
    if NAV_LINK in page:
        return
    if NAV_ANCHOR not in page:
        raise SiteError("asv's index.html has no Regressions tab to put the link beside")
    index.write_text(page.replace(NAV_ANCHOR, NAV_ANCHOR + "\n\t" + NAV_LINK), encoding="utf-8")


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "taskbench" / "npm"


def build(config: Path = Path("asv.conf.json"), cache: Path | None = None) -> Path:
    """``asv publish``, then the cross-version page, the nav link and the vendored assets."""
    from taskbench.crossversion import write_page
    from taskbench.interpreters import load_asv_config

    settings = load_asv_config(config)
    html_dir = config.parent / str(settings.get("html_dir", "html"))
    results_dir = config.parent / str(settings.get("results_dir", "results"))
    publish = subprocess.run([sys.executable, "-m", "asv", "publish", "--config", str(config)],
                             check=False)
    if publish.returncode != 0:
        raise SiteError(f"asv publish failed with status {publish.returncode}")
    write_page(results_dir, html_dir)
    add_nav_link(html_dir)
    vendor_site(html_dir, cache or default_cache())
    return html_dir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.site",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path("asv.conf.json"))
    args = parser.parse_args(argv)
    try:
        html_dir = build(args.config)
    except SiteError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"The site is in {html_dir}, with every asset served from it. Browse it with "
          "`make preview`, then open http://127.0.0.1:8080/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
