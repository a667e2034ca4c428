"""Every notebook in notebooks/ runs top to bottom (stored without outputs, so it cannot rot)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_clean_and_executes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebook has no stored outputs and every cell runs without error."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "store notebooks clean"
    # The kernel imports the project from the repository root, as an installed package would.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=240,
        resources={"metadata": {"path": str(REPO)}},
    )
    client.execute()
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("output_type") == "error"
    ]
    assert not errors


def test_there_is_a_notebook() -> None:
    """The what-if notebook exists (an empty folder would make the check above vacuous)."""
    assert any(p.name == "what_if.ipynb" for p in NOTEBOOKS)
