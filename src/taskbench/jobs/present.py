"""Step 4 of the main job: the README's blocks and the site regenerated from the merged
results. Measuring never depends on presenting: whatever goes wrong here, the results are
already merged, so each failure is reported with the command that retries it, and an
interruption says which views were not made.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence

from taskbench.asvadapter.config import CONFIG

# What step 4 regenerates from the merged results, each with the command that makes it alone.
README_VIEW = ("the README's generated blocks", "make readme")
SITE_VIEW = ("the site", "make site")


def _announce(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def present(results_dir: Path, left: list[tuple[str, str]] | None = None) -> list[str]:
    """Step 4: the README's blocks and the site regenerated; what could not be made. Each
    view made is taken off ``left`` (the views still to regenerate, and their commands)."""
    from taskbench.reports import readme
    from taskbench.site.build import BROWSE, build
    from taskbench.site.vendor import SiteError

    left = [README_VIEW, SITE_VIEW] if left is None else left
    failures = []
    _announce("README")
    # Whatever goes wrong here, the results are already merged: report it and go on.
    try:
        status = readme.main(["README.md", "--results", str(results_dir)])
    except Exception as error:  # noqa: BLE001 - see above
        print(f"error: the README was not regenerated: {type(error).__name__}: {error}",
              file=sys.stderr)
        status = 1
    if status != 0:
        failures.append("the README's generated blocks (see above; `make readme` retries)")
    else:
        left.remove(README_VIEW)
    _announce("Site")
    try:
        html_dir = build(CONFIG)
        print(f"The site is in {html_dir}, self-contained. {BROWSE}")
        left.remove(SITE_VIEW)
    except Exception as error:  # noqa: BLE001 - see above
        # SiteError's message is written for the reader; any other names its type.
        reason = error if isinstance(error, SiteError) else f"{type(error).__name__}: {error}"
        print(f"error: the site was not built: {reason}", file=sys.stderr)
        failures.append("the site (`make site` retries)")
    return failures


def interrupted_after_merge(results_dir: Path, left: Sequence[tuple[str, str]]) -> str:
    """What an interruption after a successful merge says: the results are kept, and which
    views were not regenerated, with the command that makes each."""
    merged = f"interrupted: the results were merged into {results_dir} and are kept"
    if not left:
        return merged + "; the README's blocks and the site were regenerated too."
    views = " and ".join(f"{what} (`{command}` makes it)" for what, command in left)
    return f"{merged}; not regenerated: {views}."
