"""Entry point for ``python -m rnnviz``."""

from rnnviz.cli import main

raise SystemExit(main())
