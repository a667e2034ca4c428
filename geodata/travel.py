"""Road travel distance and time from a user-supplied road network (OSMnx-style GraphML).

The planner exports a road graph once (e.g. ``osmnx.save_graphml``) and passes the file; this
module never downloads anything. Expected attributes: nodes ``x`` (lon) and ``y`` (lat) in
WGS-84, edges ``length`` in metres and optionally ``travel_time`` in seconds (OSMnx
``add_edge_travel_times``); edges without a time are driven at ``default_speed_kmh``. Edges are
directed as in the file (OSMnx marks two-way streets with an edge each way); pass
``directed=False`` for a graph whose edges are all two-way.

A trip is: straight line from the point to its nearest graph node (KD-tree snap, driven at
``access_speed_kmh``), the shortest road path between the nodes, straight line to the
destination. Shortest distance and fastest time are computed separately (each is its own
optimum). Shortest paths are Dijkstra runs from the communities' nodes on the reversed graph
(scipy.sparse.csgraph, bounded by ``max_m`` when a radius applies), a block of sources at a
time so memory stays at ``block × nodes`` floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geodata.distance import metres_for_chord, unit_vectors

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Points = tuple[FloatArray, FloatArray]

#: Floats held per Dijkstra block (≈ 160 MB); the block size is this divided by the node count.
_BLOCK_FLOATS = 20_000_000
#: Zero-length edges (merged nodes) are given this length so csgraph keeps them as edges.
_MIN_EDGE = 1e-3


@dataclass(frozen=True, slots=True)
class RoadMetrics:
    """Per-pair road distance (m) and travel time (s); ``reachable`` False where no path."""

    distance_m: FloatArray
    time_s: FloatArray
    reachable: NDArray[np.bool_]


def _simple_csr(u: IntArray, v: IntArray, w: FloatArray, n: int) -> csr_matrix:
    """Sparse adjacency keeping the smallest weight of parallel edges (csr would add them)."""
    order = np.lexsort((w, v, u))
    u, v, w = u[order], v[order], w[order]
    first = np.ones(len(u), dtype=bool)
    first[1:] = (u[1:] != u[:-1]) | (v[1:] != v[:-1])
    return csr_matrix((np.maximum(w[first], _MIN_EDGE), (u[first], v[first])), shape=(n, n))


@dataclass(frozen=True, slots=True, eq=False)
class TravelTimes:
    """A road network ready for pair queries: node coordinates, length and time graphs."""

    node_lon: FloatArray
    node_lat: FloatArray
    length: csr_matrix
    time: csr_matrix
    access_speed_kmh: float = 30.0

    @classmethod
    def from_graphml(
        cls,
        path: str | Path,
        *,
        default_speed_kmh: float = 30.0,
        access_speed_kmh: float = 30.0,
        directed: bool | None = None,
    ) -> TravelTimes:
        """Load an OSMnx-format GraphML file (read with networkx; no network access)."""
        graph = nx.read_graphml(Path(path))
        return cls.from_networkx(
            graph,
            default_speed_kmh=default_speed_kmh,
            access_speed_kmh=access_speed_kmh,
            directed=directed,
            source=str(path),
        )

    @classmethod
    def from_networkx(
        cls,
        graph: nx.Graph,
        *,
        default_speed_kmh: float = 30.0,
        access_speed_kmh: float = 30.0,
        directed: bool | None = None,
        source: str = "graph",
    ) -> TravelTimes:
        """Build from a networkx graph with node x/y and edge length (and travel_time)."""
        if default_speed_kmh <= 0 or access_speed_kmh <= 0:
            raise ValueError("speeds must be positive km/h")
        nodes = list(graph.nodes)
        if not nodes:
            raise ValueError(f"{source}: the road graph has no nodes")
        index = {node: i for i, node in enumerate(nodes)}
        try:
            lon = np.array([float(graph.nodes[n]["x"]) for n in nodes])
            lat = np.array([float(graph.nodes[n]["y"]) for n in nodes])
        except KeyError as exc:
            raise ValueError(f"{source}: every node needs 'x' (lon) and 'y' (lat)") from exc
        u_list, v_list, length_list, time_list = [], [], [], []
        speed = default_speed_kmh / 3.6
        for a, b, data in graph.edges(data=True):
            if "length" not in data:
                raise ValueError(f"{source}: edge {a}->{b} has no 'length' (metres)")
            metres = float(data["length"])
            seconds = float(data["travel_time"]) if "travel_time" in data else metres / speed
            if not (np.isfinite(metres) and metres >= 0 and np.isfinite(seconds) and seconds >= 0):
                raise ValueError(f"{source}: edge {a}->{b} has a negative or missing weight")
            u_list.append(index[a])
            v_list.append(index[b])
            length_list.append(metres)
            time_list.append(seconds)
        u = np.array(u_list, dtype=np.int64)
        v = np.array(v_list, dtype=np.int64)
        metres_arr = np.array(length_list, dtype=np.float64)
        seconds_arr = np.array(time_list, dtype=np.float64)
        if directed is None:
            directed = graph.is_directed()
        if not directed:
            u, v = np.concatenate([u, v]), np.concatenate([v, u])
            metres_arr = np.concatenate([metres_arr, metres_arr])
            seconds_arr = np.concatenate([seconds_arr, seconds_arr])
        n = len(nodes)
        return cls(
            node_lon=lon,
            node_lat=lat,
            length=_simple_csr(u, v, metres_arr, n),
            time=_simple_csr(u, v, seconds_arr, n),
            access_speed_kmh=access_speed_kmh,
        )

    def snap(self, lon: FloatArray, lat: FloatArray) -> tuple[IntArray, FloatArray]:
        """Nearest graph node of each WGS-84 point, and the straight-line metres to it."""
        tree = cKDTree(unit_vectors(self.node_lon, self.node_lat))
        chord, idx = tree.query(unit_vectors(lon, lat))
        return np.asarray(idx, dtype=np.int64), metres_for_chord(chord)

    def road_metrics(
        self,
        cadres: Points,
        communities: Points,
        cadre_idx: NDArray[np.integer],
        community_idx: NDArray[np.integer],
        *,
        max_m: float | None = None,
    ) -> RoadMetrics:
        """Road distance and time from each pair's cadre to its community.

        With ``max_m``, Dijkstra stops at that distance: pairs farther by road come back
        unreachable (their true distance exceeds ``max_m``). Travel time is searched without
        a bound, since a fast road may be long.
        """
        cad_node, cad_snap = self.snap(*cadres)
        com_node, com_snap = self.snap(*communities)
        src = cad_node[cadre_idx]
        dst = com_node[community_idx]
        access_m = cad_snap[cadre_idx] + com_snap[community_idx]
        road_limit = np.inf if max_m is None else float(max_m)
        metres = self._from_targets(self.length, src, dst, road_limit)
        seconds = self._from_targets(self.time, src, dst, np.inf)
        reachable = np.isfinite(metres) & np.isfinite(seconds)
        access_s = access_m / (self.access_speed_kmh / 3.6)
        return RoadMetrics(
            distance_m=np.where(reachable, metres + access_m, np.inf),
            time_s=np.where(reachable, seconds + access_s, np.inf),
            reachable=reachable,
        )

    def _from_targets(
        self, graph: csr_matrix, src: IntArray, dst: IntArray, limit: float
    ) -> FloatArray:
        """Shortest src→dst weights, by Dijkstra from each distinct dst on the reversed graph."""
        out = np.full(len(src), np.inf)
        if not len(src):
            return out
        targets, which = np.unique(dst, return_inverse=True)
        reverse = graph.T.tocsr()
        block = max(1, _BLOCK_FLOATS // graph.shape[0])
        for start in range(0, len(targets), block):
            rows = targets[start : start + block]
            dist = dijkstra(reverse, directed=True, indices=rows, limit=limit)
            mask = (which >= start) & (which < start + len(rows))
            out[mask] = dist[which[mask] - start, src[mask]]
        return out
