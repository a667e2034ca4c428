"""``python -m cli``: the same as the ``matcher`` console script."""

import sys

from cli import main

sys.exit(main())
