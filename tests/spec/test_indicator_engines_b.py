"""Life expectancy, quantiles, SII and SPC charts give the same answers on every engine."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from placeworks.indicators import phe_life_expectancy, phe_quantile, phe_sii, spc_xmr
from placeworks.indicators.life_expectancy import AGE_BANDS

POPS = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209, 56416]
POPS += [46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
DEATHS = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390, 1605]
DEATHS += [1936, 1937]


def test_life_expectancy(engine):
    # Pendle's bands are split over two rows each and total the calculator's example; Burnley's
    # population is too small.
    pendle = pd.DataFrame({"area": "Pendle", "age": list(AGE_BANDS) * 2})
    pendle["pop"] = [p / 2 for p in POPS] * 2
    pendle["deaths"] = [d / 2 for d in DEATHS] * 2
    burnley = pd.DataFrame({"area": "Burnley", "age": AGE_BANDS, "pop": 200.0, "deaths": 1.0})
    frame = pd.concat([pendle, burnley], ignore_index=True)
    kwargs = {"by": ["area"], "le_age": [0, 90], "confidence": [95, 99.8]}
    result = phe_life_expectancy(frame, "deaths", "pop", "age", engine=engine, **kwargs)
    assert_frame_equal(result, phe_life_expectancy(frame, "deaths", "pop", "age", **kwargs))
    assert result["area"].tolist() == ["Burnley", "Burnley", "Pendle", "Pendle"]
    assert result["value"].iloc[2:].tolist() == pytest.approx([80.1696, 6.1621], abs=1e-4)
    assert result["reason"].tolist()[:2] == ["total population of 5,000 or less"] * 2


def test_quantiles(engine):
    frame = pd.DataFrame(
        {"region": ["N"] * 10 + ["S"] * 5, "score": [*range(1, 11), 5, None, 3, 3, 1]}
    )
    result = phe_quantile(frame, "score", by=["region"], nquantiles=5, engine=engine)
    assert_frame_equal(result, phe_quantile(frame, "score", by=["region"], nquantiles=5))
    assert result["quantile"].tolist()[:10] == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert result["quantile"].iloc[[10, 12, 14]].tolist() == [1, 2, 4]


def test_sii(engine):
    # y = 10 + 5b on equal fifths in A (SII 5, RII 1.5), y = 20 - 10b in B (SII -10)
    frame = pd.DataFrame(
        {
            "area": ["B"] * 5 + ["A"] * 5,
            "q": list(range(1, 6)) * 2,
            "pop": [100] * 10,
            "value": [19, 17, 15, 13, 11, 10.5, 11.5, 12.5, 13.5, 14.5],
            "se": [0.5] * 10,
        }
    )
    kwargs = {"by": ["area"], "value": "value", "se": "se", "rii": True, "repetitions": 1000}
    result = phe_sii(frame, "q", "pop", seed=5, engine=engine, **kwargs)
    assert_frame_equal(result, phe_sii(frame, "q", "pop", seed=5, **kwargs))
    assert result["sii"].tolist() == pytest.approx([5, -10])
    assert result["rii"].iloc[0] == pytest.approx(1.5)


def test_spc(engine):
    events = pd.DataFrame(
        {
            "site": ["B"] * 8 + ["A"] * 9,
            "month": [*range(8), 0, 0, *range(1, 8)],
            "count": [10, 11, 9, 10, 11, 9, 10, 30, 1, 2, 1, 2, 3, 4, 5, 6, 7],
        }
    )
    kwargs = {"by": ["site"], "target": 20}
    result = spc_xmr(events, "count", "month", engine=engine, **kwargs)
    assert_frame_equal(result, spc_xmr(events, "count", "month", **kwargs))
    b = result[result["site"] == "B"]
    assert b["upl"].iloc[0] == pytest.approx(12.5 + 2.66 * 8 / 6)
    assert b["special_cause_type"].iloc[-1] == "Above UCL"
    a = result[result["site"] == "A"]
    assert a["count"].tolist() == [3, 1, 2, 3, 4, 5, 6, 7]
    # mean 31/8 = 3.875, mean mR 8/7: the upper limit 3.875 + 2.66 × 8/7 = 6.915 is below the
    # last point, which is outside the limits before it is part of the rising trend
    assert a["upl"].iloc[0] == pytest.approx(3.875 + 2.66 * 8 / 7)
    trend = ["7 Point Trend (Increasing)"] * 6
    assert a["special_cause_type"].iloc[1:].tolist() == [*trend, "Above UCL"]
