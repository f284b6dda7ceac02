from taskbench.site.build import main

raise SystemExit(main())
