from fleet.cli.main import main

raise SystemExit(main())
