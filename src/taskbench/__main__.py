from taskbench.cli import main
from taskbench.output import run

raise SystemExit(run(main))
