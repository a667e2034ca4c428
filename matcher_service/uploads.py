"""Rounds uploaded as files: a JSON round, an XLSX workbook, a set of CSV files, or GeoJSON.

Files are saved under their own (sanitised) names in a temporary folder and read with
:func:`matcher.model.io.read_round`, so problems name the uploaded file, row and column. A GeoJSON
FeatureCollection supplies the communities (properties = community fields, Point → location,
Polygon/MultiPolygon → polygon) and a ``.json`` round file beside it supplies the rest.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path
from typing import Any

from matcher.model.io import read_round
from matcher.model.io.json_round import parse_json
from matcher.model.io.mapping import Mapping
from matcher.model.io.xlsx_guard import WorkbookTooLarge, XlsxLimits, check_workbook
from matcher.model.problems import InputProblem, InvalidInput
from matcher.model.round import Round
from matcher.model.validate import Origin, validate_round

_SAFE = re.compile(r"[^\w.-]+")  # \w keeps Chinese names (社区.csv, 名单.xlsx)
_COMMUNITY_AT = re.compile(r"^communities\[(\d+)\](.*)$")


def safe_name(name: str | None, index: int) -> str:
    """A file name that cannot leave the temporary folder."""
    base = _SAFE.sub("_", Path(name or "").name).strip("._") or f"upload-{index}"
    return base[:100]


def read_upload(
    files: list[tuple[str, bytes]],
    limits: XlsxLimits | None = None,
    mapping: Mapping | None = None,
) -> Round:
    """The round in the uploaded ``(name, content)`` files; InvalidInput names every problem.

    A workbook is first checked against ``limits`` (the service's own, tighter than the
    reader's defaults: rows as many as the entity limits allow), and so are CSV files
    (:func:`guard_csv`), so a bomb stops before any row is parsed."""
    if not files:
        raise InvalidInput([InputProblem("request", "files", "upload at least one file")])
    names = [safe_name(n, i) for i, (n, _) in enumerate(files)]
    if len(set(names)) != len(names):
        raise InvalidInput([InputProblem("request", "files", "two files have the same name")])
    if limits is not None:
        for n, (_, data) in zip(names, files, strict=True):
            if Path(n).suffix.lower() == ".csv":
                guard_csv(n, data, limits.max_rows)
    by_suffix: dict[str, list[str]] = {}
    for n in names:
        by_suffix.setdefault(Path(n).suffix.lower(), []).append(n)
    with tempfile.TemporaryDirectory(prefix="matcher-upload-") as tmp:
        folder = Path(tmp)
        for n, (_, data) in zip(names, files, strict=True):
            (folder / n).write_bytes(data)
        geo = by_suffix.get(".geojson", [])
        if geo:
            return _with_geojson(folder, geo, by_suffix.get(".json", []), names)
        if ".csv" in by_suffix:
            return _read(folder, folder, mapping)
        suffix = Path(names[0]).suffix.lower()
        if len(names) == 1 and suffix in (".json", ".xlsx", ".xlsm"):
            if suffix != ".json" and limits is not None:
                guard_workbook(folder / names[0], limits, folder)
            return _read(folder / names[0], folder, mapping)
    raise InvalidInput(
        [
            InputProblem(
                "request",
                "files",
                "send one .json or .xlsx round, CSV files (communities.csv, cadres.csv, "
                "optional rules.csv and round.json), or communities as .geojson with a .json round",
            )
        ]
    )


def _read(path: Path, folder: Path, mapping: Mapping | None = None) -> Round:
    """read_round, with problems naming the uploaded files rather than the temporary folder."""
    try:
        return read_round(path, mapping=mapping)
    except InvalidInput as exc:
        raise type(exc)([_untemp(p, folder) for p in exc.problems]) from None


def guard_workbook(path: Path, limits: XlsxLimits, folder: Path) -> None:
    """The workbook limits (413 for a bomb, 422 for a damaged file), problems naming the
    uploaded file rather than the temporary folder."""
    try:
        check_workbook(path, limits)
    except InvalidInput as exc:
        raise type(exc)([_untemp(p, folder) for p in exc.problems]) from None


def guard_csv(name: str, data: bytes, max_rows: int) -> None:
    """Refuse (413) a CSV file of more than ``max_rows`` rows, counted as the reader will see
    them (quoted line breaks stay inside their row) and stopping at the first row too many —
    before any row becomes a cadre or a community, which costs time and memory per row."""
    if data.count(b"\n") < max_rows:  # fewer lines than allowed rows: nothing to count
        return
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="replace", newline="")
    try:
        for n, _ in enumerate(csv.reader(text), start=1):
            if n > max_rows:
                message = f"more than {max_rows} rows; this service reads at most that many"
                raise WorkbookTooLarge([InputProblem(name, f"row {n}", message)])
    except csv.Error:
        return  # a malformed file: the reader names the row
    finally:
        text.detach()


def _untemp(p: InputProblem, folder: Path) -> InputProblem:
    source = p.source.replace(f"{folder}/", "").replace(str(folder), "upload")
    return p.moved(source=source)


def _load(path: Path) -> Any:
    return parse_json(path.read_bytes(), path.name)


def geojson_communities(doc: Any, source: str) -> list[dict[str, Any]]:
    """Community dicts from a GeoJSON FeatureCollection (problems name the feature)."""
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InvalidInput([InputProblem(source, "", "must be a GeoJSON FeatureCollection")])
    features = doc.get("features")
    if not isinstance(features, list):
        raise InvalidInput([InputProblem(source, "features", "must be a list")])
    out: list[dict[str, Any]] = []
    problems: list[InputProblem] = []
    for i, feat in enumerate(features):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            problems.append(InputProblem(source, f"features[{i}]", "a feature needs properties"))
            continue
        item = dict(props)
        geom = feat.get("geometry") if isinstance(feat, dict) else None
        kind = geom.get("type") if isinstance(geom, dict) else None
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if kind == "Point" and isinstance(coords, list) and len(coords) >= 2:
            item.setdefault("location", {"lon": coords[0], "lat": coords[1]})
        elif kind == "Polygon" and isinstance(coords, list):
            item.setdefault("polygon", {"rings": coords})
        elif kind == "MultiPolygon" and isinstance(coords, list) and coords:
            item.setdefault("polygon", {"rings": coords[0]})
        elif geom is not None:
            problems.append(
                InputProblem(
                    source,
                    f"features[{i}].geometry",
                    "use a Point, Polygon or MultiPolygon",
                    id=str(props.get("id")),
                )
            )
        out.append(item)
    if problems:
        raise InvalidInput(problems)
    return out


def _with_geojson(folder: Path, geo: list[str], jsons: list[str], names: list[str]) -> Round:
    if len(geo) != 1 or len(jsons) > 1 or len(names) != len(geo) + len(jsons):
        raise InvalidInput(
            [InputProblem("request", "files", "send one .geojson (communities) and one .json")]
        )
    raw: dict[str, Any] = {}
    if jsons:
        loaded = _load(folder / jsons[0])
        if not isinstance(loaded, dict):
            raise InvalidInput([InputProblem(jsons[0], "", "must be a JSON object")])
        raw = loaded
    raw["communities"] = geojson_communities(_load(folder / geo[0]), geo[0])
    source = jsons[0] if jsons else geo[0]
    try:
        return validate_round(raw, Origin(source))
    except InvalidInput as exc:
        raise InvalidInput([_to_feature(p, geo[0]) for p in exc.problems]) from None


def _to_feature(p: InputProblem, geo: str) -> InputProblem:
    """Problems in a community point at its GeoJSON feature."""
    m = _COMMUNITY_AT.match(p.where)
    if not m:
        return p
    where = f"features[{m.group(1)}].properties{m.group(2)}"
    return p.moved(source=geo, where=where)
