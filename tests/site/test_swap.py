"""taskbench.site.swap: the new site replaces the old only when complete; whatever stops a
build, the site folder holds the old site or the new one, and what a killed build left is
cleared by the next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from taskbench.site.swap import kept_note, previous_dir, settle, staging_dir, swap_in


def site_with(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


def test_a_complete_build_replaces_the_site_and_leaves_nothing_beside_it(tmp_path: Path
                                                                         ) -> None:
    site = site_with(tmp_path / "html", "old")
    staging = staging_dir(site)
    assert staging.parent == site.parent and staging.name.startswith(
        f".html.building-{os.getpid()}-")
    (staging / "index.html").write_text("new")

    swap_in(staging, site)

    assert (site / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["html"]


def test_the_first_build_has_no_site_to_replace(tmp_path: Path) -> None:
    site = tmp_path / "asv" / "html"
    staging = staging_dir(site)
    (staging / "index.html").write_text("new")

    swap_in(staging, site)

    assert (site / "index.html").read_text() == "new"


def test_a_build_killed_between_the_renames_is_put_back(tmp_path: Path) -> None:
    site = tmp_path / "html"
    site_with(previous_dir(site), "old")  # the old site moved aside, the new not yet in

    said = settle(site)

    assert said and "put back" in said
    assert (site / "index.html").read_text() == "old"
    assert not previous_dir(site).exists()


def test_a_build_killed_after_the_swap_leaves_the_new_site_and_its_leftover_goes(
        tmp_path: Path) -> None:
    site = site_with(tmp_path / "html", "new")
    site_with(previous_dir(site), "old")

    assert settle(site) is None
    assert (site / "index.html").read_text() == "new"
    assert not previous_dir(site).exists()


def test_only_folders_of_builds_whose_process_has_ended_are_removed(tmp_path: Path) -> None:
    site = site_with(tmp_path / "html", "site")
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    stale = site_with(tmp_path / f".html.building-{ended}-abc", "half")
    running = staging_dir(site)  # this process: still building

    settle(site)

    assert not stale.exists()
    assert running.exists()
    assert (site / "index.html").read_text() == "site"


def test_the_note_says_what_a_failed_build_left(tmp_path: Path) -> None:
    site = tmp_path / "html"
    assert "no site" in kept_note(site) and "nothing was written" in kept_note(site)
    site_with(site, "old")
    assert "built before, unchanged" in kept_note(site)
