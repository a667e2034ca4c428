"""A cadre's standing in words: the disqualifying conditions and missing clearances that bar
them, as the roster and the explanations cite them (the condition's text, not only its code)."""

from __future__ import annotations

from matcher.model.disqualifications import Catalogue, bundled
from matcher.model.round import Cadre, Round
from matcher.model.vetting import answer_words, answered_against, missing, missing_words


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


def vetting_words(rnd: Round, cadre: Cadre) -> str:
    """``纪检监察审查待定`` when the vetting's answers bar the cadre (default rule), else ""."""
    rule = rnd.rules.vetting
    if not rule.enabled:
        return ""
    need = rnd.rules.clearances.required
    return answer_words(answered_against(cadre.clearances, need, rule.pending == "any"))


_PARTY_BAR = {
    "non-member": "非中共党员，不能担任第一书记",
    "probationary": "中共预备党员，不能担任第一书记（本轮不接受预备党员）",
    "unknown": "政治面貌不详，不能担任第一书记",
}


def party_words(rnd: Round, cadre: Cadre) -> str:
    """``非中共党员，不能担任第一书记`` when the first-secretary rule bars the cadre, else ""."""
    rule = rnd.rules.party_secretary
    standing = cadre.party.value
    if not rule.enabled or standing == "member":
        return ""
    if standing == "probationary" and rule.probationary:
        return ""
    return _PARTY_BAR[standing]


def bars(rnd: Round, cadre: Cadre) -> list[str]:
    """Everything that bars ``cadre`` from posts, in words (empty when nothing does): from
    every post (不得当选情形, vetting) or from first-secretary posts (Party membership)."""
    out = disqualification_words(rnd, cadre) if rnd.rules.exclude_disqualified.enabled else []
    words = (clearance_words(rnd, cadre), vetting_words(rnd, cadre), party_words(rnd, cadre))
    return out + [w for w in words if w]


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
