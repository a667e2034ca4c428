"""Input problems: what is wrong, where (file, row or field path), which id, and why.

Every reader and validator collects :class:`InputProblem` items and raises one
:class:`InvalidInput` carrying all of them, so a planner fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One thing wrong with the input.

    Attributes
    ----------
    source:
        The file (or ``"request"`` for an API body) the problem is in.
    where:
        Row (``"row 12"``) or field path (``"cadres[3].rank"``) inside the source.
    message:
        Why it is wrong, in words a planner can act on.
    id:
        The community or cadre id concerned, when there is one.
    field:
        The field name concerned, when there is one.
    """

    source: str
    where: str
    message: str
    id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.source]
        if self.where:
            parts.append(self.where)
        if self.field and self.field not in self.where:
            parts.append(f"field '{self.field}'")
        head = ", ".join(parts)
        who = f" [{self.id}]" if self.id else ""
        return f"{head}{who}: {self.message}"

    def to_dict(self) -> dict[str, str | None]:
        """Plain-JSON form, used by the CLI's JSON output and the API's problem+json."""
        return {
            "source": self.source,
            "where": self.where,
            "id": self.id,
            "field": self.field,
            "message": self.message,
        }


class InvalidInput(Exception):
    """Raised with every problem found in the input, never with just the first."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, with a count on top."""
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
