"""People tables of the data package: deprivation, population and health outcomes.

The first part checks the shipped tables (``placeworks.data.load``) against published facts. The
second part checks the build itself on tiny raw files written here: the largest-remainder
apportionment, and that a corrupted input fails naming file, row and field, writing nothing.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.data import DataPackageMissing, DataValidationError, load
from placeworks.data.build import build
from placeworks.data.datasets.population import apportion

# Published facts, independent of the build.
LSOA21_ENGLAND = 33_755  # English LSOAs, December 2021 boundaries
LSOA11_ENGLAND = 32_844  # English LSOAs, December 2011 boundaries
LSOA11_WALES = 1_909
MID_2019_ENGLAND = 56_286_961  # ONS mid-2019 estimates
MID_2019_ENGLAND_WALES = 59_439_840
MID_2020_ENGLAND = 56_550_138  # ONS mid-2020 estimates
MID_2020_ENGLAND_WALES = 59_719_724
CENSUS_2021_ENGLAND = 56_490_048  # Census 2021 usual residents


def table(name: str) -> pd.DataFrame:
    try:
        return load(name)
    except DataPackageMissing as exc:
        pytest.skip(f"data package not built: {exc}")


def england(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[frame[column].str.startswith("E")]


# --- deprivation ------------------------------------------------------------------------------


def test_imd2025_covers_every_lsoa21_once():
    imd = table("imd2025_lsoa21")
    assert len(imd) == LSOA21_ENGLAND
    assert imd["lsoa21_code"].is_unique
    assert imd["lsoa21_code"].str.fullmatch(r"E01\d{6}").all()


@pytest.mark.parametrize("name", ["imd2025_lsoa21", "imd2019_lsoa11"])
def test_imd_ranks_and_deciles(name):
    imd = table(name)
    domains = [c[: -len("_decile")] for c in imd.columns if c.endswith("_decile")]
    assert domains == [
        "imd", "income", "employment", "education", "health", "crime",
        "housing_and_services", "environment",
    ]  # fmt: skip
    for domain in domains:
        assert imd[f"{domain}_rank"].between(1, len(imd)).all()
        assert set(imd[f"{domain}_decile"]) == set(range(1, 11))
        # Deciles are tenths of the ranks: decile 1 holds about a tenth of LSOAs.
        share = (imd[f"{domain}_decile"] == 1).mean()
        assert share == pytest.approx(0.1, abs=0.001)
    assert imd["imd_rank"].min() == 1
    assert imd["imd_rank"].max() == len(imd)


def test_imd2025_known_lsoa():
    imd = table("imd2025_lsoa21").set_index("lsoa21_code")
    city = imd.loc["E01000001"]  # City of London 001A
    assert city["imd_score"] == pytest.approx(8.742, abs=5e-4)
    assert city["imd_decile"] == 8
    assert city["imd_rank"] == 26_525


def test_imd2019_covers_every_lsoa11_once():
    imd = table("imd2019_lsoa11")
    assert len(imd) == LSOA11_ENGLAND
    assert imd["lsoa11_code"].is_unique


def test_imd2019_known_lsoa():
    imd = table("imd2019_lsoa11").set_index("lsoa11_code")
    city = imd.loc["E01000001"]  # City of London 001A, IoD2019 files 1, 2 and 5
    assert city["imd_score"] == pytest.approx(6.208, abs=5e-4)
    assert city["imd_rank"] == 29_199
    assert city["imd_decile"] == 9
    assert city["income_score"] == pytest.approx(0.007, abs=5e-4)  # a rate, not a percentage
    assert city["employment_score"] == pytest.approx(0.010, abs=5e-4)
    assert city["environment_rank"] == 7_789


def test_imd2019_scores_are_rates_and_follow_the_imd():
    imd = table("imd2019_lsoa11")
    assert imd["income_score"].between(0, 1).all()
    assert imd["employment_score"].between(0, 1).all()
    # The most deprived decile scores higher than the least deprived one, without overlap.
    assert (
        imd.loc[imd["imd_decile"] == 1, "imd_score"].min()
        > imd.loc[imd["imd_decile"] == 10, "imd_score"].max()
    )


# --- population -------------------------------------------------------------------------------


def age_total(frame: pd.DataFrame) -> int:
    ages = [c for c in frame.columns if c.startswith("age_")]
    assert len(ages) == 91
    assert ages[-1] == "age_90_plus"
    return int(frame[ages].to_numpy(dtype="int64").sum())


def test_mid_2019_total_by_sex():
    pop = table("population_lsoa11_2019")
    assert age_total(pop) == MID_2019_ENGLAND_WALES
    assert age_total(england(pop, "lsoa11_code")) == MID_2019_ENGLAND
    assert set(pop["sex"]) == {"F", "M"}
    assert pop.groupby("lsoa11_code").size().eq(2).all()
    assert pop["lsoa11_code"].nunique() == LSOA11_ENGLAND + LSOA11_WALES
    assert england(pop, "lsoa11_code")["lsoa11_code"].nunique() == LSOA11_ENGLAND


def test_mid_2020_totals():
    pop = table("population_lsoa11_2020")
    assert len(pop) == LSOA11_ENGLAND + LSOA11_WALES
    assert age_total(pop) == MID_2020_ENGLAND_WALES
    assert age_total(england(pop, "lsoa11_code")) == MID_2020_ENGLAND


def test_census_2021_usual_residents():
    census = table("census2021_lsoa21")
    assert england(census, "lsoa21_code")["lsoa21_code"].nunique() == LSOA21_ENGLAND
    # LSOA cells of Census tables are perturbed, so the sum is within a few of the headline.
    total = int(england(census, "lsoa21_code")["usual_residents"].sum())
    assert abs(total - CENSUS_2021_ENGLAND) <= 10
    assert (census["disabled"] <= census["usual_residents"]).all()
    # About one in six people were disabled under the Equality Act in 2021.
    assert census["disabled"].sum() / census["usual_residents"].sum() == pytest.approx(
        0.176, abs=0.01
    )


def test_population_lsoa21_keeps_the_mid_2020_england_total():
    pop = table("population_lsoa21")
    assert len(pop) == LSOA21_ENGLAND
    assert int(pop["population"].sum()) == MID_2020_ENGLAND
    assert set(pop["lsoa21_code"]) == set(table("imd2025_lsoa21")["lsoa21_code"])
    assert pop["population"].dtype == "int32"


def test_population_lsoa21_known_lsoas():
    pop = table("population_lsoa21").set_index("lsoa21_code")["population"]
    mid_2020 = table("population_lsoa11_2020").set_index("lsoa11_code")
    ages = [c for c in mid_2020.columns if c.startswith("age_")]
    # E01000001 is unchanged between 2011 and 2021: it keeps its mid-2020 estimate.
    assert pop["E01000001"] == mid_2020.loc["E01000001", ages].sum()
    # Middlesbrough 001G (E01033468, 3,007 people) split into E01035189 and E01035190, which had
    # 1,320 and 1,725 usual residents in 2021: 3,007 x 1,320 / 3,045 = 1,303.55 and
    # 3,007 x 1,725 / 3,045 = 1,703.45, so the spare person goes to the larger remainder.
    assert mid_2020.loc["E01033468", ages].sum() == 3_007
    assert (pop["E01035189"], pop["E01035190"]) == (1_304, 1_703)


# --- outcomes ---------------------------------------------------------------------------------


def test_qof_prevalence_registers_and_list_sizes():
    qof = table("qof_prevalence_2021")
    assert not qof.duplicated(["practice_code", "group_code"]).any()
    assert qof["practice_code"].nunique() == 6_571
    assert qof["group_code"].nunique() == 21
    # A register never exceeds its list size, but for one practice serving a residential
    # centre for epilepsy and learning disability (register and list counted on different dates).
    above = qof[qof["register"] > qof["list_size"]]
    assert set(zip(above["practice_code"], above["group_code"], strict=True)) == {("Y05750", "LD")}
    assert (qof["register"] >= 0).all()


def test_qof_groups_describe_every_register():
    groups = table("qof_groups").set_index("group_code")
    qof = table("qof_prevalence_2021")
    assert set(qof["group_code"]) <= set(groups.index)
    assert groups.loc["HYP", "group_description"] == "Hypertension"
    assert groups.loc["AST", "patient_list_type"] == "06OV"  # asthma register: aged 6 and over
    assert groups.loc["DM", "patient_list_type"] == "17OV"
    expected = qof["group_code"].map(groups["patient_list_type"])
    assert (qof["patient_list_type"] == expected).all()


def test_health_index():
    index = table("health_index_lad21")
    assert len(index) == 307 * 7
    assert sorted(index["year"].unique()) == list(range(2015, 2022))
    # Published separately from Cornwall and Hackney in no year.
    assert not index["ltla21_code"].isin(["E06000053", "E09000001"]).any()
    hartlepool = index.set_index(["ltla21_code", "year"]).loc[("E06000001", 2015)]
    assert hartlepool["overall_score"] == pytest.approx(88.3, abs=0.05)
    assert hartlepool["mental_health"] == pytest.approx(100.4, abs=0.05)
    assert "personal_well_being" in index.columns


def test_health_index_indicators():
    indicators = table("health_index_indicators_lad21")
    assert indicators["indicator"].nunique() == 56
    assert len(indicators) == 307 * 7 * 56
    assert not indicators.duplicated(["ltla21_code", "year", "indicator"]).any()
    assert indicators["value"].dtype == "float32"
    assert set(indicators["ltla21_code"]) == set(table("health_index_lad21")["ltla21_code"])


# --- largest-remainder apportionment ----------------------------------------------------------


def test_apportion_hand_worked_example():
    links = pd.DataFrame(
        {
            "source": ["A", "A", "A", "B", "B", "C", "C", "C", "D"],
            "target": ["x", "y", "z", "p", "q", "u", "v", "w", "x"],
        }
    )
    totals = pd.Series({"A": 10, "B": 7, "C": 5, "D": 4})
    weights = pd.Series({"x": 1, "y": 1, "z": 1, "p": 2, "q": 5, "u": 1, "v": 2, "w": 3})
    shares = apportion(links, totals, weights)
    # A: 10/3 each = 3.33: floors 3, 3, 3, one left, equal remainders, first target gets it.
    # B: 7 x 2/7 = 2 and 7 x 5/7 = 5 exactly.
    # C: 5 x 1/6 = 0.83, 5 x 2/6 = 1.67, 5 x 3/6 = 2.5: floors 0, 1, 2, two left, to the
    #    remainders .83 and .67.
    # D: all of 4 to its only target.
    assert shares.tolist() == [4, 3, 3, 2, 5, 1, 2, 2, 4]
    assert shares.groupby(links["source"]).sum().to_dict() == totals.to_dict()


def test_apportion_rejects_targets_with_no_weight():
    links = pd.DataFrame({"source": ["A"], "target": ["x"]})
    with pytest.raises(ValueError, match="weights are all zero"):
        apportion(links, pd.Series({"A": 3}), pd.Series({"x": 0}))


@given(
    st.lists(
        st.tuples(st.integers(0, 5_000), st.lists(st.integers(0, 3_000), min_size=1, max_size=6)),
        min_size=1,
        max_size=20,
    )
)
def test_apportion_keeps_totals_and_stays_within_one(sources):
    rows, totals, weights = [], {}, {}
    for i, (total, target_weights) in enumerate(sources):
        if sum(target_weights) == 0:
            target_weights = [*target_weights[:-1], 1]
        totals[f"s{i}"] = total
        for j, weight in enumerate(target_weights):
            rows.append((f"s{i}", f"t{i}_{j}"))
            weights[f"t{i}_{j}"] = weight
    links = pd.DataFrame(rows, columns=["source", "target"])
    shares = apportion(links, pd.Series(totals), pd.Series(weights))
    assert shares.groupby(links["source"]).sum().to_dict() == totals
    exact = [totals[s] * weights[t] / sum(weights[u] for v, u in rows if v == s) for s, t in rows]
    assert all(abs(share - e) < 1 for share, e in zip(shares, exact, strict=True))


# --- a corrupted input fails the build, naming file, row and field, and writes nothing -------

IMD2025_HEADER = (
    "lsoa21_code,IMD_decile,Income_decile,Employment_decile,Education_decile,Health_decile,"
    "Crime_decile,Housing_and_Services_decile,Environment_decile,IMD_rank,Income_rank,"
    "Employment_rank,Education_rank,Health_rank,Crime_rank,Housing_and_Services_rank,"
    "Environment_rank,IMD_score,Income_score,Employment_score,Education_score,Health_score,"
    "Crime_score,Housing_and_Services_score,Environment_score"
)


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if relative.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def imd2025_files(score: str) -> dict[str, str]:
    rows = [
        "E01000001,8,10,10,10,10,10,9,1,26525,33730,33708,33755,33108,33698,29220,244,"
        "8.742,0.013,0.014,0.004,-1.771,-2.22,10.95,69.345",
        "E01000002,10,10,10,10,10,10,10,2,31203,33669,33734,33672,32574,33712,32640,3702,"
        f"{score},0.018,0.01,0.169,-1.549,-2.277,6.703,43.89",
    ]
    return {"imd/imd2025_england_lsoa21.csv": "\n".join([IMD2025_HEADER, *rows]) + "\n"}


def mye2020_files(value: str) -> dict[str, str]:
    header = ",".join(
        ['"lsoa11_name"', '"lsoa11_code"', '"total_population"']
        + [f'"{age}"' for age in range(90)]
        + ['"90+"']
    )
    ones = ["1"] * 91
    bad = ["1"] * 91
    bad[37] = value
    rows = [
        ",".join(['"Hartlepool 009A"', '"E01011949"', "91", *ones]),
        ",".join(['"Hartlepool 008A"', '"E01011950"', "91", *ones]),
        ",".join(['"Hartlepool 007A"', '"E01011951"', "91", *bad]),
    ]
    return {"population/ons_mye2020_lsoa11_sya_persons.csv.gz": "\n".join([header, *rows]) + "\n"}


def qof_files(register: str) -> dict[str, str]:
    mapping = (
        "INDICATOR_CODE,INDICATOR_POINT_VALUE,GROUP_CODE,GROUP_DESCRIPTION,DOMAIN_CODE,"
        "DOMAIN_DESCRIPTION,PATIENT_LIST_TYPE\n"
        "AF001,5,AF,Atrial fibrillation,CL,Clinical,TOTAL\n"
        "AST005,4,AST,Asthma,CL,Clinical,06OV\n"
    )
    prevalence = (
        "PRACTICE_CODE,GROUP_CODE,REGISTER,PATIENT_LIST_TYPE,PRACTICE_LIST_SIZE\n"
        "A81001,AF,95,TOTAL,4098\n"
        "A81001,AST,333,06OV,3852\n"
        "A81002,AF,101,TOTAL,5000\n"
        f"A81002,AST,{register},06OV,4800\n"
    )
    return {
        "qof/MAPPING_INDICATORS_2021_v2.csv": mapping,
        "qof/PREVALENCE_2021_v2.csv": prevalence,
    }


def imd2019_files(file_7_decile: str) -> dict[str, str]:
    domains = [
        "Index of Multiple Deprivation (IMD)", "Income", "Employment",
        "Education, Skills and Training", "Health Deprivation and Disability", "Crime",
        "Barriers to Housing and Services", "Living Environment",
    ]  # fmt: skip
    lead = "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),"
    lead += "Local Authority District name (2019)"
    file_2 = [
        lead
        + "".join(
            f',"{d} Rank (where 1 is most deprived)",'
            f'"{d} Decile (where 1 is most deprived 10% of LSOAs)"'
            for d in domains
        ),
        "E01000001,City of London 001A,E09000001,City of London" + ",2,10" * 8,
        "E01000002,City of London 001B,E09000001,City of London" + ",1,5" * 8,
    ]
    return {
        "imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz": (
            "\ufeff" + lead + ",Index of Multiple Deprivation (IMD) Rank,"
            "Index of Multiple Deprivation (IMD) Decile\n"
            "E01000001,City of London 001A,E09000001,City of London,2,10\n"
            'E01000002,City of London 001B,E09000001,City of London,"1",5\n'
        ),
        "imd/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz": "\n".join(file_2) + "\n",
        "imd/imd2019_england_lsoa11_score_decile.csv": (
            '"lsoa_year","lsoa_code","lsoa_name","la_year","la_code","la_name","imd_year",'
            '"imd_score","imd_decile"\n'
            '2011,"E01000001","City of London 001A",2019,"E09000001","City of London",2019,'
            "6.208,10\n"
            '2011,"E01000002","City of London 001B",2019,"E09000001","City of London",2019,'
            f"9.5,{file_7_decile}\n"
        ),
        "imd/mysociety_UK_IMD_E.csv": (
            "nation,lsoa,overall_local_score,income_score,employment_score,UK_IMD_E_score,"
            "original_decile,E_expanded_decile,UK_IMD_E_rank,UK_IMD_E_pop_decile,"
            "UK_IMD_E_pop_quintile\n"
            "W,W01000001,30.1,10.0,10.0,40.0,3,3,5.0,3,2\n"
            "E,E01000001,6.208,0.7000000000000001,1.0,6.208,10,9,37850.5,9,5\n"
            "E,E01000002,9.5,3.4,2.7,9.5,5,10,39378.0,10,5\n"
        ),
    }


@pytest.mark.parametrize(
    ("table_name", "files", "file", "row", "field"),
    [
        ("imd2025_lsoa21", imd2025_files("4.7x2"), "imd/imd2025_england_lsoa21.csv", 3,
         "IMD_score"),
        ("population_lsoa11_2020", mye2020_files("-3"),
         "population/ons_mye2020_lsoa11_sya_persons.csv.gz", 4, "37"),
        ("population_lsoa11_2020", mye2020_files("2.5"),
         "population/ons_mye2020_lsoa11_sya_persons.csv.gz", 4, "37"),
        ("qof_prevalence_2021", qof_files("12a"), "qof/PREVALENCE_2021_v2.csv", 5, "REGISTER"),
        # The sources of IoD 2019 disagree on the decile of E01000002.
        ("imd2019_lsoa11", imd2019_files("4"), "imd/imd2019_england_lsoa11_score_decile.csv",
         3, "imd_decile"),
    ],
)  # fmt: skip
def test_corrupted_input_fails_naming_file_row_and_field(
    tmp_path, table_name, files, file, row, field
):
    raw = tmp_path / "raw"
    for relative, text in files.items():
        write(raw, relative, text)
    out = tmp_path / "package"
    out.mkdir()
    (out / "manifest.json").write_text("previous package\n", encoding="utf-8")

    with pytest.raises(DataValidationError) as failure:
        build(raw, out, only=[table_name])

    error = failure.value
    assert (error.file, error.row, error.field) == (file, row, field)
    assert str(error).startswith(f"{file}, row {row}, field {field!r}: ")
    # Nothing written: the previous package is untouched and no staging folder is left.
    assert [p.name for p in out.iterdir()] == ["manifest.json"]
    assert (out / "manifest.json").read_text(encoding="utf-8") == "previous package\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package", "raw"]


def test_tiny_valid_imd2019_files_agree(tmp_path):
    """The corrupted case above differs from a consistent set only in that one decile."""
    raw = tmp_path / "raw"
    for relative, text in imd2019_files("5").items():
        write(raw, relative, text)
    with pytest.raises(DataValidationError, match="2 LSOAs, expected 32,844"):
        build(raw, tmp_path / "package", only=["imd2019_lsoa11"])
    assert not (tmp_path / "package").exists()
