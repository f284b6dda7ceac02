"""Run by asv after installing taskbench into an environment (see ``install_command``).

asv installs pympler into every environment it creates, for its ``mem_`` benchmarks. On PyPy,
importing pympler fails with a KeyError inside PyPy's typedef machinery, and asv's benchmark
discovery imports it, so no benchmark at all would run. asv_runner skips ``mem_`` benchmarks
when pympler cannot be imported, so on PyPy this removes it (taskbench has no ``mem_``
benchmarks: bytes per task are counted with tracemalloc, which PyPy lacks, and shown n/a).
"""

from __future__ import annotations

import platform
import subprocess
import sys


def main() -> int:
    if platform.python_implementation() != "PyPy":
        return 0
    result = subprocess.run([sys.executable, "-m", "pip", "uninstall", "--yes", "pympler"],
                            capture_output=True, text=True, check=False)
    if result.returncode == 0:
        print("taskbench: removed pympler from this PyPy environment; asv's benchmark "
              "discovery fails on PyPy while it is installed (mem_ benchmarks: n/a)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
