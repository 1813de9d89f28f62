"""Confidence levels, column names and input checks shared by every method."""

from __future__ import annotations

import pandas as pd
import pytest

from placeworks.indicators import options


@pytest.mark.parametrize(
    ("confidence", "label", "columns"),
    [
        (0.95, "95%", [("lowercl", "uppercl")]),
        (95, "95%", [("lowercl", "uppercl")]),
        (0.998, "99.8%", [("lowercl", "uppercl")]),
        (99.8, "99.8%", [("lowercl", "uppercl")]),
        (0.9, "90%", [("lowercl", "uppercl")]),
        (
            (0.95, 0.998),
            "95%, 99.8%",
            [("lower95_0cl", "upper95_0cl"), ("lower99_8cl", "upper99_8cl")],
        ),
        (
            [95, 99.8],
            "95%, 99.8%",
            [("lower95_0cl", "upper95_0cl"), ("lower99_8cl", "upper99_8cl")],
        ),
    ],
)
def test_levels_labels_and_column_names(confidence, label, columns):
    levels = options.confidence_levels(confidence)
    assert options.confidence_label(levels) == label
    assert [(level.lower, level.upper) for level in levels] == columns


@pytest.mark.parametrize(
    ("confidence", "message"),
    [
        (0.8, "at least 0.9"),
        (1.0, "below 1"),
        (89, "at least 0.9"),
        (101, "below 1"),
        ((0.9, 0.95), "0.95 and 0.998"),
        ((0.95, 0.998, 0.999), "one level or the two"),
        ((), "one level or the two"),
        ("95%", "must be a number"),
    ],
)
def test_bad_confidence_is_refused(confidence, message):
    with pytest.raises(ValueError, match=message):
        options.confidence_levels(confidence)


def test_number_labels_print_like_r():
    assert options.number_label(100000) == "100000"
    assert options.number_label(1) == "1"
    assert options.number_label(1e6) == "1000000"
    assert options.number_label(0.5) == "0.5"


def test_type_and_multiplier_are_checked():
    with pytest.raises(ValueError, match="type must be one of full, standard"):
        options.check_type("combined")
    with pytest.raises(ValueError, match="multiplier must be a positive number"):
        options.check_multiplier(0)
    with pytest.raises(ValueError, match="multiplier must be a number"):
        options.check_multiplier("100")  # type: ignore[arg-type]


def test_errors_name_the_column_row_and_group():
    frame = pd.DataFrame({"area": ["Burnley", "Pendle"], "x": [1, -2], "n": [0, 5]})
    with pytest.raises(
        ValueError, match=r"numerator x must not be negative \(row 1, area 'Pendle'\)"
    ):
        options.check_values(frame, "x", "numerator", ["area"])
    with pytest.raises(
        ValueError, match=r"denominator n must be greater than zero \(row 0, area 'Burnley'\)"
    ):
        options.check_values(frame, "n", "denominator", ["area"], strict=True)
    with pytest.raises(KeyError, match="x 'deaths' is not a column"):
        options.check_columns(frame, x="deaths")
    text = pd.DataFrame({"x": ["1", "a"]})
    with pytest.raises(ValueError, match=r"numerator x must be numeric \(row 1\)"):
        options.check_values(text, "x", "numerator")
    gaps = pd.DataFrame({"n": [1.0, None]})
    with pytest.raises(ValueError, match=r"denominator n must not be missing \(row 1\)"):
        options.check_values(gaps, "n", "denominator", missing=False)


def test_level_tags_name_the_sii_columns():
    levels = options.confidence_levels((0.95, 0.998))
    assert [level.tag for level in levels] == ["95_0", "99_8"]
    assert options.confidence_levels(0.9)[0].tag == "90_0"


def test_required_columns_and_numeric_columns():
    frame = pd.DataFrame({"area": ["A"], "x": [1]})
    with pytest.raises(KeyError, match="the data have no column n, w"):
        options.require_columns(frame, "x", "n", "area", "w", "n")
    with pytest.raises(TypeError, match="column area must be numeric"):
        options.require_numeric(frame, "x", "area")
    with pytest.raises(ValueError, match="type must be one of full, standard, not 'value'"):
        options.check_type("value", options.FULL_OR_STANDARD)
