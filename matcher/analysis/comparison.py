"""How an alternative cadre compares with the holder of a post, in the department's units.

A 部务会 cannot weigh points. It weighs kilometres, the rank title a person holds, how many of
the post's required skills each brings, whose wish the post was, and how many other people
would have to move. :func:`compare` measures exactly that for one alternative against the
holder (or against an empty post); :meth:`Comparison.words` says it:
"换成 张三（四级调研员）：该社区距离增加 1.2 公里，专长相符少 1 项，需另调 1 人".
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.model.language import chooser
from matcher.model.round import Cadre, Community
from matcher.model.skills import skills_text


def rank_words(cadre: Cadre, lang: str) -> str:
    """The rank as a department writes it: the title held, else the rung (副科 / 正科 …)."""
    return cadre.rank_title or (cadre.rank.label if lang != "en" else cadre.rank.english)


def person(cadre: Cadre, lang: str) -> str:
    """张三（四级调研员） / 张三 (四级调研员)."""
    r = rank_words(cadre, lang)
    return f"{cadre.name}（{r}）" if lang != "en" else f"{cadre.name} ({r})"


def post_words(community: Community | None, post_type: str, lang: str, slot: int = 0) -> str:
    """民族社区 第一书记 / 民族社区 兼职委员（2）, numbered as the roster numbers them
    (``slot`` > 0, where a community has several)."""
    t = chooser(lang)
    kind = (
        t("第一书记", "first secretary")
        if post_type == "full-time"
        else t("兼职委员", "part-time member")
    )
    if slot:
        kind = f"{kind}（{slot}）" if lang != "en" else f"{kind} {slot}"
    return f"{community.name} {kind}" if community is not None else kind


def required(community: Community, post_type: str) -> list[str]:
    """The skills the community asks of this kind of post."""
    need = community.required_skills
    return list(need.full_time if post_type == "full-time" else need.part_time)


def matched(cadre: Cadre | None, need: list[str]) -> list[str]:
    """The required skills the cadre brings, in the order the post lists them."""
    return [s for s in need if cadre is not None and s in cadre.skills]


def wish(cadre: Cadre | None, community_id: str) -> int | None:
    """The place of the community among the cadre's wishes (1 = first), 0 = wishes elsewhere,
    None = the cadre gave no wish."""
    if cadre is None or not cadre.preferences:
        return None
    prefs = list(cadre.preferences)
    return prefs.index(community_id) + 1 if community_id in prefs else 0


@dataclass(frozen=True, slots=True)
class Comparison:
    """An alternative against the holder of one post, in kilometres, ranks and counts.

    ``km_more``: the alternative's distance to the community minus the holder's (None when
    either is unknown or the post is empty); ``skills_more``: required skills matched, the
    alternative's count minus the holder's; ``rank_steps``: rungs above (+) or below (−) the
    holder, said only where weak-community priority counts; ``moves``: other people who must
    move (0, 1 …); ``left_vacant``: the alternative's own post would stay empty.
    """

    alternative: Cadre
    holder: Cadre | None
    community: Community
    post_type: str
    km: float | None
    km_more: float | None
    skills: tuple[str, ...]
    skills_more: int
    wish: int | None
    holder_wish: int | None
    rank_steps: int | None
    moves: int = 0
    left_vacant: bool = False

    def words(self, lang: str, *, named: bool = True) -> str:
        """换成 张三（四级调研员）：该社区距离增加 1.2 公里，专长相符少 1 项，需另调 1 人.

        ``named=False`` speaks of the alternative itself ("与现任人选相比：…"), for the
        explanation of a cadre without a post.
        """
        t = chooser(lang)
        who = person(self.alternative, lang)
        parts = self._distance(lang) + self._skills(lang) + self._rank(lang) + self._wish(lang)
        if self.moves:
            parts.append(t(f"需另调 {self.moves} 人", f"{self.moves} more person(s) to move"))
        if self.left_vacant:
            parts.append(t("其原岗位将空缺", "its own post would stay vacant"))
        if not parts:
            parts.append(t("各方面相当", "much the same on every count"))
        if not named:
            head = t("与现任人选相比：", "against the holder: ") if self.holder else ""
        else:
            head = t(f"换成 {who}：", f"Swap in {who}: ")
        return head + t("，", ", ").join(parts)

    def _distance(self, lang: str) -> list[str]:
        t = chooser(lang)
        if self.km_more is None:
            if self.km is None:
                return []
            return [t(f"距该社区 {self.km:.1f} 公里", f"{self.km:.1f} km from the community")]
        d = round(self.km_more, 1)
        if d > 0:
            return [t(f"该社区距离增加 {d:.1f} 公里", f"{d:.1f} km farther from the community")]
        if d < 0:
            return [t(f"该社区距离减少 {-d:.1f} 公里", f"{-d:.1f} km nearer the community")]
        return [t("距离相同", "same distance")]

    def _skills(self, lang: str) -> list[str]:
        t = chooser(lang)
        n = self.skills_more
        if n < 0:
            return [t(f"专长相符少 {-n} 项", f"{-n} fewer matching skill(s)")]
        if n > 0:
            has = skills_text(list(self.skills), lang)
            return [t(f"专长相符多 {n} 项（{has}）", f"{n} more matching skill(s) ({has})")]
        return []

    def _rank(self, lang: str) -> list[str]:
        t = chooser(lang)
        n = self.rank_steps
        if not n:
            return []
        if n < 0:
            return [t(f"软弱涣散社区配强：职级低 {-n} 级", f"weak community: {-n} rung(s) lower")]
        return [t(f"软弱涣散社区配强：职级高 {n} 级", f"weak community: {n} rung(s) higher")]

    def _wish(self, lang: str) -> list[str]:
        t = chooser(lang)
        out: list[str] = []
        if self.wish:
            out.append(t(f"是本人第 {self.wish} 志愿", f"its wish no. {self.wish}"))
        elif self.wish == 0:
            out.append(t("不是本人志愿", "not among its wishes"))
        if self.holder_wish and self.holder is not None:
            out.append(
                t(
                    f"现任人选以此为第 {self.holder_wish} 志愿",
                    f"the holder's wish no. {self.holder_wish}",
                )
            )
        return out


def compare(
    alternative: Cadre,
    holder: Cadre | None,
    community: Community,
    post_type: str,
    alt_m: int | None,
    holder_m: int | None,
    *,
    moves: int = 0,
    left_vacant: bool = False,
) -> Comparison:
    """Measure ``alternative`` against ``holder`` for one post (distances in metres)."""
    need = required(community, post_type)
    mine, theirs = matched(alternative, need), matched(holder, need)
    km = None if alt_m is None else alt_m / 1000
    km_more = None if km is None or holder is None or holder_m is None else km - holder_m / 1000
    steps = None
    if community.weak and post_type == "full-time" and holder is not None:
        steps = int(alternative.rank) - int(holder.rank)
    return Comparison(
        alternative,
        holder,
        community,
        post_type,
        km,
        km_more,
        tuple(mine),
        len(mine) - len(theirs),
        wish(alternative, community.id),
        wish(holder, community.id),
        steps,
        moves,
        left_vacant,
    )


__all__ = ["Comparison", "compare", "matched", "person", "post_words", "rank_words", "wish"]
