"""``python -m taskbench share``: an unchanged program's tasks counted in separate processes,
its share with an interval, and every bad input ending in words with the right status.

The programs of every kind (Textual, aiohttp, uvloop, a factory of the program's own) on
every interpreter are run by ``tests/slow/test_share_programs.py``; here, on this
interpreter, what share itself decides."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, run_python
from taskbench.share import find_interpreter, program_spec, typed_interpreter

PROGRAMS = ROOT / "tests" / "programs"


def share(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_python("-m", "taskbench", "share", *arguments, cwd=cwd, timeout=300)


def row(output: str, label: str) -> str:
    """The cells of one row of share's table (one interpreter: one cell)."""
    match = re.search(rf"^{re.escape(label)}\s+(.*)$", output, re.MULTILINE)
    assert match, output
    return match.group(1).strip()


def test_a_program_is_measured_in_three_processes_with_exact_tasks_and_an_interval() -> None:
    result = share("--", str(PROGRAMS / "counted_loop.py"), "40")
    assert result.returncode == 0, result.stderr
    assert row(result.stdout, "processes") == "3"
    # The coroutine given to run_until_complete, 40 from ensure_future, 40 from asyncio.Task.
    assert row(result.stdout, "tasks created") == "81 (every process)"
    assert re.fullmatch(r"[\d.]+% \([-\d.]+%–[\d.]+%\)", row(result.stdout, "task share of "
                                                              "CPU time"))
    assert re.fullmatch(r"[\d.]+ µs \(-?[\d.]+–[\d.]+\) at 81 tasks",
                    row(result.stdout, "one task of the classic cycle"))
    assert "µs a task" in row(result.stdout, "the counting hooks' own cost")
    assert "EventLoop" in row(result.stdout, "event loops (last process)")
    assert result.stderr.count("process ") == 3


def test_the_program_sees_its_own_argv_and_path_as_under_python(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("VALUE = 'found beside the script'\n")
    script = tmp_path / "show.py"
    script.write_text(textwrap.dedent("""
        import json, sys
        import helper
        with open(sys.argv[2], "w") as out:
            json.dump({"argv": sys.argv, "path0": sys.path[0], "helper": helper.VALUE,
                       "name": __name__}, out)
        sys.exit(7)  # one process is enough to look
    """))
    record = tmp_path / "seen.json"
    result = share("--", str(script), "an argument", str(record))
    assert result.returncode == 7, result.stderr
    seen = json.loads(record.read_text())
    assert seen == {"argv": [str(script), "an argument", str(record)], "path0": str(tmp_path),
                    "helper": "found beside the script", "name": "__main__"}


def test_a_module_runs_as_under_python_dash_m(tmp_path: Path) -> None:
    (tmp_path / "served.py").write_text(
        "import sys\nprint('argv', sys.argv[1:], __name__)\nsys.exit(7)\n")
    result = share("--", "-m", "served", "x", cwd=tmp_path)
    assert result.returncode == 7, result.stderr
    assert "argv ['x'] __main__" in result.stdout


def test_code_runs_as_under_python_dash_c() -> None:
    result = share("--", "-c", "import sys; print('argv', sys.argv); sys.exit(7)", "y")
    assert result.returncode == 7, result.stderr
    assert "argv ['-c', 'y']" in result.stdout


@pytest.mark.parametrize(("program", "status", "message"), [
    ("import sys\nsys.exit(3)\n", 3, "exited with status 3"),
    ("print('no asyncio here')\n", 0, "never imported asyncio: it is not an asyncio program"),
    ("import asyncio\n", 0, "imported asyncio but never ran an event loop"),
    ("import asyncio\nloop = asyncio.new_event_loop()\nf = loop.create_future()\n"
     "loop.call_soon(f.set_result, 1)\nloop.run_until_complete(f)\n", 0,
     "ran 1 event loop(s) but created no task"),
    ("import asyncio\nasync def main():\n    raise ValueError('the program failed')\n"
     "asyncio.run(main())\n", 1, "exited with status 1"),
])
def test_a_program_with_nothing_to_measure_is_named_and_its_status_passed_on(
        tmp_path: Path, program: str, status: int, message: str) -> None:
    script = tmp_path / "program.py"
    script.write_text(program)
    result = share("--", str(script))
    assert result.returncode == status, result.stderr
    assert message in result.stderr
    assert result.stderr.count("process ") == 1  # no use running it again
    assert "task share" not in result.stdout


def test_a_program_that_leaves_without_a_word_is_named(tmp_path: Path) -> None:
    script = tmp_path / "vanishes.py"
    script.write_text("import os\nos._exit(0)\n")
    result = share("--", str(script))
    assert result.returncode == 1
    assert "without handing over its counts: it called os._exit" in result.stderr


def test_a_failing_programs_traceback_starts_at_the_program(tmp_path: Path) -> None:
    script = tmp_path / "fails.py"
    script.write_text("def main():\n    raise ValueError('the program failed')\nmain()\n")
    result = share("--", str(script))
    traceback = result.stderr.split("Traceback (most recent call last):\n")[1]
    assert traceback.splitlines()[0].startswith(f'  File "{script}", line 3')
    assert "shareboot" not in traceback and "runpy" not in traceback


@pytest.mark.parametrize(("arguments", "message"), [
    ([], "give the program after --"),
    (["--"], "give the program after --"),
    (["--", "-m"], "-m needs a module"),
    (["--", "-x", "y"], "give script.py ARGS, -m module ARGS or -c CODE"),
    (["--", "no-such-file.py"], "can't open file 'no-such-file.py'"),
    (["app.py", "--port", "0"], "the program and its arguments go after --"),
    (["--", "python9.99", "app.py"], "no 'python9.99' on PATH"),
    (["--", "/no/such/python3", "app.py"], "'/no/such/python3' is not an interpreter"),
    (["--", sys.executable, "-X", "dev", "app.py"], "passes no interpreter options on"),
    (["--python", "3.13", "--", sys.executable, "-c", "pass"], "given twice"),
    (["--processes", "2", "--", "x.py"], "must be 3 to 100"),
    (["--python", "3.99", "--", str(PROGRAMS / "asyncio_run.py")], "no interpreter"),
    (["--python", "cpython", "--", str(PROGRAMS / "asyncio_run.py")],
     "not an interpreter name taskbench knows"),
    (["--python", "3.12 JIT", "--", str(PROGRAMS / "asyncio_run.py")], "VAR=VALUE"),
])
def test_bad_arguments_end_with_a_message_and_status_2(arguments: list[str],
                                                       message: str) -> None:
    result = share(*arguments)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_missing_module_is_named_without_a_traceback(tmp_path: Path) -> None:
    result = share("--", "-m", "no_such_module_here", cwd=tmp_path)
    assert result.returncode == 2
    assert "no module named 'no_such_module_here'" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_the_program_and_reports_what_was_measured(tmp_path: Path) -> None:
    script = tmp_path / "forever.py"
    script.write_text(textwrap.dedent("""
        import asyncio
        async def nothing():
            pass
        async def main():
            print("serving", flush=True)
            while True:
                await asyncio.gather(*(nothing() for _ in range(10)))
                await asyncio.sleep(0.001)
        try:
            asyncio.run(main())
        except KeyboardInterrupt:
            pass  # a server's usual way out
    """))
    process = subprocess.Popen(
        [sys.executable, "-m", "taskbench", "share", "--", str(script)], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "serving"
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert row(out, "processes") == "1 (interrupted)"
    assert int(row(out, "tasks created").split()[0].replace(",", "")) > 10
    assert "no interval: 1 process" in row(out, "task share of CPU time")
    assert err.strip().splitlines()[-1].startswith("interrupted: the table holds")


def _seen_interpreter(tmp_path: Path) -> Path:
    """A script that records the interpreter it ran under, then stops (one process)."""
    script = tmp_path / "which.py"
    script.write_text("import json, sys\n"
                      "json.dump(sys.executable, open(sys.argv[1], 'w'))\nsys.exit(7)\n")
    return script


@pytest.mark.parametrize("typed", ["name on PATH", "path"])
def test_the_command_may_begin_with_its_interpreter_as_typed(tmp_path: Path, typed: str
                                                              ) -> None:
    # A stand-in "python3" the program must run under, not share's own interpreter: the
    # program sees it as sys.executable (a virtualenv's python must stay that virtualenv's).
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "python3").symlink_to(sys.executable)
    record = tmp_path / "seen.json"
    word = "python3" if typed == "name on PATH" else str(folder / "python3")
    result = run_python("-m", "taskbench", "share", "--", word,
                        str(_seen_interpreter(tmp_path)), str(record), timeout=300,
                        env={"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 7, result.stderr
    assert json.loads(record.read_text()) == str(folder / "python3")


def test_a_script_whose_name_begins_with_python_is_the_program(tmp_path: Path) -> None:
    script = tmp_path / "python_app.py"
    script.write_text("")
    assert typed_interpreter([str(script), "x"]) == (None, [str(script), "x"])
    found, rest = typed_interpreter([sys.executable, "-m", "pytest"])
    assert found is not None and found.executable == sys.executable
    assert rest == ["-m", "pytest"]


def test_program_spec_reads_the_three_forms(tmp_path: Path) -> None:
    script = tmp_path / "app.py"
    script.write_text("")
    assert program_spec([str(script), "-v"]) == ("script", str(script), ["-v"])
    assert program_spec(["-m", "pytest", "-x"]) == ("module", "pytest", ["-x"])
    assert program_spec(["-c", "pass", "a"]) == ("code", "pass", ["a"])


def test_python_may_be_the_path_of_an_interpreter(tmp_path: Path) -> None:
    found = find_interpreter(sys.executable)
    assert found.executable == sys.executable and found.label == sys.executable
    with pytest.raises(ValueError, match="is not an interpreter that can be run"):
        find_interpreter(str(tmp_path / "no-such-python"))
