"""A build family is one record: a made-up one, added to the registry alone, is understood
by every part that reads families (names, order, noise group, precision targets, charts, the
version steps, the source that provides it)."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT
from taskbench.interpreters.families import BY_KEY, FAMILIES
from taskbench.interpreters.names import executable_name, interpreter_order, parse_name

MADE_UP = """
import dataclasses, json
import taskbench.interpreters.families as families
graal = dataclasses.replace(
    families.BY_KEY["pypy"], key="graalpy", pattern="graalpy{version}", command="{name}",
    source="from_path", implementation="GraalPy", noise_group="graal", chart_rank=4,
    look=(":", "*", "GraalPy"), look_with_settings=("-.", "h", "GraalPy"),
    held_to_precision=False, described="GraalPy")
families.FAMILIES = families.FAMILIES + (graal,)
families.BY_KEY["graalpy"] = graal
from taskbench.interpreters import names, provision, sources
from taskbench.reports import answerchart, chartstyle, classic
envs = ["3.12", "3.13", "pypy3.11", "graalpy3.10", "graalpy3.11"]
print(json.dumps({
    "parsed": names.parse_name("graalpy3.11").family,
    "command": names.executable_name("graalpy3.11"),
    "order": sorted(envs, key=names.interpreter_order),
    "noise": names.noise_group("graalpy3.11"),
    "held": names.held_to_precision("graalpy3.11"),
    "look": [getattr(chartstyle.look("graalpy3.11"), name) for name in ("linestyle", "marker")],
    "chart": sorted(envs, key=answerchart.chart_order),
    "steps": [list(step) for step in classic.steps(envs)],
    "source": names.parse_name("graalpy3.11").record.source in dir(sources),
}))
"""


def test_a_made_up_family_is_one_record_and_every_part_reads_it() -> None:
    done = subprocess.run([sys.executable, "-c", MADE_UP], capture_output=True, text=True,
                          check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found["parsed"] == "graalpy" and found["command"] == "graalpy3.11"
    assert found["order"] == ["3.12", "3.13", "pypy3.11", "graalpy3.10", "graalpy3.11"]
    assert found["noise"] == "graal" and found["held"] is False
    assert found["look"] == [":", "*"]
    assert found["chart"][-2:] == ["graalpy3.10", "graalpy3.11"]
    assert ["graalpy3.10", "graalpy3.11", "version"] in found["steps"]
    assert found["source"] is True


def test_the_registry_gives_todays_names_and_order() -> None:
    assert [family.key for family in FAMILIES] == ["pyenv", "debian", "free-threaded", "pypy"]
    assert {parse_name(name).family for name in ("3.12", "3.12-debian", "3.13t",
                                                  "pypy3.11")} == set(BY_KEY)
    assert executable_name("3.12-debian") == "python3.12-debian"
    assert executable_name("pypy3.11") == "pypy3.11"
    assert sorted(["pypy3.9", "3.13t", "3.13-debian", "3.13", "3.9"], key=interpreter_order) == [
        "3.9", "3.13", "3.13-debian", "3.13t", "pypy3.9"]
