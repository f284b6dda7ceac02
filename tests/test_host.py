"""Which host a run had: a fingerprint read from /proc/cpuinfo, /sys and platform, unknown
by name where it cannot be read; a name that changes with what decides a host's speed; and a
reference workload timed in a fresh process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from taskbench import host
from taskbench.host import HostError, fingerprint, host_id, host_label, reference_seconds

FLAGS = ("fpu sse2 pni ssse3 cx16 sse4_1 sse4_2 popcnt avx avx2 fma f16c bmi1 bmi2 abm movbe "
         "xsave erms fsrm hypervisor avx512f avx512bw avx512cd avx512dq avx512vl")
EPYC = f"""processor	: 0
vendor_id	: AuthenticAMD
cpu family	: 25
model		: 17
model name	: AMD EPYC
stepping	: 1
microcode	: 0x1000065
flags		: {FLAGS}

processor	: 1
vendor_id	: AuthenticAMD
model name	: AMD EPYC (a second processor, never read)
"""


def _caches(folder: Path, sizes: dict[tuple[str, str], str]) -> Path:
    for number, ((level, kind), size) in enumerate(sizes.items()):
        index = folder / f"index{number}"
        index.mkdir(parents=True)
        (index / "level").write_text(f"{level}\n")
        (index / "type").write_text(f"{kind}\n")
        (index / "size").write_text(f"{size}\n")
    return folder


ZEN4 = {("1", "Data"): "32K", ("1", "Instruction"): "32K", ("2", "Unified"): "1024K",
        ("3", "Unified"): "32768K"}


def _host(tmp_path: Path, cpuinfo: str = EPYC, caches: dict[tuple[str, str], str] = ZEN4,
          name: str = "a") -> dict[str, object]:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "cpuinfo").write_text(cpuinfo)
    return fingerprint(folder / "cpuinfo", _caches(folder / "cache", caches))


def test_a_fingerprint_reads_the_first_cpu_its_decisive_features_and_its_caches(
        tmp_path: Path) -> None:
    found = _host(tmp_path)
    assert (found["vendor"], found["cpu_model"], found["family"], found["model"],
            found["stepping"], found["microcode"]) == (
        "AuthenticAMD", "AMD EPYC", "25", "17", "1", "0x1000065")
    assert found["features"] == ["sse2", "pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16",
                                 "avx", "avx2", "fma", "f16c", "bmi1", "bmi2", "abm", "movbe",
                                 "xsave", "erms", "fsrm", "avx512f", "avx512bw", "avx512cd",
                                 "avx512dq", "avx512vl"]
    assert found["isa_level"] == "x86-64-v4" and found["virtual"] == "yes"
    assert found["caches"] == {"L1d": "32K", "L1i": "32K", "L2": "1024K", "L3": "32768K"}
    assert found["unreadable"] == {}


def test_the_level_is_the_highest_whose_every_feature_is_there(tmp_path: Path) -> None:
    without_movbe = EPYC.replace(" movbe", "").replace(" hypervisor", "")
    found = _host(tmp_path, without_movbe)
    assert found["isa_level"] == "x86-64-v2" and found["virtual"] == "no"


def test_what_cannot_be_read_is_unknown_by_name_and_reading_goes_on(tmp_path: Path) -> None:
    found = fingerprint(tmp_path / "no-cpuinfo", tmp_path / "no-caches")
    for field in ("vendor", "family", "model", "stepping", "features", "virtual", "caches"):
        assert found[field] == "unknown", field
        assert field in found["unreadable"], field  # type: ignore[operator]
    assert "no-cpuinfo" in found["unreadable"]["cpuinfo"]  # type: ignore[index]
    assert found["kernel"] != "unknown"  # platform still says
    assert host_id(found).startswith("h")


def test_an_unreadable_cache_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "index0"
    folder.mkdir(parents=True)
    (folder / "level").write_text("1\n")
    found = fingerprint(tmp_path / "missing", tmp_path / "cache")
    assert found["caches"] == "unknown"
    assert "type" in found["unreadable"]["caches"]  # type: ignore[index]


def test_the_host_name_changes_with_what_decides_speed_and_only_with_that(
        tmp_path: Path) -> None:
    first = _host(tmp_path)
    assert host_id(first) == host_id(_host(tmp_path, name="again"))
    later_microcode = _host(tmp_path, EPYC.replace("0x1000065", "0x1000066"), name="micro")
    assert host_id(later_microcode) == host_id(first)
    no_avx512 = _host(tmp_path, EPYC.replace(" avx512f", ""), name="avx512")
    other_l3 = _host(tmp_path, caches={**ZEN4, ("3", "Unified"): "16384K"}, name="l3")
    milan = _host(tmp_path, EPYC.replace("model\t\t: 17", "model\t\t: 1"), name="milan")
    names = {host_id(found) for found in (first, no_avx512, other_l3, milan)}
    assert len(names) == 4
    assert host_label(first) == f"AMD EPYC (host {host_id(first)})"


def test_the_kernel_is_part_of_the_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    first = _host(tmp_path)
    monkeypatch.setattr(host.platform, "release", lambda: "6.1.0-99-cloud-amd64")
    assert host_id(_host(tmp_path, name="kernel")) != host_id(first)


def test_the_reference_runs_every_round_in_a_fresh_process() -> None:
    seconds, checksum = host._reference_run(2_000, sys.executable)
    assert seconds > 0
    assert checksum == host.reference_workload(2_000)
    assert reference_seconds(2_000) > 0


def test_a_reference_that_cannot_run_says_where(tmp_path: Path) -> None:
    with pytest.raises(HostError, match="could not start"):
        reference_seconds(10, str(tmp_path / "no-python"))
    failing = tmp_path / "python"
    failing.write_text("#!/bin/sh\necho 'boom' >&2\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(HostError, match=r"status 3\): boom"):
        reference_seconds(10, str(failing))


def test_asvs_cpu_field_names_the_host_and_older_values_name_none(tmp_path: Path) -> None:
    found = _host(tmp_path)
    assert host.named_host(host_label(found)) == host_id(found)
    for older in ("AMD EPYC", "varies by host (a GitHub-hosted runner): see each "
                  "interpreter's build facts", None, 3, "x (host h123)"):
        assert host.named_host(older) is None


def test_the_description_says_every_field_and_names_what_is_unknown(tmp_path: Path) -> None:
    said = host.describe(_host(tmp_path))
    assert said.startswith("AMD EPYC (family 25, model 17, stepping 1), x86-64-v4, L1d 32K")
    assert "virtual: yes" in said and "unreadable" not in said
    unknown = host.describe(fingerprint(tmp_path / "none", tmp_path / "none"))
    assert "caches unknown" in unknown and "unreadable: cpuinfo (" in unknown
