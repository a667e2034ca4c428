"""The shared scenario generator: places, people and units, built feasible by construction.

A scenario module lays out communities inside real district polygons, then creates for every
post an *intended* cadre (right level, unit, rank, skills, availability) whose home lies within
a short walk of the post, plus spare cadres. The intended cadres alone keep every hard rule,
so each generated round is feasible; the engine is then free to find something better.

Everything random comes from one ``numpy.random.Generator(PCG64(seed))``; nothing reads the
clock or global state. Point sampling is vectorised (``shapely.contains_xy`` on batches of
candidates drawn in the bounding box or around a core), so 10,000 points take milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from geodata.scenarios import vocab
from matcher.model.community_twins import close_pairs, same_name_pairs
from matcher.model.identity import IdentityChoices, duplicate_people, person
from matcher.model.ranks import CANONICAL, Rank
from matcher.model.round import Community, Round
from matcher.model.validate import Origin, validate_round

FloatArray = NDArray[np.float64]
KM_PER_DEG = 111.32
#: Decimals kept in generated coordinates (1e-6° ≈ 0.1 m).
DECIMALS = 6


def _deg(km: float, lat: float) -> tuple[float, float]:
    """Degrees of longitude and latitude spanned by ``km`` at latitude ``lat``."""
    return km / (KM_PER_DEG * math.cos(math.radians(lat))), km / KM_PER_DEG


def rng_for(seed: int) -> np.random.Generator:
    """The scenario's only source of randomness."""
    return np.random.Generator(np.random.PCG64(seed))


class Builder:
    """Accumulates communities and cadres of one scenario as raw round data.

    Parameters
    ----------
    seed:
        The scenario seed (the only source of randomness).
    districts:
        District polygons (code, name, geometry; WGS-84) the scenario is laid out in.
    centre:
        ``(lon, lat)`` of the city centre (or a district code → centre mapping when several
        cities are laid out): urban districts get their core on its side.
    """

    def __init__(
        self,
        seed: int,
        districts: gpd.GeoDataFrame,
        centre: tuple[float, float] | Mapping[str, tuple[float, float]],
    ) -> None:
        self.rng = rng_for(seed)
        # 政治面貌 draws come from their own stream so that adding them left every other draw
        # (and the seed reports' figures) as it was.
        self.party_rng = np.random.Generator(np.random.PCG64([seed, 19]))
        self.geom = {str(r.code): r.geometry for r in districts.itertuples()}
        self.dname = {str(r.code): str(r.name) for r in districts.itertuples()}
        self.centre = (
            dict(centre) if isinstance(centre, Mapping) else dict.fromkeys(self.geom, centre)
        )
        self.communities: list[dict[str, Any]] = []
        self.cadres: list[dict[str, Any]] = []
        self._serial: dict[str, int] = {}

    # ----------------------------------------------------------------- places
    def core(self, code: str, *, urban: bool) -> tuple[float, float]:
        """The district's dense core: towards the city centre for urban districts."""
        geom = self.geom[code]
        rep = geom.representative_point()
        if not urban:
            return rep.x, rep.y
        cx, cy = self.centre[code]
        if shapely.contains_xy(geom, cx, cy):
            return cx, cy
        best = (rep.x, rep.y)
        for f in np.linspace(0.0, 1.0, 41):
            x, y = rep.x + f * (cx - rep.x), rep.y + f * (cy - rep.y)
            if shapely.contains_xy(geom, x, y):
                best = (x, y)
        return best

    def sample(
        self, code: str, n: int, *, urban: bool, sigma_km: float, core_share: float
    ) -> FloatArray:
        """``n`` points inside district ``code``: ``core_share`` of them drawn around its core
        (normal, ``sigma_km``), the rest uniform over the polygon. Returns an (n, 2) array."""
        geom = self.geom[code]
        cx, cy = self.core(code, urban=urban)
        sx, sy = _deg(sigma_km, cy)
        x0, y0, x1, y1 = geom.bounds
        got: list[FloatArray] = []
        have = 0
        for _ in range(200):
            if have >= n:
                break
            m = max(64, 3 * (n - have))
            k = int(self.rng.binomial(m, core_share))
            near = np.column_stack([self.rng.normal(cx, sx, k), self.rng.normal(cy, sy, k)])
            flat = np.column_stack(
                [self.rng.uniform(x0, x1, m - k), self.rng.uniform(y0, y1, m - k)]
            )
            pts = np.concatenate([near, flat])[self.rng.permutation(m)]
            pts = pts[shapely.contains_xy(geom, pts[:, 0], pts[:, 1])]
            got.append(pts)
            have += len(pts)
        out = np.concatenate(got)[:n] if got else np.empty((0, 2))
        if len(out) < n:
            raise RuntimeError(f"could not place {n} points in district {code}")
        return np.round(out, DECIMALS)

    def near(self, xy: FloatArray, codes: Sequence[str], radius_km: float) -> FloatArray:
        """Points within ``radius_km`` of each row of ``xy``, inside district ``codes[i]``.

        Rows that find no inside point in 30 tries stay at their anchor (which is inside).
        """
        out = xy.copy()
        codes_arr = np.asarray(codes)
        lat = float(np.mean(xy[:, 1])) if len(xy) else 0.0
        dx, dy = _deg(radius_km, lat)
        for code in sorted(set(codes_arr.tolist())):
            rows = np.flatnonzero(codes_arr == code)
            todo = rows
            for _ in range(30):
                if not len(todo):
                    break
                r = np.sqrt(self.rng.uniform(0.05, 1.0, len(todo)))
                t = self.rng.uniform(0.0, 2 * math.pi, len(todo))
                x = xy[todo, 0] + r * np.cos(t) * dx
                y = xy[todo, 1] + r * np.sin(t) * dy
                inside = shapely.contains_xy(self.geom[code], x, y)
                out[todo[inside], 0] = x[inside]
                out[todo[inside], 1] = y[inside]
                todo = todo[~inside]
        return np.round(out, DECIMALS)

    def streets(self, code: str, xy: FloatArray, count: int) -> list[str]:
        """Street office (街道) of each point: ``count`` street centres, nearest one wins."""
        count = max(1, min(count, len(xy)))
        pick = self.rng.choice(len(xy), size=count, replace=False)
        pool = [w + m for m in ("", "东", "西", "南", "北", "新") for w in vocab.STREET_WORDS]
        names = self.rng.choice(pool, size=count, replace=count > len(pool))
        d = (xy[:, None, 0] - xy[None, pick, 0]) ** 2 + (xy[:, None, 1] - xy[None, pick, 1]) ** 2
        return [f"{names[j]}街道" for j in np.argmin(d, axis=1)]

    # ------------------------------------------------------------ communities
    def place_names(self, n: int, kinds: Sequence[str] = ("社区",)) -> list[str]:
        """Community or compound names, unique while the word pool lasts."""
        pool = [w + m + k for k in kinds for m in vocab.PLACE_MARKS for w in vocab.PLACE_WORDS]
        idx = self.rng.choice(len(pool), size=n, replace=n > len(pool))
        return [pool[i] for i in idx]

    def add_communities(
        self,
        code: str,
        n: int,
        *,
        urban: bool,
        sigma_km: float = 3.0,
        core_share: float = 0.75,
        kinds: Sequence[str] = ("社区",),
        posts: dict[str, int] | None = None,
        streets_per: int = 8,
    ) -> list[int]:
        """Add ``n`` communities in district ``code``; return their indices."""
        xy = self.sample(code, n, urban=urban, sigma_km=sigma_km, core_share=core_share)
        streets = self.streets(code, xy, math.ceil(n / streets_per))
        names = self.place_names(n, kinds)
        first = len(self.communities)
        for i in range(n):
            serial = self._serial.get(code, 0) + 1
            self._serial[code] = serial
            self.communities.append(
                {
                    "id": f"{code}{serial:04d}",
                    "name": names[i],
                    "district": {"code": code, "name": self.dname[code]},
                    "street": streets[i],
                    "location": {"lon": float(xy[i, 0]), "lat": float(xy[i, 1])},
                    "stars": int(self.rng.choice([2, 3, 4, 5], p=[0.15, 0.35, 0.35, 0.15])),
                    "weak": False,
                    "tags": [],
                    "posts": dict(posts or {"full_time": 1, "part_time": 2}),
                    "required_skills": {"full_time": [], "part_time": []},
                    "paired_units": [],
                }
            )
        return list(range(first, first + n))

    def mark_weak(self, indices: Sequence[int]) -> None:
        """Weak (软弱涣散): low stars, and the full-time post wants a Party-building hand."""
        for i in indices:
            com = self.communities[i]
            com["weak"] = True
            com["stars"] = int(self.rng.integers(0, 3))
            com["required_skills"]["full_time"] = ["party-building"]

    def tag(self, indices: Sequence[int], tag: str) -> None:
        """Add a tag (conflict-heavy, new …); conflict-heavy posts want petition work."""
        for i in indices:
            com = self.communities[i]
            com["tags"] = sorted({*com["tags"], tag})
            if tag == "conflict-heavy":
                com["required_skills"]["full_time"] = sorted(
                    {*com["required_skills"]["full_time"], "petitions"}
                )

    def xy(self, indices: Sequence[int] | NDArray[np.int64]) -> FloatArray:
        """Coordinates of communities as an (n, 2) array."""
        return np.array(
            [
                [self.communities[i]["location"]["lon"], self.communities[i]["location"]["lat"]]
                for i in indices
            ],
            dtype=np.float64,
        ).reshape(-1, 2)

    # ----------------------------------------------------------------- cadres
    def person_names(self, n: int) -> list[str]:
        """Synthetic Chinese names (surname + one or two given characters)."""
        s = self.rng.integers(0, len(vocab.SURNAMES), n)
        g1 = self.rng.integers(0, len(vocab.GIVEN), n)
        g2 = self.rng.integers(-len(vocab.GIVEN) // 2, len(vocab.GIVEN), n)
        return [
            vocab.SURNAMES[a] + vocab.GIVEN[b] + (vocab.GIVEN[c] if c >= 0 else "")
            for a, b, c in zip(s, g1, g2, strict=True)
        ]

    def extra_skills(self, n: int, p: float = 0.5) -> list[list[str]]:
        """Zero to two distinct general skills per cadre (vectorised draw)."""
        pool = vocab.GENERAL_SKILLS
        count = self.rng.binomial(2, p, n)
        first = self.rng.integers(0, len(pool), n)
        second = (first + self.rng.integers(1, len(pool), n)) % len(pool)
        return [[pool[a], pool[b]][:k] for a, b, k in zip(first, second, count, strict=True)]

    def political_statuses(self, availability: Sequence[str]) -> list[str]:
        """政治面貌 per cadre: 中共党员 for everyone who may be a first secretary (the seeds'
        first secretaries are all members); among part-time-only helpers about one in five is
        a probationary member, a Youth League member or not a member (群众)."""
        others = ("中共预备党员", "共青团员", "群众")
        draw = self.party_rng.random(len(availability))
        pick = self.party_rng.integers(0, len(others), len(availability))
        return [
            others[int(k)] if a == "part-time" and u < 0.2 else "中共党员"
            for a, u, k in zip(availability, draw, pick, strict=True)
        ]

    def birth_months(self, n: int) -> list[int]:
        """A birth month per cadre (出生年月 in the roster: 1989.08), from the 政治面貌 stream."""
        return [int(m) for m in self.party_rng.integers(1, 13, n)]

    def add_cadres(
        self,
        anchors: Sequence[int] | NDArray[np.int64],
        *,
        level: Sequence[str],
        unit: Sequence[str],
        rank: Sequence[int] | NDArray[np.int64],
        skills: Sequence[Sequence[str]],
        availability: Sequence[str],
        radius_km: float,
        year: int,
    ) -> list[dict[str, Any]]:
        """Add cadres living within ``radius_km`` of their anchor community, in its district.

        Returns the raw cadre dicts (ids are given later by :meth:`assign_ids`).
        """
        idx = np.asarray(anchors, dtype=np.int64)
        n = len(idx)
        codes = [self.communities[i]["district"]["code"] for i in idx]
        homes = self.near(self.xy(idx), codes, radius_km)
        names = self.person_names(n)
        extra = self.extra_skills(n)
        age = self.rng.integers(0, 8, n)
        status = self.political_statuses(availability)
        months = self.birth_months(n)
        made: list[dict[str, Any]] = []
        for k in range(n):
            r = Rank(int(rank[k]))
            made.append(
                {
                    "id": "",
                    "name": names[k],
                    "unit": unit[k],
                    "level": level[k],
                    "home_district": codes[k],
                    "rank": CANONICAL[r],
                    "birth_year": int(year - 26 - 4 * int(r) - age[k]),
                    "birth_month": months[k],
                    "skills": sorted({*skills[k], *extra[k]}),
                    "availability": availability[k],
                    "political_status": status[k],
                    "location": {"lon": float(homes[k, 0]), "lat": float(homes[k, 1])},
                }
            )
        self.cadres.extend(made)
        return made

    def assign_ids(self, prefix: str) -> None:
        """Shuffle the roster (so intended cadres are not recognisable) and number it."""
        order = self.rng.permutation(len(self.cadres))
        self.cadres = [self.cadres[i] for i in order]
        width = max(4, len(str(len(self.cadres))))
        for k, cadre in enumerate(self.cadres, start=1):
            cadre["id"] = f"{prefix}{k:0{width}d}"

    def round(self, name: str, description: str, **sections: Any) -> Round:
        """Validate everything into a :class:`Round` (raises on any inconsistency)."""
        raw = {
            "name": name,
            "description": description,
            "communities": self.communities,
            "cadres": self.cadres,
            "identity": {
                "distinct_communities": self.distinct_communities(),
                "distinct_people": self.distinct_people(),
            },
            **sections,
        }
        return validate_round(raw, Origin(f"scenario {name}"))

    def distinct_people(self) -> list[list[str]]:
        """Cadres a planner would confirm as different people (docs/round.md, Identity): the
        name pool repeats names, and now and then two same-named cadres share a birth month;
        each generated cadre is a person of its own."""
        people = [
            person(c["id"], c["name"], None, (c["birth_year"], c["birth_month"]), c["unit"])
            for c in self.cadres
        ]
        pairs = duplicate_people(people)
        return [[self.cadres[a]["id"], self.cadres[b]["id"]] for a, b, _ in pairs]

    def distinct_communities(self) -> list[list[str]]:
        """Pairs a planner would confirm as different communities (docs/round.md, Identity):
        random placement puts some generated points within 100 m of each other, and the word
        pool repeats names; each generated community is distinct by construction."""
        coms = [Community.model_validate(c) for c in self.communities]
        near = [(a, b) for a, b, _ in close_pairs(coms, IdentityChoices().community_distance_m)]
        pairs = sorted(set(near) | set(same_name_pairs(coms)))
        return [[coms[a].id, coms[b].id] for a, b in pairs]


def city_unit(suffix: str, prefix: str = "市") -> str:
    """A city-level unit name: 市财政局 (or 锦州市财政局 in multi-city scenarios)."""
    return prefix + suffix


def county_unit(district_name: str, suffix: str) -> str:
    """A county-level unit name: 古塔区财政局, 阳新县委组织部."""
    return district_name + suffix


def unit_skills(suffix: str) -> tuple[str, ...]:
    """Skills of a department's cadres."""
    return vocab.DEPARTMENTS[suffix]


def draw_ranks(
    rng: np.random.Generator, n: int, weights: Sequence[float], floor: Rank = Rank.SECTION_MEMBER
) -> NDArray[np.int64]:
    """``n`` ranks drawn with ``weights`` over 科员…正县, raised to ``floor`` where below."""
    p = np.asarray(weights, dtype=np.float64)
    ranks = rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int64)
    return np.maximum(ranks, int(floor))
