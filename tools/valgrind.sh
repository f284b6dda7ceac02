#!/usr/bin/env bash
# Make sure valgrind is there for the instruction counts: Debian's valgrind package,
# installed the first time where apt-get and root are at hand. Without it the main job still
# runs; the instruction counts are then n/a, with "install valgrind" in the reason.
set -uo pipefail

if command -v valgrind >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian's valgrind for the instruction counts ..."
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind \
            >/dev/null; then
        exit 0
    fi
fi
echo "warning: valgrind is not installed and could not be installed here; the instruction" \
     "counts will be n/a (install it: sudo apt-get install valgrind)." >&2
exit 0
