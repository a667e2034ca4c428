"""Hypothesis runs derandomized in the suite, so the same commit passes or fails the same way
(the guide's determinism); ``HYPOTHESIS_PROFILE=explore`` draws fresh examples each run, and
``make crosscheck`` explores thousands of seeded rounds."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("suite", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))
