"""The page's skill words (rule_sentences.js) mirror the model's vocabulary, so a skill mix
reads and saves the same on the page as in the CLI and the documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

from matcher.model.skills import SKILLS

SCRIPT = Path(__file__).parents[2] / "matcher_service" / "web" / "static" / "rule_sentences.js"


def test_page_skills_match_the_model() -> None:
    """Every tag and its Chinese word agree, none missing on either side."""
    block = re.search(r"export const SKILLS = \{(.*?)\};", SCRIPT.read_text("utf-8"), re.S)
    assert block is not None
    pairs = re.findall(r'"?([a-z-]+)"?\s*:\s*"([^"]+)"', block.group(1))
    assert dict(pairs) == SKILLS, json.dumps(dict(pairs), ensure_ascii=False)
