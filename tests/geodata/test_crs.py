"""Coordinate-system conversions against published reference pairs and round trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geodata.crs import (
    bd09_to_gcj02,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    out_of_china,
    to_wgs84,
    wgs84_to_gcj02,
)
from geodata.distance import geodesic_m
from matcher.model.round import CoordSystem

# Published sample values of the widely used coordtransform / coord-convert libraries.
REFERENCE = [
    (wgs84_to_gcj02, (120.0, 40.0), (120.00567568355486, 40.0013047896019)),
    (wgs84_to_gcj02, (116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    (bd09_to_gcj02, (116.404, 39.915), (116.39762729119315, 39.90865673957631)),
    (gcj02_to_bd09, (116.404, 39.915), (116.41036949371029, 39.92133699351022)),
]


@pytest.mark.parametrize(("func", "given_", "expected"), REFERENCE)
def test_reference_pairs(func, given_, expected) -> None:  # type: ignore[no-untyped-def]
    """Forward GCJ-02 and BD-09 formulas reproduce published sample values to 1e-9 degrees."""
    lon, lat = func(*given_)
    assert float(lon) == pytest.approx(expected[0], abs=1e-9)
    assert float(lat) == pytest.approx(expected[1], abs=1e-9)


def test_tiananmen_shift_is_hundreds_of_metres() -> None:
    """Amap's Tiananmen (GCJ-02) moves ~ 500 m to its WGS-84 position, as mapping mixes show."""
    glon, glat = 116.397428, 39.90923  # Amap's own coordinate for Tiananmen
    wlon, wlat = to_wgs84(glon, glat, "gcj02")
    shift = float(geodesic_m(glon, glat, wlon, wlat))
    assert 400 < shift < 700
    assert float(wlon) == pytest.approx(116.391185, abs=5e-5)
    assert float(wlat) == pytest.approx(39.907827, abs=5e-5)


def test_iterative_inverse_beats_one_step() -> None:
    """The GCJ-02 inverse maps back onto the input to < 1 mm; the one-step formula does not."""
    glon, glat = 116.404, 39.915
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    blon, blat = wgs84_to_gcj02(wlon, wlat)
    assert float(geodesic_m(glon, glat, blon, blat)) < 0.001
    one_step = (116.39775550083061, 39.91359571849836)  # published single-step result
    olon, olat = wgs84_to_gcj02(*one_step)
    assert float(geodesic_m(glon, glat, olon, olat)) > 0.01


@settings(max_examples=60, deadline=None)
@given(
    lon=st.floats(min_value=73.5, max_value=135.0),
    lat=st.floats(min_value=18.0, max_value=53.5),
    crs=st.sampled_from(["gcj02", "bd09"]),
)
def test_round_trip_under_one_metre(lon: float, lat: float, crs: str) -> None:
    """WGS-84 → GCJ-02/BD-09 → WGS-84 returns within 1 m anywhere in mainland China."""
    clon, clat = from_wgs84(lon, lat, crs)
    back_lon, back_lat = to_wgs84(clon, clat, crs)
    assert float(geodesic_m(lon, lat, back_lon, back_lat)) < 1.0


def test_vectorised_round_trip() -> None:
    """Arrays convert element-wise; 10,000 random Chinese points round-trip below 1 m."""
    rng = np.random.default_rng(7)
    lon = rng.uniform(100, 125, 10_000)
    lat = rng.uniform(22, 45, 10_000)
    glon, glat = wgs84_to_gcj02(lon, lat)
    assert glon.shape == (10_000,)
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert float(np.max(geodesic_m(lon, lat, wlon, wlat))) < 1.0


def test_offsets_do_not_apply_outside_china() -> None:
    """Outside China (Tokyo, London) GCJ-02 and BD-09 leave the point unchanged."""
    lon = np.array([139.767, -0.1276])
    lat = np.array([35.681, 51.507])
    assert out_of_china(lon, lat).all()
    for crs in ("gcj02", "bd09"):
        wlon, wlat = to_wgs84(lon, lat, crs)
        np.testing.assert_array_equal(wlon, lon)
        np.testing.assert_array_equal(wlat, lat)


def test_offset_applies_inside_china() -> None:
    """Inside China the same call does shift the point (the check is not always-true)."""
    assert not bool(out_of_china(121.13, 41.13))
    wlon, _ = to_wgs84(121.13, 41.13, CoordSystem.GCJ02)
    assert abs(float(wlon) - 121.13) > 1e-3


def test_wgs84_and_cgcs2000_pass_through() -> None:
    """WGS-84 and CGCS2000 (same frame to centimetres) are returned unchanged."""
    for crs in ("wgs84", "cgcs2000"):
        lon, lat = to_wgs84([121.13], [41.13], crs)
        assert lon.tolist() == [121.13] and lat.tolist() == [41.13]


def test_unknown_system_is_rejected() -> None:
    """A coordinate system name outside the four is a clear ValueError."""
    with pytest.raises(ValueError, match="utm"):
        to_wgs84(1.0, 1.0, "utm")  # type: ignore[arg-type]


def test_mismatched_shapes_rejected() -> None:
    """lon and lat arrays of different shapes are refused, not broadcast silently."""
    with pytest.raises(ValueError, match="shapes differ"):
        to_wgs84([1.0, 2.0], [1.0], "gcj02")
