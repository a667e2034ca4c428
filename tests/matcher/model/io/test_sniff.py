"""Each content sniffer says yes to what it names and no to its look-alikes."""

from __future__ import annotations

import random

import pytest

from matcher.model.io import sniff
from tests.matcher.model.io.clerk_variants import id_number


def test_id_number_check_digit_binds() -> None:
    """A generated ID number passes GB 11643; the same with one digit changed does not."""
    rng = random.Random(7)
    for _ in range(50):
        good = id_number(rng, rng.randint(1960, 2000))
        assert sniff.id_number_valid(good)
        wrong = good[:16] + str((int(good[16]) + 1) % 10) + good[17]
        assert not sniff.id_number_valid(wrong)
        assert sniff.looks_like_id_number(wrong)  # still shaped like one: still private
    assert sniff.id_number_valid("11010519491231002X")
    assert not sniff.looks_like_id_number("210702198513")


@pytest.mark.parametrize(
    ("text", "yes"),
    [("13812345678", True), ("0416-1234567", True), ("12812345678", False), ("1381234567", False)],
)
def test_phone(text: str, yes: bool) -> None:
    """11-digit mobiles starting 13–19 and landlines with area code; not 12… or 10 digits."""
    assert sniff.is_phone(text) is yes


def test_coordinate_pairs_and_their_order() -> None:
    """lon,lat inside China is lonlat; the swapped pair is latlon; a pair outside is neither."""
    assert sniff.is_lonlat("121.13,41.12") and not sniff.is_latlon("121.13,41.12")
    assert sniff.is_latlon("41.12，121.13") and not sniff.is_lonlat("41.12，121.13")
    assert not sniff.is_lonlat("2.35,48.85") and not sniff.is_latlon("2.35,48.85")
    assert sniff.pair("(121.1 41.1)") == (121.1, 41.1)


def test_single_coordinates_need_decimals_and_range() -> None:
    """121.13 is a longitude, 41.12 a latitude; 121 (a count) and 200.5 are neither."""
    assert sniff.is_lon("121.13") and not sniff.is_lat("121.13")
    assert sniff.is_lat("41.12") and not sniff.is_lon("41.12")
    assert not sniff.is_lon("121") and not sniff.is_lon("200.5")


@pytest.mark.parametrize(
    ("text", "yes"),
    [
        ("1974.12", True),
        ("1989年8月", True),
        ("1985-03-01", True),
        ("1830.1", False),
        ("abc", False),
    ],
)
def test_birth(text: str, yes: bool) -> None:
    """Birth dates of working age, written as clerks write them."""
    assert sniff.is_birth(text) is yes


def test_ranks_and_unit_with_post() -> None:
    """Titles and grades are ranks; a unit followed by a title splits; a title alone does not."""
    for title in ("二级主任科员", "副处级", "专技十级", "事业九级", "管理八级"):
        assert sniff.is_rank(title)
    assert sniff.split_unit_post("市财政局二级主任科员") == ("市财政局", "二级主任科员")
    assert sniff.split_unit_post("古塔区民政局 副科级") == ("古塔区民政局", "副科级")
    assert sniff.split_unit_post("二级主任科员") is None
    assert sniff.split_unit_post("市财政局") is None
    assert sniff.is_unit_post("市卫健委专技十级") and not sniff.is_unit_post("市卫健委")


def test_codes_names_and_words() -> None:
    """District codes, names, yes/no, availability, party and level words each bind alone."""
    assert sniff.is_district_code("210702") and not sniff.is_district_code("990702")
    assert sniff.is_person_name("王一") and sniff.is_person_name("欧阳 娜")
    assert not sniff.is_person_name("北街社区") and not sniff.is_person_name("市财政局")
    assert sniff.is_yes_no("√") and sniff.is_yes_no("否") and not sniff.is_yes_no("1")
    assert sniff.is_availability("兼职") and not sniff.is_availability("财政")
    assert sniff.is_party("中共党员") and sniff.is_party("民盟盟员") and not sniff.is_party("男")
    assert sniff.is_level("区直") and not sniff.is_level("古塔区")
    assert sniff.is_sequence(["1", "2", "3"]) and not sniff.is_sequence(["1", "3", "4"])


def test_profile_shares() -> None:
    """A column's profile gives the share of each kind among its non-empty cells."""
    shares = sniff.profile(["121.1,41.1", "121.2,41.2", "", "41.3,121.3"])
    assert shares["lonlat"] == pytest.approx(2 / 3) and shares["latlon"] == pytest.approx(1 / 3)
    assert sniff.profile(["", ""]) == {}
