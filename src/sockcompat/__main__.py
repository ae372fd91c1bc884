"""``python -m sockcompat``: the same command as the ``sockcompat`` script."""

import sys

from sockcompat.cli.main import main

sys.exit(main())
