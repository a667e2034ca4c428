"""Why a cadre has no post, in the department's words (for :meth:`Explainer.cadre
<matcher.analysis.explain.Explainer.cadre>`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matcher.analysis.comparison import rank_words
from matcher.analysis.explain_alternative import alternative
from matcher.analysis.explain_records import Alternative, CadreExplanation
from matcher.model.standing import bars

if TYPE_CHECKING:
    from matcher.analysis.explain import Explainer


def explain_cadre(ex: Explainer, cadre_id: str) -> CadreExplanation:
    """Why a cadre without a post has none: a bar (condition, missing clearance) first, then
    no candidate post within reach, every pair excluded, or the post it comes closest to
    (its best alternative set against that post's dearest holder)."""
    v = ex.view
    j = v.cadre_index[cadre_id]
    mine = [int(k) for k in v.of_cadre(j)]
    excluded: dict[str, int] = {}
    for k in mine:
        for w in v.excluded_by(k):
            excluded[w] = excluded.get(w, 0) + 1
    eligible = [k for k in mine if v.cand_arc[k] >= 0]
    # a bar (condition, missing clearance) comes first, whatever else keeps the cadre out
    sep = ex.words.t("；", "; ")
    cadre = ex.round.cadres[j]
    barred = "".join(f"{b}{sep}" for b in bars(ex.round, cadre, ex.lang))
    if not mine:
        why = barred + ex.words.cadre_out_of_reach()
        name, title = ex.words.name_of_cadre(cadre_id), ex.title(cadre_id) or ""
        return CadreExplanation(cadre_id, why, 0, 0, name=name, title=title)
    if not eligible:
        why = barred + ex.words.cadre_all_excluded(excluded)
        name, title = ex.words.name_of_cadre(cadre_id), ex.title(cadre_id) or ""
        return CadreExplanation(cadre_id, why, len(mine), 0, excluded, name=name, title=title)
    best: tuple[int, Alternative, str] | None = None
    for k in eligible:
        g = int(v.cand_group[k])
        worst = max(ex.by_group[g], key=lambda a: a.cost)  # dearest holder or a vacancy
        holder = None if worst.cadre_id is None else v.cadre_index[worst.cadre_id]
        alt = alternative(v, ex.words, ex.lang, k, g, holder, worst)
        score = alt.move_cost if alt.move_cost is not None else alt.cost_difference
        if best is None or score < best[0]:
            best = (score, alt, v.group_label(g))
    assert best is not None
    _, alt, label = best
    # said of the cadre itself: "与现任人选相比，该社区距离增加 3.4 公里…", not "换成 它自己"
    swap = ex.words.t(f"换成 {ex.words.cadre(cadre_id)}：", f"Swap in {ex.words.cadre(cadre_id)}: ")
    versus = ex.words.t("与现任人选相比，", "against the holder, ")
    said = versus + alt.why.removeprefix(swap) if alt.why.startswith(swap) else alt.why
    why = ex.words.cadre_outranked(len(eligible), label, said)
    name = ex.words.name_of_cadre(cadre_id)
    title = rank_words(ex.round.cadres[j], ex.lang)
    return CadreExplanation(
        cadre_id, why, len(mine), len(eligible), excluded, alt, label, name=name, title=title
    )


__all__ = ["explain_cadre"]
