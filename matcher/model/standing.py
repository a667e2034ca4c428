"""A cadre's standing in words: the disqualifying conditions and missing clearances that bar
them, as the roster and the explanations cite them (the condition's text, not only its code)."""

from __future__ import annotations

from matcher.model.disqualifications import Catalogue, bundled
from matcher.model.round import Cadre, Round
from matcher.model.vetting import missing, missing_words


def catalogue(rnd: Round) -> Catalogue:
    """The bundled catalogue with the round's own conditions."""
    return bundled().with_round(rnd.disqualification_conditions)


def disqualification_words(rnd: Round, cadre: Cadre) -> list[str]:
    """Each recorded condition in words: ``不得当选情形 D07 正在接受纪律审查…``."""
    cat = catalogue(rnd)
    return [f"不得当选情形 {cat.words(d.code, d.reason)}" for d in cadre.disqualifications]


def clearance_words(rnd: Round, cadre: Cadre) -> str:
    """``资格联审缺项：纪检监察（待审）`` when a required clearance is missing, else ""."""
    rule = rnd.rules.clearances
    gaps = missing(cadre.clearances, rule.required) if rule.enabled else []
    return f"资格联审缺项：{missing_words(gaps)}" if gaps else ""


def bars(rnd: Round, cadre: Cadre) -> list[str]:
    """Everything that bars ``cadre`` from every post, in words (empty when nothing does)."""
    out = disqualification_words(rnd, cadre) if rnd.rules.exclude_disqualified.enabled else []
    gap = clearance_words(rnd, cadre)
    return out + ([gap] if gap else [])


def resolve_disqualifications(rnd: Round) -> Round:
    """The round with free-text disqualifications matched to catalogue codes (or ``other``)."""
    cat = catalogue(rnd)
    cadres = []
    changed = False
    for cad in rnd.cadres:
        fixed = []
        for d in cad.disqualifications:
            code, reason = cat.resolve(d.code, d.reason)
            fixed.append(d.model_copy(update={"code": code, "reason": reason}))
        if fixed != cad.disqualifications:
            changed = True
            cad = cad.model_copy(update={"disqualifications": fixed})
        cadres.append(cad)
    return rnd.model_copy(update={"cadres": cadres}) if changed else rnd
