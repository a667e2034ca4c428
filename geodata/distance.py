"""Great-circle distances on the mean-earth sphere, and the 3-D unit vectors the KD-tree uses.

The product's distance (``MaxDistance`` rule, ``CandidatePairs.distance_m``) is the
great-circle distance on a sphere of the IUGG mean radius :data:`EARTH_RADIUS_M`. Against the
WGS-84 ellipsoid geodesic (:func:`geodesic_m`, pyproj) the sphere errs by at most about 0.5 %
and, for the 1–50 km trips between homes and communities in Chinese cities, by 0.1–0.3 %
(tens of metres at 30 km; see tests/geodata/test_pairs.py). That is below the uncertainty of a
home address, and it buys exactness between the KD-tree search and the distances: on the unit
sphere a chord ``c`` and an arc ``d`` satisfy ``c = 2 sin(d / 2R)``, so a radius query in
chord space returns exactly the pairs whose great-circle distance is within the radius.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod

FloatArray = NDArray[np.float64]

#: IUGG mean earth radius R1 = (2a + b) / 3 for WGS-84, metres.
EARTH_RADIUS_M = 6_371_008.8

_GEOD = Geod(ellps="WGS84")


def unit_vectors(lon: ArrayLike, lat: ArrayLike) -> FloatArray:
    """WGS-84 lon/lat degrees → (n, 3) unit vectors on the sphere."""
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def chord_for_metres(metres: float) -> float:
    """Unit-sphere chord length that corresponds to a great-circle distance in metres."""
    half_angle = min(metres / (2.0 * EARTH_RADIUS_M), np.pi / 2)
    return float(2.0 * np.sin(half_angle))


def metres_for_chord(chord: ArrayLike) -> FloatArray:
    """Great-circle metres for unit-sphere chord lengths (inverse of :func:`chord_for_metres`)."""
    c = np.clip(np.asarray(chord, dtype=np.float64), 0.0, 2.0)
    return 2.0 * EARTH_RADIUS_M * np.arcsin(c / 2.0)


def great_circle_m(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> FloatArray:
    """Haversine great-circle distance in metres, element-wise (broadcasts)."""
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = phi2 - phi1
    dlam = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    h = np.sin(dphi / 2.0) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2.0) ** 2
    arc = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return np.asarray(arc, dtype=np.float64)


def geodesic_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> FloatArray:
    """Ellipsoidal (WGS-84) geodesic distance in metres, element-wise, via pyproj.Geod."""
    a, b, c, d = np.broadcast_arrays(
        np.asarray(lon1, dtype=np.float64),
        np.asarray(lat1, dtype=np.float64),
        np.asarray(lon2, dtype=np.float64),
        np.asarray(lat2, dtype=np.float64),
    )
    _, _, dist = _GEOD.inv(a, b, c, d)
    return np.asarray(dist, dtype=np.float64)
