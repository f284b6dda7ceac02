#!/usr/bin/env bash
# Make sure a Chromium and its ChromeDriver are there for the browser test: Debian's
# chromium and chromium-driver packages, installed the first time. Elsewhere (a CI runner
# with Chrome), set TASKBENCH_CHROME and TASKBENCH_CHROMEDRIVER instead.
set -euo pipefail

if [ -n "${TASKBENCH_CHROME:-}" ] && [ -n "${TASKBENCH_CHROMEDRIVER:-}" ]; then
    exit 0
fi
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: the browser test needs Chromium and ChromeDriver; install them, or set" \
         "TASKBENCH_CHROME and TASKBENCH_CHROMEDRIVER to their paths." >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "error: installing Debian's chromium and chromium-driver needs root:" \
         "run 'sudo apt-get install chromium chromium-driver' once." >&2
    exit 1
fi
echo "Installing Debian's chromium and chromium-driver for the browser test ..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
