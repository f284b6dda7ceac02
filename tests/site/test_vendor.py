"""taskbench.site.vendor: npm tarballs are untrusted; only checked bytes reach the site.

Every tarball here is made by hand with ``tarfile`` and put where :func:`vendor.npm_pack`
looks first (its cache), so npm is never run; a test that would run it fails instead.
The real pinned hashes cannot be matched by made-up bytes, so the success paths pin the
module's asset list to hashes of the test's own bytes.
"""

from __future__ import annotations

import io
import os
import struct
import tarfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from taskbench.site import vendor
from taskbench.site.vendor import Asset, SiteError, integrity_of, read_member, vendor_site

FLOT_URL = "https://cdnjs.cloudflare.com/ajax/libs/flot/0.8.3/jquery.flot.min.js"
CSS_URL = "https://cdn.jsdelivr.net/npm/bootstrap@3.1.1/dist/css/bootstrap.min.css"
FLOT_TAG = (f'<script src="{FLOT_URL}" integrity="sha512-asvs" crossorigin="anonymous" '
            'onerror="js_load_failure()"></script>')
CSS_TAG = f'<link rel="stylesheet" href="{CSS_URL}" integrity="sha256-asvs" crossorigin="x">'
FLOT_JS = b"/* flot */ (function ($) { $.plot = function () {}; })(jQuery);\n"
CSS = b".glyphicon { font-family: 'Glyphicons Halflings'; }\n"
FONT_SUFFIXES = ["eot", "svg", "ttf", "woff"]


def _page(*tags: str) -> str:
    return "<html><head>\n" + "\n".join(tags) + "\n</head><body>asv</body></html>\n"


def _tarball(path: Path, members: list[tuple[str, Any]]) -> Path:
    """A gzip tarball of ``members``: (name, bytes) for a file, (name, ("symlink"|"hardlink",
    target)) for a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if isinstance(content, tuple):
                info.type = tarfile.SYMTYPE if content[0] == "symlink" else tarfile.LNKTYPE
                info.linkname = content[1]
                archive.addfile(info)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
    return path


def _tree(folder: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root) / name
            key = str(path.relative_to(folder))
            found[key] = (f"link:{os.readlink(path)}" if path.is_symlink()
                          else path.read_bytes() if path.is_file() else "folder")
    return found


@pytest.fixture(autouse=True)
def no_npm(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to run npm fails the test: every tarball must come from the cache."""
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"npm was run: {args}")

    monkeypatch.setattr(vendor, "subprocess", SimpleNamespace(run=refuse))


@pytest.fixture
def site(tmp_path: Path) -> SimpleNamespace:
    """An html folder with a one-script index.html, and an empty npm cache beside it."""
    html, cache = tmp_path / "html", tmp_path / "cache"
    html.mkdir()
    (html / "index.html").write_text(_page(FLOT_TAG), encoding="utf-8")
    return SimpleNamespace(html=html, cache=cache, root=tmp_path)


def _pin_flot(monkeypatch: pytest.MonkeyPatch, data: bytes, *,
              pinned: bool = True) -> Asset:
    """Make flot's asset expect ``data`` (pinned here, or declared by index.html)."""
    asset = Asset("flot@0.8.3", "package/jquery.flot.js",
                  integrity_of(data, "sha256") if pinned else None,
                  "/flot/0.8.3/jquery.flot.min.js")
    monkeypatch.setattr(vendor, "ASSETS", [asset])
    return asset


# --- the success path ---------------------------------------------------------------------

def test_a_checked_asset_is_written_and_the_tag_points_at_it(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    asset = _pin_flot(monkeypatch, FLOT_JS)
    _tarball(site.cache / "flot-0.8.3.tgz", [("package/jquery.flot.js", FLOT_JS),
                                             ("package/README.md", b"other files stay put")])

    written = vendor_site(site.html, site.cache)

    assert written == ["vendor/flot-0.8.3/jquery.flot.js"]
    assert (site.html / "vendor/flot-0.8.3/jquery.flot.js").read_bytes() == FLOT_JS
    page = (site.html / "index.html").read_text(encoding="utf-8")
    assert FLOT_URL not in page
    assert (f'<script src="vendor/flot-0.8.3/jquery.flot.js" integrity="{asset.integrity}" '
            'crossorigin="anonymous" onerror="js_load_failure()"></script>') in page
    assert sorted(_tree(site.html)) == ["index.html", "vendor", "vendor/flot-0.8.3",
                                        "vendor/flot-0.8.3/jquery.flot.js"]


def test_an_unpinned_asset_is_checked_against_the_hash_index_html_declares(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin_flot(monkeypatch, FLOT_JS, pinned=False)
    declared = integrity_of(FLOT_JS, "sha512")
    (site.html / "index.html").write_text(_page(FLOT_TAG.replace("sha512-asvs", declared)))
    _tarball(site.cache / "flot-0.8.3.tgz", [("package/jquery.flot.js", FLOT_JS)])

    vendor_site(site.html, site.cache)

    page = (site.html / "index.html").read_text()
    assert f'src="vendor/flot-0.8.3/jquery.flot.js" integrity="{declared}"' in page


def test_an_unpinned_asset_that_differs_from_the_declared_hash_is_refused(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin_flot(monkeypatch, FLOT_JS, pinned=False)
    declared = integrity_of(b"what asv's page expects", "sha512")
    (site.html / "index.html").write_text(_page(FLOT_TAG.replace("sha512-asvs", declared)))
    _tarball(site.cache / "flot-0.8.3.tgz", [("package/jquery.flot.js", FLOT_JS)])
    before = _tree(site.html)

    with pytest.raises(SiteError, match=r"flot@0\.8\.3:package/jquery\.flot\.js"):
        vendor_site(site.html, site.cache)

    assert _tree(site.html) == before


def test_fonts_are_written_when_they_match_their_pins(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    fonts = {suffix: f"font {suffix}".encode() for suffix in FONT_SUFFIXES}
    _pin_bootstrap(monkeypatch, fonts)
    (site.html / "index.html").write_text(_page(CSS_TAG))
    _tarball(site.cache / "bootstrap-3.1.1.tgz", [
        ("package/dist/css/bootstrap.min.css", CSS),
        *[(f"package/dist/fonts/glyphicons-halflings-regular.{suffix}", data)
          for suffix, data in fonts.items()]])

    written = vendor_site(site.html, site.cache)

    assert written[0] == "vendor/bootstrap-3.1.1/dist/css/bootstrap.min.css"
    for suffix, data in fonts.items():
        local = f"vendor/bootstrap-3.1.1/dist/fonts/glyphicons-halflings-regular.{suffix}"
        assert local in written
        assert (site.html / local).read_bytes() == data
    assert 'href="vendor/bootstrap-3.1.1/dist/css/bootstrap.min.css"' in (
        site.html / "index.html").read_text()


@pytest.mark.parametrize("broken", ["wrong-bytes", "unpinned", "missing"])
def test_a_font_that_does_not_match_its_pin_stops_everything(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    fonts = {suffix: f"font {suffix}".encode() for suffix in FONT_SUFFIXES}
    _pin_bootstrap(monkeypatch, fonts)
    members = {f"package/dist/fonts/glyphicons-halflings-regular.{suffix}": data
               for suffix, data in fonts.items()}
    ttf = "package/dist/fonts/glyphicons-halflings-regular.ttf"
    if broken == "wrong-bytes":
        members[ttf] = b"a font someone swapped"
    elif broken == "unpinned":
        monkeypatch.setattr(vendor, "FONTS", [
            Asset(font.package, font.member, None if font.member == ttf else font.integrity)
            for font in vendor.FONTS])
    else:
        del members[ttf]
    (site.html / "index.html").write_text(_page(CSS_TAG))
    _tarball(site.cache / "bootstrap-3.1.1.tgz",
             [("package/dist/css/bootstrap.min.css", CSS), *members.items()])
    before = _tree(site.html)

    with pytest.raises(SiteError, match=r"glyphicons-halflings-regular\.ttf"):
        vendor_site(site.html, site.cache)

    assert _tree(site.html) == before


def _pin_bootstrap(monkeypatch: pytest.MonkeyPatch, fonts: dict[str, bytes]) -> None:
    monkeypatch.setattr(vendor, "ASSETS", [Asset(
        "bootstrap@3.1.1", "package/dist/css/bootstrap.min.css", integrity_of(CSS, "sha384"),
        "/bootstrap@3.1.1/dist/css/bootstrap.min.css")])
    monkeypatch.setattr(vendor, "FONTS", [Asset(
        "bootstrap@3.1.1", f"package/dist/fonts/glyphicons-halflings-regular.{suffix}",
        integrity_of(data, "sha256")) for suffix, data in fonts.items()])


# --- hostile or broken tarballs -----------------------------------------------------------

@pytest.mark.parametrize("link", [("symlink", "/etc/passwd"), ("symlink", "../../../x"),
                                  ("hardlink", "package/README.md")])
def test_a_link_named_like_a_wanted_file_is_refused(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, link: tuple[str, str]) -> None:
    _pin_flot(monkeypatch, FLOT_JS)
    tarball = _tarball(site.cache / "flot-0.8.3.tgz", [("package/README.md", FLOT_JS),
                                                       ("package/jquery.flot.js", link)])
    before = _tree(site.root)

    with pytest.raises(SiteError, match="not a regular file"):
        read_member(tarball, "package/jquery.flot.js")
    with pytest.raises(SiteError, match=r"jquery\.flot\.js is not a regular file"):
        vendor_site(site.html, site.cache)

    assert _tree(site.root) == before


def test_a_regular_file_shadowed_by_a_later_link_of_the_same_name_is_refused(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    """tar keeps the last member of a name; so must the check."""
    _pin_flot(monkeypatch, FLOT_JS)
    _tarball(site.cache / "flot-0.8.3.tgz", [("package/jquery.flot.js", FLOT_JS),
                                             ("package/jquery.flot.js", ("symlink", "/etc"))])
    before = _tree(site.root)

    with pytest.raises(SiteError, match="not a regular file"):
        vendor_site(site.html, site.cache)

    assert _tree(site.root) == before


def test_wrong_bytes_under_a_pinned_name_are_refused_and_nothing_is_written(
        site: SimpleNamespace) -> None:
    # The real pins: these bytes are not flot's, so the hash cannot match.
    _tarball(site.cache / "flot-0.8.3.tgz", [("package/jquery.flot.js", FLOT_JS)])
    before = _tree(site.html)

    with pytest.raises(SiteError) as error:
        vendor_site(site.html, site.cache)

    assert "flot@0.8.3:package/jquery.flot.js does not match sha256-" in str(error.value)
    assert f"in {site.cache / 'flot-0.8.3.tgz'} (tampered with" in str(error.value)
    assert "nothing was written" in str(error.value)
    assert _tree(site.html) == before


def test_member_names_that_leave_the_folder_are_never_written(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    _pin_flot(monkeypatch, FLOT_JS)
    hostile = ["../escape.js", "package/../../escape.js", "/tmp/escape-abs.js",
               "package/../../../html/index.html", "./package/../../cache/escape.js"]
    tarball = _tarball(site.cache / "flot-0.8.3.tgz", [
        *[(name, b"escaped") for name in hostile], ("package/jquery.flot.js", FLOT_JS)])
    outside_before = {name: os.path.exists(Path("/tmp") / name)
                      for name in ["escape.js", "escape-abs.js"]}

    assert read_member(tarball, "../escape.js") == b"escaped"  # read, and only read
    written = vendor_site(site.html, site.cache)

    assert written == ["vendor/flot-0.8.3/jquery.flot.js"]
    names = {Path(key).name for key in _tree(site.root)}
    assert "escape.js" not in names and "escape-abs.js" not in names
    assert b"escaped" not in (site.html / "index.html").read_bytes()
    assert sorted(_tree(site.html)) == ["index.html", "vendor", "vendor/flot-0.8.3",
                                        "vendor/flot-0.8.3/jquery.flot.js"]
    assert {name: os.path.exists(Path("/tmp") / name)
            for name in ["escape.js", "escape-abs.js"]} == outside_before


def test_a_missing_member_is_named(site: SimpleNamespace) -> None:
    tarball = _tarball(site.cache / "flot-0.8.3.tgz", [("package/other.js", b"x")])

    with pytest.raises(SiteError, match=r"flot-0\.8\.3\.tgz holds no package/jquery\.flot\.js"):
        read_member(tarball, "package/jquery.flot.js")


def _big_tarball(path: Path) -> bytes:
    """A tarball whose wanted member spans many compressed blocks; returns its bytes."""
    data = b"".join(b"var line%d = %d;\n" % (i, i * 7919 % 10007) for i in range(30_000))
    _tarball(path, [("package/jquery.flot.js", data)])
    return path.read_bytes()


@pytest.mark.parametrize("keep", [0.02, 0.5, 0.99])
def test_a_truncated_tarball_is_a_site_error(site: SimpleNamespace, keep: float,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _pin_flot(monkeypatch, FLOT_JS)
    tarball = site.cache / "flot-0.8.3.tgz"
    whole = _big_tarball(tarball)
    tarball.write_bytes(whole[: int(len(whole) * keep)])
    before = _tree(site.html)

    with pytest.raises(SiteError, match="not a readable npm tarball"):
        read_member(tarball, "package/jquery.flot.js")
    with pytest.raises(SiteError, match="delete it to fetch it again"):
        vendor_site(site.html, site.cache)

    assert _tree(site.html) == before


def test_damaged_compressed_data_is_a_site_error(site: SimpleNamespace) -> None:
    """A gzip stream whose deflate data turns into a block of the reserved type 3 (RFC 1951,
    3.2.3), which every inflater rejects. The blocks before it are stored (uncompressed) and
    hold 640 KiB of the tarball, more than gzip reads ahead, so opening the tarball succeeds
    and the damage is met only while looking through it for the member."""
    size = 1 << 20
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w") as archive:
        info = tarfile.TarInfo("package/jquery.flot.js")
        info.size = size
        archive.addfile(info, io.BytesIO(bytes(size)))
    start = plain.getvalue()[: 10 * 0xFFFF]
    stored = b"".join(bytes([0]) + struct.pack("<HH", len(chunk), 0xFFFF ^ len(chunk)) + chunk
                      for chunk in (start[i:i + 0xFFFF] for i in range(0, len(start), 0xFFFF)))
    gzip_header = bytes([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
    tarball = site.cache / "flot-0.8.3.tgz"
    tarball.parent.mkdir()
    tarball.write_bytes(gzip_header + stored + bytes([0b111]) + bytes(64))

    with pytest.raises(SiteError, match="not a readable npm tarball"):
        read_member(tarball, "package/jquery.flot.js")


@pytest.mark.parametrize("content", [b"", b"not a tarball at all", b"\x1f\x8b\x08garbage"])
def test_a_file_that_is_no_tarball_is_a_site_error(site: SimpleNamespace,
                                                    content: bytes) -> None:
    tarball = site.cache / "flot-0.8.3.tgz"
    tarball.parent.mkdir()
    tarball.write_bytes(content)

    with pytest.raises(SiteError, match="not a readable npm tarball"):
        read_member(tarball, "package/jquery.flot.js")


@pytest.mark.parametrize("mode", ["w", "w:bz2", "w:xz"])
def test_only_gzip_tarballs_are_read(site: SimpleNamespace, mode: str) -> None:
    """npm packs gzip; other formats are refused rather than given to their decoders."""
    tarball = site.cache / "flot-0.8.3.tgz"
    tarball.parent.mkdir()
    with tarfile.open(tarball, mode) as archive:
        info = tarfile.TarInfo("package/jquery.flot.js")
        info.size = len(FLOT_JS)
        archive.addfile(info, io.BytesIO(FLOT_JS))

    with pytest.raises(SiteError, match="not a readable npm tarball"):
        read_member(tarball, "package/jquery.flot.js")


# --- what index.html may load -----------------------------------------------------------------

def test_a_cdn_file_taskbench_has_no_copy_of_is_refused(site: SimpleNamespace) -> None:
    (site.html / "index.html").write_text(_page(
        '<script src="https://cdn.example.org/evil.js" integrity="sha256-x"></script>'))
    before = _tree(site.root)

    with pytest.raises(SiteError, match="https://cdn.example.org/evil.js"):
        vendor_site(site.html, site.cache)

    assert _tree(site.root) == before


def test_an_asset_with_no_hash_anywhere_is_refused(site: SimpleNamespace,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _pin_flot(monkeypatch, FLOT_JS, pinned=False)
    (site.html / "index.html").write_text(_page(f'<script src="{FLOT_URL}"></script>'))
    _tarball(site.cache / "flot-0.8.3.tgz", [("package/jquery.flot.js", FLOT_JS)])
    before = _tree(site.html)

    with pytest.raises(SiteError, match="no integrity hash"):
        vendor_site(site.html, site.cache)

    assert _tree(site.html) == before


def test_a_page_without_cdn_files_is_left_as_it_is(site: SimpleNamespace) -> None:
    page = _page('<script src="asv.js"></script>', '<a href="https://github.com/x">x</a>')
    (site.html / "index.html").write_text(page)

    assert vendor_site(site.html, site.cache) == []
    assert (site.html / "index.html").read_text() == page
    assert sorted(_tree(site.html)) == ["index.html"]


def test_without_npm_a_missing_tarball_is_a_site_error(
        site: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vendor.shutil, "which", lambda name: None)

    with pytest.raises(SiteError, match="npm is needed to fetch flot@0.8.3"):
        vendor_site(site.html, site.cache)
