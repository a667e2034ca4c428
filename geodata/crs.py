"""Chinese coordinate systems: WGS-84, GCJ-02, BD-09 and CGCS2000, converted to WGS-84.

Everything in :mod:`geodata` measures in WGS-84 longitude/latitude (EPSG:4326), so every input
point goes through :func:`to_wgs84` first. The systems:

* **WGS-84** — GPS. Returned unchanged.
* **GCJ-02** — the obfuscated "Mars" datum that Chinese maps must use (Amap/高德, Tencent/腾讯,
  Google China). WGS-84 → GCJ-02 is the published forward formula (a few hundred metres of
  shift); GCJ-02 → WGS-84 has no closed form, so :func:`gcj02_to_wgs84` inverts the forward
  formula by fixed-point iteration until the forward image is within ~1 mm of the input.
* **BD-09** — Baidu's extra rotation on top of GCJ-02 (the closed-form pair used by Baidu's own
  SDK samples).
* **CGCS2000** — China's geodetic datum since 2008. Its ellipsoid and frame agree with WGS-84
  (G1762) to a few centimetres at present, far below anything this product measures, so it is
  treated as WGS-84 (no shift).

Outside mainland China the GCJ-02 and BD-09 offsets do not apply (map vendors serve plain
WGS-84 there); the usual bounding-box test :func:`out_of_china` decides, and such points pass
through unchanged. All functions are vectorised over numpy arrays (scalars work too).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from matcher.model.round import CoordSystem

FloatArray = NDArray[np.float64]

# Krasovsky 1940 ellipsoid: the constants the GCJ-02 formula is defined with.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0

#: The iterative GCJ-02 inverse stops when the forward image is this close (degrees, ~1 mm).
GCJ_INVERSE_TOL_DEG = 1e-8
_GCJ_INVERSE_MAX_ITER = 30

CrsName = CoordSystem | Literal["wgs84", "gcj02", "bd09", "cgcs2000"]


def _arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    lo = np.asarray(lon, dtype=np.float64)
    la = np.asarray(lat, dtype=np.float64)
    if lo.shape != la.shape:
        raise ValueError(f"lon and lat shapes differ: {lo.shape} vs {la.shape}")
    return lo, la


def out_of_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """True where the point is outside the box in which GCJ-02 offsets are applied."""
    lo, la = _arrays(lon, lat)
    return (lo < 72.004) | (lo > 137.8347) | (la < 0.8293) | (la > 55.8271)


def _gcj_offset(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 shift (degrees) of a WGS-84 point, zero outside China."""
    x = lon - 105.0
    y = lat - 35.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """WGS-84 → GCJ-02 (the published forward formula)."""
    lo, la = _arrays(lon, lat)
    dlon, dlat = _gcj_offset(lo, la)
    return lo + dlon, la + dlat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 → WGS-84 by fixed-point iteration on the forward formula.

    Starts from ``g - offset(g)`` and repeats ``w ← w - (forward(w) - g)``; the offset field
    is smooth, so this converges to sub-millimetre in a handful of steps (the common one-step
    approximation ``g - offset(g)`` is off by 0.7 m typically and up to ~5 m in China).
    """
    glon, glat = _arrays(lon, lat)
    dlon, dlat = _gcj_offset(glon, glat)
    wlon, wlat = glon - dlon, glat - dlat
    for _ in range(_GCJ_INVERSE_MAX_ITER):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        elon, elat = flon - glon, flat - glat
        wlon, wlat = wlon - elon, wlat - elat
        worst = max(
            float(np.max(np.abs(elon), initial=0.0)), float(np.max(np.abs(elat), initial=0.0))
        )
        if worst < GCJ_INVERSE_TOL_DEG:
            break
    return wlon, wlat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """GCJ-02 → BD-09 (Baidu); unchanged outside China."""
    lo, la = _arrays(lon, lat)
    z = np.sqrt(lo * lo + la * la) + 0.00002 * np.sin(la * _X_PI)
    theta = np.arctan2(la, lo) + 0.000003 * np.cos(lo * _X_PI)
    outside = out_of_china(lo, la)
    return (
        np.where(outside, lo, z * np.cos(theta) + 0.0065),
        np.where(outside, la, z * np.sin(theta) + 0.006),
    )


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """BD-09 (Baidu) → GCJ-02; unchanged outside China."""
    lo, la = _arrays(lon, lat)
    x = lo - 0.0065
    y = la - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    outside = out_of_china(lo, la)
    return np.where(outside, lo, z * np.cos(theta)), np.where(outside, la, z * np.sin(theta))


def to_wgs84(lon: ArrayLike, lat: ArrayLike, crs: CrsName) -> tuple[FloatArray, FloatArray]:
    """Convert lon/lat arrays in ``crs`` (WGS-84, GCJ-02, BD-09 or CGCS2000) to WGS-84."""
    system = CoordSystem(crs)
    if system in (CoordSystem.WGS84, CoordSystem.CGCS2000):
        return _arrays(lon, lat)
    if system is CoordSystem.GCJ02:
        return gcj02_to_wgs84(lon, lat)
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def from_wgs84(lon: ArrayLike, lat: ArrayLike, crs: CrsName) -> tuple[FloatArray, FloatArray]:
    """Convert WGS-84 lon/lat arrays into ``crs`` (the inverse of :func:`to_wgs84`)."""
    system = CoordSystem(crs)
    if system in (CoordSystem.WGS84, CoordSystem.CGCS2000):
        return _arrays(lon, lat)
    if system is CoordSystem.GCJ02:
        return wgs84_to_gcj02(lon, lat)
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
