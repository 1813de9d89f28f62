"""A user's grouping CSV must partition the ICB's practices; every problem is listed at once."""

from __future__ import annotations

import pytest

from placeworks.allocation import from_csv
from placeworks.data import DataValidationError, load


@pytest.fixture(scope="module")
def qe1_practices():
    wp = load("weighted_populations")
    return sorted(wp.loc[(wp.year == "2025/26") & (wp.icb_code == "QE1"), "practice_code"])


def write(tmp_path, lines):
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_valid_grouping(tmp_path, qe1_practices):
    lines = ["practice_code,group"] + [
        f"{code},{'NORTH' if i % 2 else 'SOUTH'}" for i, code in enumerate(qe1_practices)
    ]
    grouping = from_csv(write(tmp_path, lines), "QE1", "2025/26")
    assert grouping.groups() == ["NORTH", "SOUTH"]
    assert len(grouping.paths) == len(qe1_practices)


def test_unknown_duplicate_and_missing_are_listed_together(tmp_path, qe1_practices):
    keep = qe1_practices[:-3]  # three practices missing
    lines = ["practice_code,group"] + [f"{code},ONE" for code in keep]
    lines += [f"{keep[0]},TWO", "Z99999,ONE", "A81001,ONE"]  # duplicate, unknown, other ICB
    with pytest.raises(DataValidationError) as caught:
        from_csv(write(tmp_path, lines), "QE1", "2025/26")
    message = str(caught.value)
    assert "mine.csv: " in message
    assert f"{keep[0]} listed again (first at row 2)" in message
    assert "Z99999 is not a known practice code" in message
    assert "A81001 is a practice of another ICB" in message
    assert "3 practices of QE1 are missing" in message
    for code in qe1_practices[-3:]:
        assert code in message


def test_missing_column_names_the_field(tmp_path):
    with pytest.raises(DataValidationError) as caught:
        from_csv(write(tmp_path, ["practice,group", "P81001,A"]), "QE1", "2025/26")
    assert (caught.value.row, caught.value.field) == (1, "practice_code")


def test_localities_must_nest(tmp_path, qe1_practices):
    lines = ["practice_code,group,locality"]
    for i, code in enumerate(qe1_practices):
        lines.append(f"{code},{'A' if i < 100 else 'B'},L{i % 3}")
    with pytest.raises(DataValidationError, match="sits in both"):
        from_csv(write(tmp_path, lines), "QE1", "2025/26")
