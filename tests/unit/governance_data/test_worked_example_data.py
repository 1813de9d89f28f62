"""The worked example's data tells the two council reports faithfully.

The facts below are written out from the reports (shared/mission/partnership.md), not read from
the YAML, so the data is checked against the story rather than against itself.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

import placeworks

PACKAGE = Path(placeworks.__file__).parent
EXAMPLES = PACKAGE / "governance" / "examples"

ICP_2019 = "wl_icp_2019"
DEAL_2023 = "lancs_deal_2023"


@cache
def load(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def lancs() -> dict:
    return load("lancashire.yaml")


def records(section: str, story: str | None = None) -> list[dict]:
    rows = lancs()[section]
    return [r for r in rows if story is None or story in r["stories"]]


def by_id(section: str) -> dict[str, dict]:
    return {r["id"]: r for r in lancs()[section]}


def reported_names(org: dict) -> set[str]:
    """Every name an organisation has gone by, including the report's own."""
    names = {org["name"]}
    names.update(n["name"] for n in org.get("name_history", []))
    if "name_in_report" in org:
        names.add(org["name_in_report"])
    return names


def org_named(name: str) -> dict:
    found = [o for o in records("organisations") if name in reported_names(o)]
    assert len(found) == 1, f"{name!r} names {len(found)} organisations"
    return found[0]


def record_sections() -> list[str]:
    return [k for k, v in lancs().items() if isinstance(v, list)]


# --- the files ----------------------------------------------------------------------------------


def test_example_folder_is_a_package_with_its_files():
    for name in ("__init__.py", "lancashire.yaml", "readiness_framework.yaml", "risk_matrix.yaml"):
        assert (EXAMPLES / name).is_file(), name
    assert (EXAMPLES / "README.md").is_file()


@pytest.mark.parametrize(
    "name", ["lancashire.yaml", "readiness_framework.yaml", "risk_matrix.yaml"]
)
def test_each_file_opens_with_a_schema_comment(name):
    lines = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
    head = []
    for line in lines:
        if not line.startswith("#"):
            break
        head.append(line)
    comment = "\n".join(head)
    assert "Schema" in comment or "Sections and fields" in comment


def test_ids_are_unique_across_the_file():
    seen: dict[str, str] = {}
    for section in record_sections():
        for record in lancs()[section]:
            assert "id" in record, f"a record of {section} has no id"
            assert record["id"] not in seen, f"{record['id']} in {section} and {seen[record['id']]}"
            seen[record["id"]] = section


def test_sources_cite_both_council_reports():
    sources = records("sources")
    publishers = {s["publisher"] for s in sources}
    assert publishers == {"West Lancashire Borough Council", "Lancashire County Council"}
    stories = {s["id"]: s for s in records("stories")}
    assert set(stories) == {ICP_2019, DEAL_2023}
    assert stories[ICP_2019]["year"] == 2019
    assert stories[DEAL_2023]["year"] == 2023
    source_ids = {s["id"] for s in sources}
    for story in stories.values():
        assert story["sources"], story["id"]
        assert set(story["sources"]) <= source_ids


def test_every_record_has_a_story():
    story_ids = {s["id"] for s in records("stories")}
    for section in record_sections():
        if section == "stories":
            continue
        for record in lancs()[section]:
            stories = record.get("stories")
            assert isinstance(stories, list), f"{section}.{record['id']} has no stories"
            assert stories, f"{section}.{record['id']} has an empty story list"
            assert set(stories) <= story_ids, f"{section}.{record['id']}: {stories}"


def test_records_added_for_continuity_say_why():
    for section in record_sections():
        for record in lancs()[section]:
            if record.get("in_report") is False:
                assert record.get("note"), f"{section}.{record['id']} added without a note"


# --- story 1: West Lancashire Integrated Community Partnership (2019) --------------------------

PARTNERS_2019 = {
    "Lancashire Care NHS Foundation Trust",
    "Lancashire County Council",
    "Virgin Care",
    "West Lancashire Borough Council",
    "West Lancashire Clinical Commissioning Group",
    "West Lancashire Council for Voluntary Services",
    "West Lancashire GP Federation",
}
ASSOCIATE_2019 = "Southport and Ormskirk Hospital NHS Trust"


def icp() -> dict:
    (partnership,) = records("partnerships", ICP_2019)
    return partnership


def test_seven_partners_and_one_associate_in_2019():
    members = [m for m in records("memberships") if m["partnership"] == icp()["id"]]
    orgs = by_id("organisations")
    partners = [m for m in members if m["role"] == "partner"]
    associates = [m for m in members if m["role"] == "associate_partner"]
    assert len(partners) == 7
    assert len(associates) == 1
    for name in PARTNERS_2019:
        assert org_named(name)["id"] in {m["organisation"] for m in partners}, name
    (associate,) = associates
    assert associate["organisation"] == org_named(ASSOCIATE_2019)["id"]
    assert "out-of-hospital" in associate["basis"]
    assert orgs[org_named("Virgin Care")["id"]]["sector"] == "private"


def test_the_partnership_is_in_shadow_form_with_an_unsettled_name():
    partnership = icp()
    assert "Integrated Care Partnership" in partnership["name"]
    assert "Multi-Speciality Community Provider" in partnership["name"]
    assert partnership["name_settled"] is False
    assert partnership["form"] == "shadow"
    assert partnership["shadow_since_date"] == "2018-10"
    assert "summit" in partnership["origin"]
    assert partnership["focus"].lower() == "out-of-hospital care"
    assert partnership["area_gss"] == "E07000127"
    assert partnership["legally_binding_change"] is False
    aims = " ".join(partnership["aims"]).lower()
    for words in (
        "integration",
        "population health",
        "quality",
        "financial sustainability",
        "collaborative relationships",
        "decision-making",
        "trust",
    ):
        assert words in aims, words
    leaders = [b for b in records("bodies") if b.get("partnership") == partnership["id"]]
    assert any(b.get("meeting_frequency") == "monthly" for b in leaders)


def test_the_council_roles_in_2019():
    posts = by_id("posts")
    wlbc = org_named("West Lancashire Borough Council")["id"]
    nominations = {n["role"]: n for n in records("nominations") if n["organisation"] == wlbc}
    lead_member = posts[nominations["lead_member"]["post"]]
    lead_officer = posts[nominations["lead_officer"]["post"]]
    assert "Health & Community Safety" in lead_member["title"]
    assert "Portfolio Holder" in lead_member["title"]
    assert lead_officer["title"] == "Director of Leisure & Environment Services"
    assert nominations["lead_officer"]["or_nominee"] is True

    (delegated,) = records("delegations", ICP_2019)
    assert delegated["from_organisation"] == wlbc
    assert delegated["to_post"] == nominations["lead_officer"]["post"]
    assert delegated["in_consultation_with_post"] == nominations["lead_member"]["post"]
    function = by_id("functions")[delegated["function"]]
    assert "membership" in function["name"]

    (membership,) = [
        m
        for m in records("memberships")
        if m.get("organisation") == wlbc and m["partnership"] == icp()["id"]
    ]
    protocol = by_id("agreements")[membership["agreement"]]
    assert protocol["name"].endswith("Partnership Protocol")

    attendance = {
        (posts[m["post"]]["title"], m["role"], m.get("count", 1))
        for m in records("body_memberships", ICP_2019)
        if "post" in m
    }
    assert ("Deputy Director Leisure & Wellbeing", "attendee", 1) in attendance
    assert ("Chief Executive", "extended_network", 1) in attendance
    assert ("Director", "extended_network", 2) in attendance
    monthly = by_id("bodies")[
        next(m["body"] for m in records("body_memberships", ICP_2019) if m["role"] == "attendee")
    ]
    assert monthly["meeting_frequency"] == "monthly"


def test_cabinet_in_june_and_full_council_in_july_2019():
    bodies = by_id("bodies")
    decisions = {(bodies[d["body"]]["kind"], d["date"]) for d in records("decisions", ICP_2019)}
    assert decisions == {("cabinet", "2019-06"), ("full_council", "2019-07")}


def test_three_neighbourhoods_of_30000_to_50000_people():
    neighbourhoods = records("neighbourhoods", ICP_2019)
    assert {n["name"] for n in neighbourhoods} == {
        "Skelmersdale and Up Holland",
        "Burscough and the Northern Parishes",
        "Ormskirk and Aughton",
    }
    for n in neighbourhoods:
        assert (n["population_min"], n["population_max"]) == (30_000, 50_000)
        assert n["district_gss"] == "E07000127"


MDT_ROLES = {
    "gps",
    "pharmacists",
    "district nurses",
    "community geriatricians",
    "dementia workers",
    "allied health professionals",
    "social care professionals",
    "local authority staff",
    "voluntary sector staff",
}


def test_each_neighbourhood_has_an_expanded_multidisciplinary_team():
    teams = {t["neighbourhood"]: t for t in records("neighbourhood_teams")}
    for n in records("neighbourhoods"):
        team = teams[n["id"]]
        assert "multidisciplinary" in team["kind"]
        assert {r.lower() for r in team["roles"]} == MDT_ROLES


def test_the_strategies_it_serves():
    strategies = records("strategies", ICP_2019)
    assert {s["id"] for s in strategies} == set(icp()["strategies"])
    named = {s["name"]: s for s in strategies}
    hwb = named["Health & Wellbeing Strategy"]
    assert hwb["year"] == 2018
    themes = " ".join(hwb["themes"]).lower()
    for theme in ("employment", "housing", "community cohesion", "environmental health"):
        assert theme in themes
    assert "prevention" in themes
    (ccg,) = [s for s in strategies if "Building for the Future" in s["name"]]
    assert ccg["organisation"] == org_named("West Lancashire Clinical Commissioning Group")["id"]
    ccg_themes = " ".join(ccg["themes"]).lower()
    for theme in ("right care, right time, safely delivered", "premature death", "integrated"):
        assert theme in ccg_themes
    ltp = named["NHS Long Term Plan"]
    assert (ltp["start_year"], ltp["end_year"]) == (2019, 2029)
    ltp_themes = " ".join(ltp["themes"]).lower()
    for theme in ("joined-up", "prevention", "outcomes", "workforce", "digital", "financial"):
        assert theme in ltp_themes


SERVICES = {
    "Housing and Inclusion": {
        "social housing",
        "homeless support",
        "home care link",
        "disabled facilities grants",
        "financial inclusion",
        "digital enablement",
        "community grants",
    },
    "Leisure and Environmental": {
        "street cleansing and refuse",
        "grounds maintenance",
        "environmental health",
        "infectious disease control",
        "health and safety at work",
        "pollution control",
        "leisure centres",
        "countryside parks",
        "health checks",
        "gp referral and social prescribing",
        "community safety",
    },
}


def test_every_council_service_named_in_the_report():
    areas = by_id("service_areas")
    listed: dict[str, set[str]] = {}
    for service in records("services", ICP_2019):
        if "service_area" in service:
            area = areas[service["service_area"]]["name"]
            listed.setdefault(area, set()).add(service["name"].lower())
    assert listed == SERVICES
    (housing,) = [s for s in records("services") if s["name"].lower() == "social housing"]
    assert "sheltered schemes" in housing["includes"]
    ccg = org_named("West Lancashire Clinical Commissioning Group")["id"]
    county = org_named("Lancashire County Council")["id"]
    for area in areas.values():
        assert {ccg, county} <= set(area["delivered_with_or_for"])


def test_planned_leisure_and_wellbeing_hubs_with_the_ccg():
    (hubs,) = [s for s in records("services") if "Leisure & Wellbeing Hubs" in s["name"]]
    assert hubs["status"] == "planned"
    assert hubs["co_located"] is True
    assert org_named("West Lancashire Clinical Commissioning Group")["id"] in hubs["partners"]


def test_workstreams_mous_reports_and_the_risk_of_not_taking_part():
    workstreams = records("workstreams", ICP_2019)
    assert {w["name"].lower() for w in workstreams} == {
        "finance",
        "governance",
        "communications and engagement",
    }
    assert {w["start_date"] for w in workstreams} == {"2019-02"}
    (mous,) = [a for a in records("agreements", ICP_2019) if "memorand" in a["name"].lower()]
    assert mous["legally_binding"] is False
    assert mous["status"] == "drafting"
    assert set(icp()["future_reports"]) == {"governance", "finances", "risks", "opportunities"}
    (risk,) = records("risks", ICP_2019)
    assert "poorer services and outcomes" in risk["description"]
    assert "scores" not in risk


# --- story 2: Lancashire Place Integration Deal (2023) -----------------------------------------


def deal() -> dict:
    (the_deal,) = records("deals", DEAL_2023)
    return the_deal


def test_the_icb_decision_and_the_county_cabinet():
    bodies = by_id("bodies")
    orgs = by_id("organisations")
    dated = {
        orgs[bodies[d["body"]]["organisation"]]["codes"].get("ods", "LCC"): d["date"]
        for d in records("decisions", DEAL_2023)
    }
    assert dated == {"QE1": "2023-07-05", "LCC": "2023-07-06"}
    assert deal()["name"] == "Lancashire Place Integration Deal"


def test_four_places():
    places = records("places", DEAL_2023)
    assert {p["name"] for p in places} == {
        "Lancashire",
        "Blackburn with Darwen",
        "Blackpool",
        "South Cumbria",
    }
    icb = org_named("NHS Lancashire and South Cumbria Integrated Care Board")
    assert {p["icb"] for p in places} == {icb["id"]}
    assert set(deal()["places"]) == {p["id"] for p in places}


def test_three_localities_each_with_an_nhs_funded_integrated_place_leader():
    places = by_id("places")
    posts = by_id("posts")
    localities = records("localities", DEAL_2023)
    assert {loc["name"] for loc in localities} == {
        "East Lancashire",
        "Central and West Lancashire",
        "North Lancashire",
    }
    for loc in localities:
        assert places[loc["place"]]["name"] == "Lancashire"
        leader = posts[loc["leader_post"]]
        assert leader["title"].startswith("Integrated Place Leader")
        assert leader["funding"] == "nhs"
        assert leader["locality"] == loc["id"]


def test_delegation_to_the_joint_director_using_the_place_board():
    posts = by_id("posts")
    bodies = by_id("bodies")
    icb = org_named("NHS Lancashire and South Cumbria Integrated Care Board")["id"]
    county = org_named("Lancashire County Council")["id"]
    nhs = records("delegations", DEAL_2023)
    assert {d["from_organisation"] for d in nhs} == {icb}
    (to_post,) = {d["to_post"] for d in nhs}
    director = posts[to_post]
    assert director["title"] == "Director of Health and Care Integration"
    assert director["joint"] is True
    assert set(director["organisations"]) == {icb, county}
    assert {bodies[d["discharged_through_body"]]["name"] for d in nhs} == {"Lancashire Place Board"}

    holdings = {h["post"]: h for h in records("post_holdings", DEAL_2023)}
    seconded = holdings[to_post]
    assert seconded["arrangement"] == "secondment"
    executive = posts[seconded["holder_post"]]
    assert executive["title"] == "Executive Director of Adult Services and Health & Wellbeing"
    assert executive["organisation"] == county
    backfill = holdings[executive["id"]]
    assert backfill["arrangement"] == "backfill"
    assert posts[backfill["holder_post"]]["title"] == "Deputy Executive Director of Adult Services"

    (staff,) = records("staff_alignments", DEAL_2023)
    assert staff["employer"] == icb
    assert staff["remain_employed_by_employer"] is True


LIFECYCLE = ["proposed", "readiness_assessed", "approved", "effective", "varied", "revoked"]


def test_every_delegation_transition_is_a_decision():
    decisions = by_id("decisions")
    for d in records("delegations"):
        assert d["status"] in LIFECYCLE
        assert d["transitions"], d["id"]
        assert d["transitions"][-1]["status"] == d["status"]
        for t in d["transitions"]:
            assert t["status"] in LIFECYCLE
            assert decisions[t["decision"]]["date"] == t["date"]


FUNCTIONS = {
    "Population Health",
    "Primary Care",
    "Community Services",
    "Continuing Health Care",
    "Better Care Fund",
    "Services for admission avoidance and hospital discharge",
}


def test_six_delegated_functions_two_in_the_first_phase_by_april_2024():
    functions = by_id("functions")
    delegations = records("delegations", DEAL_2023)
    assert {functions[d["function"]]["name"] for d in delegations} == FUNCTIONS
    assert len(delegations) == 6
    first = {functions[d["function"]]["name"]: d for d in delegations if d.get("phase") == 1}
    assert set(first) == {"Better Care Fund", "Population Health"}
    assert {d["target_date"] for d in first.values()} == {"2024-04"}
    for d in delegations:
        if d.get("phase") != 1:
            assert "phase" not in d, "the report numbers no phase but the first"
    (chc,) = [f for f in functions.values() if f["name"] == "Continuing Health Care"]
    assert "transformation" in chc["prerequisites"]
    assert (deal()["journey_years_min"], deal()["journey_years_max"]) == (2, 3)
    assert deal()["first_focus"].lower() == "adult social care with health"
    county = org_named("Lancashire County Council")["id"]
    assert county in {d["from_organisation"] for d in deal()["later_delegations"]}


def test_the_interim_place_partnership_and_reporting_lines():
    bodies = by_id("bodies")
    orgs = by_id("organisations")
    (interim,) = [b for b in bodies.values() if b["name"] == "Interim Lancashire Place Partnership"]
    assert interim["meeting_frequency"] == "monthly"
    assert interim["status"] == "interim"
    members = [m for m in records("body_memberships") if m["body"] == interim["id"]]
    member_orgs = {orgs[m["organisation"]]["name"] for m in members if "organisation" in m}
    assert {
        "Lancashire County Council",
        "NHS Lancashire and South Cumbria Integrated Care Board",
        "Healthwatch Lancashire",
    } <= member_orgs
    assert {"voluntary", "care", "district_councils"} <= {m.get("sector") for m in members}
    (district_ce,) = [m for m in members if m.get("sector") == "district_councils"]
    assert "chief executive" in district_ce["represented_by"]
    (lcc,) = [
        m for m in members if m.get("organisation") == org_named("Lancashire County Council")["id"]
    ]
    assert by_id("posts")[lcc["post"]]["title"] == "Cabinet and lead members"

    lines = {
        (bodies[r["from_body"]]["name"], r["kind"], bodies[r["to_body"]]["name"])
        for r in records("reporting_lines", DEAL_2023)
    }
    assert (
        "District Health and Wellbeing Partnerships",
        "accountable_to",
        "Interim Lancashire Place Partnership",
    ) in lines
    assert (
        "Interim Lancashire Place Partnership",
        "links_to",
        "Lancashire Health and Wellbeing Board",
    ) in lines


def test_money_options_and_pooled_funds_to_come():
    money = deal()["money"]
    methods = {m["allocation_method"]: m for m in money["methods_under_consideration"]}
    assert set(methods) == {"historic", "population", "need"}
    assert "former CCG" in methods["historic"]["description"]
    assert set(methods["population"]["basis"]) == {"resident", "registered"}
    assert "deprivation" in methods["need"]["description"]
    assert "committed to contracts" in money["commitments"]
    (fund,) = records("pooled_funds", DEAL_2023)
    assert fund["status"] == "expected"
    assert set(fund["legal_basis_options"]) == {"section_75", "section_256"}
    assert fund["id"] in money["pooled_funds"]
    (care_at_home,) = [s for s in records("services", DEAL_2023) if s["name"] == "Care at home"]
    assert care_at_home["commissioning"] == "joint"
    assert care_at_home["commissioning_status"] == "started"


def test_three_risks_people_finance_variation():
    risks = {r["title"]: r for r in records("risks", DEAL_2023)}
    assert set(risks) == {"People", "Finance", "Variation"}
    assert "staff alignment" in risks["People"]["description"].lower()
    assert "former CCGs" in risks["People"]["description"]
    assert "allocations to places" in risks["Finance"]["description"].lower()
    assert "financial recovery" in risks["Finance"]["description"]
    assert "two-tier" in risks["Variation"]["description"].lower()
    assert "unwarranted variation" in risks["Variation"]["description"]
    for risk in risks.values():
        assert risk["mitigation_status"] == "in_development"
        assert risk["category"] == risk["title"].lower()


def test_four_consultations_with_their_dates():
    bodies = by_id("bodies")
    consultations = records("consultations", DEAL_2023)
    assert len(consultations) == 4
    seen = {
        (bodies[c["consultee_body"]]["name"] if "consultee_body" in c else c["form"]): (
            c["status"],
            c.get("date"),
        )
        for c in consultations
    }
    assert seen == {
        "ICB and upper-tier council chief executives": ("ongoing", None),
        "Health and Adult Services Scrutiny Committee": ("held", "2023-05-11"),
        "Lancashire chief executives (including districts)": ("held", "2023-06-08"),
        "workshop": ("planned", "2023-07-13"),
    }


# --- identifiers ---------------------------------------------------------------------------------

KNOWN_CODES = {
    "NHS Lancashire and South Cumbria Integrated Care Board": ("ods", "QE1"),
    "Lancashire Care NHS Foundation Trust": ("ods", "RW5"),
    "Southport and Ormskirk Hospital NHS Trust": ("ods", "RVY"),
    "Mersey and West Lancashire Teaching Hospitals NHS Trust": ("ods", "RBN"),
    "West Lancashire Clinical Commissioning Group": ("ods", "02G"),
    "Lancashire County Council": ("gss", "E10000017"),
    "West Lancashire Borough Council": ("gss", "E07000127"),
    "Blackburn with Darwen Borough Council": ("gss", "E06000008"),
    "Blackpool Council": ("gss", "E06000009"),
}


@pytest.mark.parametrize(("name", "code"), KNOWN_CODES.items())
def test_public_identifiers(name, code):
    kind, value = code
    assert org_named(name)["codes"][kind] == value


ODS_BY_KIND = {
    "nhs_trust": r"R[A-Z0-9]{2}",
    "nhs_foundation_trust": r"R[A-Z0-9]{2}",
    "clinical_commissioning_group": r"[0-9]{2}[A-Z]",
    "integrated_care_board": r"Q[A-Z0-9]{2}",
}
GSS_BY_KIND = {
    "county_council": r"E10[0-9]{6}",
    "district_council": r"E07[0-9]{6}",
    "unitary_council": r"E06[0-9]{6}",
    "integrated_care_board": r"E54[0-9]{6}",
}


def test_codes_have_valid_ods_and_gss_formats():
    checked = 0
    for org in records("organisations"):
        codes = org.get("codes", {})
        assert set(codes) <= {"ods", "gss"}, org["id"]
        if "ods" in codes:
            assert isinstance(codes["ods"], str), org["id"]
            assert re.fullmatch(r"[A-Z0-9]{3,6}", codes["ods"]), org["id"]
            assert re.fullmatch(ODS_BY_KIND[org["kind"]], codes["ods"]), org["id"]
            checked += 1
        if "gss" in codes:
            assert re.fullmatch(r"[EWSN][0-9]{8}", codes["gss"]), org["id"]
            assert re.fullmatch(GSS_BY_KIND[org["kind"]], codes["gss"]), org["id"]
            checked += 1
    for section, field in (("neighbourhoods", "district_gss"), ("partnerships", "area_gss")):
        for record in records(section):
            if field in record:
                assert re.fullmatch(r"E07[0-9]{6}", record[field]), record["id"]
                checked += 1
    ods = [o["codes"]["ods"] for o in records("organisations") if "ods" in o.get("codes", {})]
    assert len(ods) == len(set(ods)), "an ODS code names two organisations"
    assert checked >= 12


def test_renames_and_successors():
    lscft = org_named("Lancashire Care NHS Foundation Trust")
    assert lscft["codes"]["ods"] == "RW5"
    assert "successor" not in lscft, "a rename keeps the organisation and its code"
    history = {n["name"]: n for n in lscft["name_history"]}
    assert history["Lancashire Care NHS Foundation Trust"]["end_date"] == "2019-09-30"
    assert history["Lancashire & South Cumbria NHS Foundation Trust"]["start_date"] == "2019-10-01"

    orgs = by_id("organisations")
    hospital = org_named(ASSOCIATE_2019)
    assert hospital["closed_date"] == "2023-06-30"
    assert hospital["successor"]["date"] == "2023-07-01"
    assert orgs[hospital["successor"]["organisation"]]["codes"]["ods"] == "RBN"

    ccg = org_named("West Lancashire Clinical Commissioning Group")
    assert ccg["closed_date"] == "2022-06-30"
    assert ccg["successor"]["date"] == "2022-07-01"
    assert orgs[ccg["successor"]["organisation"]]["codes"]["ods"] == "QE1"


# --- dates and made-up numbers -------------------------------------------------------------------

ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
LOOKS_LIKE_A_DATE = re.compile(r"[0-9]{4}-[0-9]{2}(-[0-9]{2})?")


def walk(node, path=""):
    """Yield (path, key, value, mapping) for every key of every mapping, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield f"{path}.{key}", key, value, node
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from walk(item, f"{path}[{i}]")


def parse_iso(text: str) -> dt.date:
    parts = text.split("-")
    parts += ["01"] * (3 - len(parts))
    return dt.date.fromisoformat("-".join(parts))


def test_dates_are_iso_strings_in_date_fields_and_parse():
    count = 0
    for path, key, value, _ in walk(lancs()):
        assert not isinstance(value, dt.date), f"{path}: quote dates as ISO strings"
        if key.endswith("date"):
            assert isinstance(value, str), f"{path}: {value!r}"
            assert ISO_DATE.fullmatch(value), f"{path}: {value!r}"
            parse_iso(value)
            count += 1
        elif isinstance(value, str):
            assert not LOOKS_LIKE_A_DATE.fullmatch(value), f"{path}: a date outside a date field"
    for item_path, item in _list_strings(lancs()):
        assert not LOOKS_LIKE_A_DATE.fullmatch(item), f"{item_path}: a date in a list"
    assert count >= 25


def _list_strings(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _list_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, str):
                yield f"{path}[{i}]", item
            else:
                yield from _list_strings(item, f"{path}[{i}]")


# Numbers the reports give, and the only values they may take.
FACT_NUMBERS = {
    "schema_version": {1},
    "year": {2018, 2019, 2023},
    "population_min": {30_000},
    "population_max": {50_000},
    "phase": {1},
    "journey_years_min": {2},
    "journey_years_max": {3},
    "count": {1, 2},
    "start_year": {2019},
    "end_year": {2029},
}


def _numbers(node, illustrative=False, path="", key=None):
    if isinstance(node, dict):
        flag = node.get("illustrative")
        assert flag in (None, True), f"{path}: illustrative must be true when present"
        inside = illustrative or flag is True
        for k, value in node.items():
            yield from _numbers(value, inside, f"{path}.{k}", k)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _numbers(item, illustrative, f"{path}[{i}]", key)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, key, node, illustrative


def test_every_made_up_number_is_marked_illustrative():
    illustrative = 0
    for path, key, value, marked in _numbers(lancs()):
        if marked:
            illustrative += 1
        else:
            assert key in FACT_NUMBERS, f"{path} = {value} is not in the reports: mark it"
            assert value in FACT_NUMBERS[key], f"{path} = {value} is not the reports' figure"
    assert illustrative >= 6  # the three risks' likelihood and impact at least


def test_illustrative_risk_scores_and_readiness_levels():
    for risk in records("risks", DEAL_2023):
        scores = risk["scores"]
        assert scores["illustrative"] is True
        assert 1 <= scores["likelihood"] <= 5
        assert 1 <= scores["impact"] <= 5
    for assessment in records("readiness_assessments"):
        assert assessment["illustrative"] is True
        assert assessment["status"] == "draft"
        assert assessment["evidence"].startswith("Illustrative")
    for fund in records("pooled_funds"):
        for contribution in fund["contributions"]:
            assert contribution.get("illustrative") is True


# --- cross-references ----------------------------------------------------------------------------

REFERENCES = {
    "organisation": "organisations",
    "organisations": "organisations",
    "from_organisation": "organisations",
    "to_organisation": "organisations",
    "icb": "organisations",
    "councils": "organisations",
    "council": "organisations",
    "consultees": "organisations",
    "parties": "organisations",
    "partners": "organisations",
    "employer": "organisations",
    "delivered_with_or_for": "organisations",
    "place": "places",
    "places": "places",
    "locality": "localities",
    "neighbourhood": "neighbourhoods",
    "partnership": "partnerships",
    "from_partnership": "partnerships",
    "body": "bodies",
    "from_body": "bodies",
    "to_body": "bodies",
    "discharged_through_body": "bodies",
    "consultee_body": "bodies",
    "post": "posts",
    "to_post": "posts",
    "holder_post": "posts",
    "leader_post": "posts",
    "in_consultation_with_post": "posts",
    "function": "functions",
    "decision": "decisions",
    "decisions": "decisions",
    "agreement": "agreements",
    "strategies": "strategies",
    "deal": "deals",
    "service_area": "service_areas",
    "pooled_funds": "pooled_funds",
    "framework": "readiness_frameworks",
    "stories": "stories",
    "sources": "sources",
}


def test_cross_references_resolve():
    ids = {section: {r["id"] for r in lancs()[section]} for section in record_sections()}
    resolved = 0
    for section in record_sections():
        for record in lancs()[section]:
            for path, key, value, _ in walk(record, f"{section}.{record['id']}"):
                if key not in REFERENCES or key == "id":
                    continue
                if section == "sources" and key == "sources":
                    continue
                if section == "stories" and key == "stories":
                    continue
                targets = value if isinstance(value, list) else [value]
                for target in targets:
                    assert isinstance(target, str), f"{path}: {target!r}"
                    assert target in ids[REFERENCES[key]], f"{path}: no {target!r}"
                    resolved += 1
    assert resolved >= 300


def test_references_to_the_other_files_resolve():
    qe1 = yaml.safe_load((PACKAGE / "geography" / "definitions" / "QE1.yaml").read_text())
    geography = {p["code"] for p in qe1["places"]}
    geography |= {loc["code"] for p in qe1["places"] for loc in p.get("localities", [])}
    geography |= {n["code"] for n in qe1.get("neighbourhoods", [])}
    for section in ("places", "localities", "neighbourhoods"):
        for record in records(section):
            assert record["geography_code"] in geography, record["id"]
    icb = org_named("NHS Lancashire and South Cumbria Integrated Care Board")
    assert icb["codes"]["ods"] == qe1["icb"]

    allocation = yaml.safe_load((PACKAGE / "allocation" / "functions.yaml").read_text())
    for function in records("functions", DEAL_2023):
        assert function["allocation_function"] in allocation["functions"], function["id"]
    for method in deal()["money"]["methods_under_consideration"]:
        assert method["allocation_method"] in {"historic", "population", "need", "blend"}

    matrix = load("risk_matrix.yaml")
    categories = {c["id"] for c in matrix["categories"]}
    for risk in records("risks"):
        assert risk["category"] in categories, risk["id"]

    framework = load("readiness_framework.yaml")
    levels = {lv["id"] for lv in framework["levels"]}
    criteria = {c["id"] for c in framework["criteria"]}
    for fw in records("readiness_frameworks"):
        assert fw["stand_in"] == framework["id"]
        assert fw["published"] is False
    for assessment in records("readiness_assessments"):
        assert assessment["stand_in"] == framework["id"]
        assert set(assessment["criteria"]) == criteria, assessment["id"]
        assert set(assessment["criteria"].values()) <= levels
        assert assessment["overall_level"] in levels


# --- the readiness framework and the risk matrix -------------------------------------------------


def test_readiness_framework_levels_and_criteria():
    framework = load("readiness_framework.yaml")
    assert framework["example"] is True
    assert [lv["label"] for lv in sorted(framework["levels"], key=lambda lv: lv["rank"])] == [
        "Emerging",
        "Developing",
        "Core",
        "Advanced",
    ]
    levels = [lv["id"] for lv in framework["levels"]]
    assert all(lv["description"] for lv in framework["levels"])
    assert framework["minimum_level_to_delegate"] in levels
    criteria = {c["id"]: c for c in framework["criteria"]}
    for needed in (
        "governance",
        "leadership",
        "finance",
        "workforce",
        "data",
        "partnership_working",
        "clinical_care_professional_leadership",
    ):
        assert needed in criteria
    for criterion in criteria.values():
        assert list(criterion["levels"]) == levels, criterion["id"]
        assert all(isinstance(text, str) and text for text in criterion["levels"].values())


def test_risk_matrix_is_five_by_five_with_bands_covering_every_score():
    matrix = load("risk_matrix.yaml")
    assert [lv["label"] for lv in matrix["likelihood"]] == [
        "Rare",
        "Unlikely",
        "Possible",
        "Likely",
        "Almost certain",
    ]
    assert [lv["label"] for lv in matrix["impact"]] == [
        "Negligible",
        "Minor",
        "Moderate",
        "Major",
        "Catastrophic",
    ]
    assert [lv["score"] for lv in matrix["likelihood"]] == [1, 2, 3, 4, 5]
    assert [lv["score"] for lv in matrix["impact"]] == [1, 2, 3, 4, 5]
    assert matrix["scoring"] == "product"
    bands = {b["id"]: (b["min_score"], b["max_score"]) for b in matrix["bands"]}
    assert bands == {"low": (1, 3), "moderate": (4, 6), "high": (8, 12), "extreme": (15, 25)}
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            score = likelihood * impact
            hits = [b for b, (lo, hi) in bands.items() if lo <= score <= hi]
            assert len(hits) == 1, (likelihood, impact)


CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


def test_framework_and_matrix_codes_are_short_slugs():
    framework = load("readiness_framework.yaml")
    matrix = load("risk_matrix.yaml")
    codes = [lv["id"] for lv in framework["levels"]] + [c["id"] for c in framework["criteria"]]
    codes += [c["id"] for c in matrix["categories"]] + [a["id"] for a in matrix["appetite_levels"]]
    codes += [f["id"] for f in records("functions")]
    for code in codes:
        assert CODE.fullmatch(code), code


def test_risk_matrix_default_appetite_per_category():
    matrix = load("risk_matrix.yaml")
    appetites = {a["id"] for a in matrix["appetite_levels"]}
    categories = {c["id"]: c for c in matrix["categories"]}
    assert set(categories) == {
        "people",
        "finance",
        "variation",
        "quality_safety",
        "reputation",
        "compliance",
    }
    for category in categories.values():
        assert category["appetite"] in appetites
    ceilings = [a["max_score"] for a in matrix["appetite_levels"]]
    assert ceilings == sorted(ceilings)
