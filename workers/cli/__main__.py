"""python -m workers.cli: the command line (as `hoso`)."""

import sys

from workers.cli import main

sys.exit(main())
