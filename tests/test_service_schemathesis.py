"""Property-based checks of the whole API against its OpenAPI spec (schemathesis), with
stored rounds, jobs and plans so every plan endpoint answers with real data: no 5xx, and
every response conforms to the documented status codes, media types and schemas. The long
run is ``make fuzz`` (benchmarks/fuzz.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from schemathesis import GenerationMode

from benchmarks.fuzz import Seeded, fuzz, seeded_service

MAX_EXAMPLES = 8


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """The app with its store migrated, three solved rounds and rounds to erase."""
    folder: Path = tmp_path_factory.mktemp("schemathesis")
    with seeded_service(f"sqlite:///{folder}/st.sqlite3", erasable=10) as seeded:
        yield seeded


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_api_conforms_to_its_spec(served: Seeded, mode: GenerationMode) -> None:
    """Generated requests never get a 5xx or a response the spec does not document, with
    plans present."""
    report = fuzz(served, MAX_EXAMPLES, [mode])
    assert report.cases > 0
    assert not report.failures, "\n\n".join(report.failures)
