"""Fixtures shared by more than one kind of test."""

from __future__ import annotations

from importlib import resources

import pytest

from placeworks.geography import IcbSummary, Level, Node

# --- web: a hand-built geography, shaped like Lancashire and South Cumbria's -----------------


def _practice(code: str, registered: float, imd: float, flags: tuple[str, ...] = ()) -> Node:
    return Node(code, f"Practice {code}", Level.PRACTICE, None, registered, 1, imd, flags=flags)


def _pcn(code: str, *practices: Node, flags: tuple[str, ...] = ()) -> Node:
    registered = sum(p.registered_population for p in practices)
    return Node(
        code,
        f"PCN {code}",
        Level.PCN,
        None,
        registered,
        len(practices),
        30.0,
        flags=flags,
        children=practices,
    )


def _area(
    code: str,
    name: str,
    level: Level,
    resident: float,
    imd: float,
    *children: Node,
    flags: tuple[str, ...] = (),
) -> Node:
    return Node(
        code,
        name,
        level,
        resident,
        sum(c.registered_population for c in children),
        sum(c.practices for c in children),
        imd,
        flags=flags,
        children=children,
    )


def build_fake_tree() -> Node:
    """QE1 with 4 places; Lancashire has 3 localities; West Lancashire has 3 neighbourhoods.

    PCN Y00002 has practices in both Blackburn with Darwen and Blackpool, so it must be counted
    once for the ICB. Every PCN and practice name starts "PCN " or "Practice ".
    """
    skel = _area(
        "QE1-WL-SKEL",
        "Skelmersdale and Up Holland",
        Level.NEIGHBOURHOOD,
        40_000,
        38.25,
        _pcn("U00001", _practice("P00001", 9_000.4, 40.0), _practice("P00002", 6_000, 36.0)),
    )
    burs = _area(
        "QE1-WL-BURS",
        "Burscough and the Northern Parishes",
        Level.NEIGHBOURHOOD,
        30_000,
        12.0,
        _pcn("U00003", _practice("P00003", 12_000, 11.0)),
    )
    orms = _area(
        "QE1-WL-ORMS",
        "Ormskirk and Aughton",
        Level.NEIGHBOURHOOD,
        48_000,
        14.0,
        _pcn("U00004", _practice("P00004", 20_000, 13.0)),
    )
    west_lancs = _area(
        "E07000127", "West Lancashire", Level.DISTRICT, 118_000, 20.0, skel, burs, orms
    )
    preston = _area(
        "E07000123",
        "Preston",
        Level.DISTRICT,
        150_000,
        31.0,
        _pcn("U00005", _practice("P00005", 160_000, 31.0)),
    )
    central = _area(
        "QE1-LAN-CW",
        "Central and West Lancashire",
        Level.LOCALITY,
        268_000,
        26.0,
        west_lancs,
        preston,
    )
    burnley = _area(
        "E07000117",
        "Burnley",
        Level.DISTRICT,
        95_000,
        39.0,
        _pcn("U00006", _practice("P00006", 100_000, 39.0)),
    )
    east = _area("QE1-LAN-EAST", "East Lancashire", Level.LOCALITY, 95_000, 39.0, burnley)
    lancaster = _area(
        "E07000121",
        "Lancaster",
        Level.DISTRICT,
        140_000,
        22.0,
        _pcn("U00007", _practice("P00007", 150_000, 22.0)),
    )
    north = _area("QE1-LAN-NORTH", "North Lancashire", Level.LOCALITY, 140_000, 22.0, lancaster)
    lancashire = _area("QE1-LAN", "Lancashire", Level.PLACE, 503_000, 28.0, east, central, north)

    spanning = ("pcn-spans-places",)
    bwd = _area(
        "QE1-BWD",
        "Blackburn with Darwen",
        Level.PLACE,
        155_000,
        36.0,
        _area(
            "E06000008",
            "Blackburn with Darwen",
            Level.DISTRICT,
            155_000,
            36.0,
            _pcn("Y00002", _practice("P00008", 170_000, 36.0, spanning), flags=spanning),
        ),
    )
    bpl = _area(
        "QE1-BPL",
        "Blackpool",
        Level.PLACE,
        141_000,
        45.0,
        _area(
            "E06000009",
            "Blackpool",
            Level.DISTRICT,
            141_000,
            45.0,
            _pcn("Y00002", _practice("P00009", 160_000, 45.0, spanning), flags=spanning),
        ),
    )
    scu = _area(
        "QE1-SCU",
        "South Cumbria",
        Level.PLACE,
        190_000,
        None,
        _area(
            "E06000064",
            "Westmorland and Furness",
            Level.DISTRICT,
            190_000,
            None,
            _pcn("U00010", _practice("P00010", 200_000, 18.0, ("outside-icb-area",))),
            flags=("part-of-district",),
        ),
    )
    return _area(
        "QE1",
        "NHS Lancashire and South Cumbria ICB",
        Level.ICB,
        989_000,
        30.1,
        lancashire,
        bwd,
        bpl,
        scu,
    )


FAKE_SUMMARIES = (
    IcbSummary("QOP", "NHS Greater Manchester ICB", "North West", 420, 3_100_000.0, 2_900_000.0),
    IcbSummary(
        "QE1", "NHS Lancashire and South Cumbria ICB", "North West", 10, 987_000.4, 989_000.0
    ),
    IcbSummary("QMM", "NHS Norfolk and Waveney ICB", "East of England", 105, 1_100_000.0, None),
)


@pytest.fixture
def fake_tree() -> Node:
    return build_fake_tree()


@pytest.fixture
def fake_summaries() -> list[IcbSummary]:
    return list(FAKE_SUMMARIES)


@pytest.fixture
def qe1_yaml() -> str:
    """The definition of Lancashire and South Cumbria that ships with placeworks."""
    folder = resources.files("placeworks.geography") / "definitions"
    return (folder / "QE1.yaml").read_text(encoding="utf-8")
