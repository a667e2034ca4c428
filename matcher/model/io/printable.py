"""One rule for text that goes into documents: no control characters.

A name or unit pasted from another system may carry control characters (U+0000–U+001F except
tab, newline and carriage return, and U+007F–U+009F). openpyxl refuses them in cells and a
PDF shows them as boxes, so every document writer passes its cells through
:func:`printable`: the characters are dropped, everything else is kept as it is.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(value: Any) -> Any:
    """``value`` with control characters removed when it is text; other values unchanged."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


__all__ = ["CONTROL", "printable"]
