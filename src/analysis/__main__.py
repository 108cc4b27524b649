from analysis.cli import exit_like, main

exit_like(main())
