"""Input problems: what is wrong, where (file, row or field path), which id, and why.

Every reader and validator collects :class:`InputProblem` items and raises one
:class:`InvalidInput` carrying all of them, so a planner fixes a file in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from matcher.model.messages import Lang, Text, localise, localise_where

Severity = Literal["error", "warning"]


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
    severity:
        ``error`` (the round cannot be used as it is) or ``warning`` (it reads; look anyway).
    zh:
        The message in Chinese, when it was written in both languages (see
        :mod:`matcher.model.messages`); otherwise :meth:`render` translates what it can.
    """

    source: str
    where: str
    message: str
    id: str | None = None
    field: str | None = None
    severity: Severity = "error"
    zh: str | None = None

    @classmethod
    def said(
        cls,
        source: str,
        where: str,
        text: Text,
        *,
        id: str | None = None,
        field: str | None = None,
        severity: Severity = "error",
    ) -> InputProblem:
        """A problem whose message comes from the catalogue in both languages."""
        return cls(source, where, text.en, id=id, field=field, severity=severity, zh=text.zh)

    def text(self, lang: Lang) -> str:
        """The message alone, in ``lang``."""
        if lang == "zh":
            return self.zh or localise(self.message, "zh")
        return self.message

    def render(self, lang: Lang = "en") -> str:
        """The whole problem as one line in ``lang`` (``en`` is the same as ``str()``)."""
        if lang == "en":
            return str(self)
        parts = [self.source]
        if self.where:
            parts.append(localise_where(self.where, "zh"))
        if self.field and self.field not in self.where:
            parts.append(f"字段 {self.field}")
        who = f" [{self.id}]" if self.id else ""
        return f"{'，'.join(parts)}{who}：{self.text('zh')}"

    def moved(self, **changes: str | None) -> InputProblem:
        """The same problem elsewhere (source, where, field…), keeping severity and Chinese."""
        return replace(self, **changes)  # type: ignore[arg-type]

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
            "message_zh": self.text("zh"),
            "severity": self.severity,
        }


class InvalidInput(Exception):
    """Raised with every problem found in the input, never with just the first."""

    def __init__(
        self, problems: list[InputProblem], warnings: list[InputProblem] | None = None
    ) -> None:
        self.problems = list(problems)
        self.warnings = list(warnings or [])
        self.lang: Lang | None = None  # the language of the input's headers, when known
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, with a count on top."""
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
