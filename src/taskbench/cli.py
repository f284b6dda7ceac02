"""``python -m taskbench``: the classic table of tasks per second for this interpreter.

``python -m taskbench compare A B`` compares two interpreters in results/ instead (see
:mod:`taskbench.compare`).
"""

from __future__ import annotations

import argparse
import platform
import sys
from typing import Sequence

from taskbench.cycle import measure_throughput
from taskbench.sweeps import ORIGINAL_SWEEP, parse_counts


def _counts(text: str) -> list[int]:
    try:
        return parse_counts(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench",
        description=(
            "Create N do-nothing asyncio tasks with create_task, wait for them with "
            "asyncio.wait, and print tasks per second of CPU time (time.process_time) "
            "for each N, on a fresh event loop with the garbage collector enabled."),
        epilog="`python -m taskbench compare A B` compares two interpreters' results instead; "
               "`python -m taskbench compare --help` says how.",
    )
    parser.add_argument(
        "--counts", type=_counts, default=ORIGINAL_SWEEP, metavar="N,N,...",
        help="task counts to measure (default: 100000 to 1000000 in steps of 100000)")
    parser.add_argument(
        "--batches", type=int, default=1, metavar="B",
        help="report the median of B measurements per count (default: 1, as the original)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["compare"]:
        from taskbench.compare import main as compare_main

        return compare_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.batches < 1:
        build_parser().error(f"--batches must be at least 1, not {args.batches}")
    print(f"{platform.python_implementation()} {platform.python_version()} "
          f"({sys.executable})", flush=True)
    print(f"{'count':>12}  {'tasks/s':>12}", flush=True)
    for count in args.counts:
        throughput = measure_throughput(count, batches=args.batches)
        print(f"{count:>12,}  {throughput.tasks_per_second:>12,.0f}", flush=True)
    return 0
