"""Issue 31: a test that would skip for want of what the Makefile provides fails instead, and
the skips that remain are named, each under its reason, in the run's last lines."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT, run_python

EXAMPLE = '''
import pytest
from skips import needs

def test_counts_instructions():
    pytest.skip(needs("valgrind"))

@pytest.mark.skipif(True, reason=needs("interpreters", "none in .pythons/bin"))
def test_across_interpreters():
    pass

@pytest.mark.skipif(sys.version_info < (3, 99), reason="eager_start needs Python 3.99")
def test_a_newer_api():
    pass

def test_passes():
    pass
'''


def test_a_skip_for_want_of_what_the_makefile_provides_fails_and_the_rest_are_named(
        tmp_path: Path) -> None:
    (tmp_path / "test_example.py").write_text("import sys\n" + EXAMPLE)
    done = run_python("-m", "pytest", "-p", "skips", "-p", "no:cacheprovider", "-rfEX",
                      str(tmp_path), cwd=tmp_path,
                      env={"PYTHONPATH": str(ROOT / "tests"), "PYTHONDONTWRITEBYTECODE": "1"})
    out = done.stdout
    assert done.returncode == 1, out
    assert "test_counts_instructions would have been skipped: needs valgrind, which `make " \
           "valgrind` provides" in out
    assert "test_across_interpreters would have been skipped: needs interpreters (none in " \
           ".pythons/bin), which `make pythons` provides" in out
    last = out.strip().splitlines()[-8:]
    named = last.index("1 skipped: eager_start needs Python 3.99")
    assert last[named + 1].strip() == "test_example.py::test_a_newer_api", last
    assert "1 skipped, for reasons no Makefile target can remedy" in out
    assert sys.version_info < (3, 99)
