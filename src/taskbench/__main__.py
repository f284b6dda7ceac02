from taskbench.cli import main

raise SystemExit(main())
