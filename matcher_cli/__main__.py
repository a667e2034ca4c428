"""``python -m matcher_cli``: the same as the ``matcher`` console script."""

import sys

from matcher_cli import main

sys.exit(main())
