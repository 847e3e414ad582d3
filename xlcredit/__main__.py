"""``python -m xlcredit``: the same as the ``xlcredit`` command."""

from xlcredit.cli import main

raise SystemExit(main())
