#!/usr/bin/env bash
# Make .venv with the pinned tools and taskbench itself; a no-op when the pins are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${TASKBENCH_TOOLS_PYTHON:-python3}
stamp=.venv/.taskbench-tools
wanted=$(cat requirements/tools.txt pyproject.toml src/taskbench/workloads/asvenv.py src/taskbench/workloads/clients/*.txt | sha256sum | cut -d' ' -f1)

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && .venv/bin/python -c "" 2>/dev/null; then
    exit 0
fi
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c "import venv" 2>/dev/null; then
    echo "error: $python with the venv module is needed to create .venv;" \
         "set TASKBENCH_TOOLS_PYTHON to a Python 3.9+ that has it." >&2
    exit 1
fi
echo "Creating .venv with the pinned tools (requirements/tools.txt) ..."
"$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    --require-hashes -r requirements/tools.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
# The clients the anatomy benchmarks measure (uvloop, Textual), at the pins the asv
# environments get, so that the tests exercise them too.
.venv/bin/python -m taskbench.workloads.asvenv
echo "$wanted" > "$stamp"
