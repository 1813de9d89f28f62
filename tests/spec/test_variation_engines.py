"""An indicator's variation across an ICB gives the same answers on every engine."""

from __future__ import annotations

from pandas.testing import assert_frame_equal

from placeworks.indicators.variation import variation


def test_qof_variation(engine):
    result = variation("QE1", "neighbourhoods", "qof-hyp", within="E07000127", engine=engine)
    reference = variation("QE1", "neighbourhoods", "qof-hyp", within="E07000127")
    assert_frame_equal(result.to_frame(), reference.to_frame())
    assert_frame_equal(result.funnel, reference.funnel)
    assert result.sii == reference.sii
    assert len(result.groups) == 3


def test_health_index_variation(engine):
    result = variation("QE1", "places", "health-index", engine=engine)
    reference = variation("QE1", "places", "health-index")
    assert_frame_equal(result.to_frame(), reference.to_frame())
    assert_frame_equal(result.series, reference.series)
