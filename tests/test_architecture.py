"""The layers stay apart: the engine never loads geography or web frameworks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("geopandas", "shapely", "fastapi", "pyproj", "geodata", "starlette")


def test_matcher_imports_no_geo_or_web_packages() -> None:
    """Importing every matcher module pulls in none of geopandas, shapely, pyproj or fastapi."""
    code = (
        "import importlib, pkgutil, sys, matcher\n"
        "for m in pkgutil.walk_packages(matcher.__path__, 'matcher.'):\n"
        "    if m.name != 'matcher.__main__':\n"
        "        importlib.import_module(m.name)\n"
        f"bad = [n for n in {FORBIDDEN!r} if n in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_no_utils_grab_bags() -> None:
    """Modules are named for their concept: no utils.py / helpers.py / misc.py."""
    names = {p.name for p in ROOT.glob("**/*.py") if ".venv" not in p.parts}
    assert not names & {"utils.py", "helpers.py", "misc.py", "common.py"}
