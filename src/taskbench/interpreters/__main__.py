from taskbench.interpreters.provision import main

raise SystemExit(main())
