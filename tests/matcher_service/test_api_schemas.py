"""Response models that mirror the engine's report dataclasses keep their fields in step."""

from __future__ import annotations

import dataclasses
from typing import Literal

import pytest
from pydantic import ValidationError

from matcher.analysis.explain import Alternative
from matcher.analysis.kpis import KPI_FIELDS
from matcher_service.routes.what_if import AlternativeOut, DistrictKpisOut, KpisOut
from matcher_service.schemas import Out


def test_mirrored_model_has_the_dataclass_fields_in_order() -> None:
    """KpisOut lists every KPI of matcher.analysis.kpis, in order, all required."""
    assert tuple(KpisOut.model_fields) == KPI_FIELDS
    assert all(f.is_required() for f in KpisOut.model_fields.values())
    assert tuple(DistrictKpisOut.model_fields) == (*KPI_FIELDS, "code", "name")


def test_body_annotations_narrow_a_mirrored_field_in_place() -> None:
    """A field annotated in the class body keeps its place and takes the narrower type."""
    names = [f.name for f in dataclasses.fields(Alternative)]
    assert list(AlternativeOut.model_fields) == names
    assert (
        AlternativeOut.model_fields["status"].annotation
        == Literal["excluded", "locked", "holds", "free"]
    )


def test_mirrored_model_still_forbids_unknown_fields() -> None:
    """A mirrored response model rejects a field the dataclass does not have."""

    @dataclasses.dataclass
    class Pair:
        a: int
        b: str | None

    class PairOut(Out, mirror=Pair):
        """A pair."""

    assert PairOut(a=1, b=None).model_dump() == {"a": 1, "b": None}
    with pytest.raises(ValidationError):
        PairOut.model_validate({"a": 1, "b": "x", "c": 2})
