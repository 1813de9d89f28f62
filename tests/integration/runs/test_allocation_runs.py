"""Allocation runs on the database: recorded with their inputs, re-run to the same pennies, and any
difference reported."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from typer.testing import CliRunner

from placeworks.allocation import (
    Blend,
    Config,
    Convergence,
    Historic,
    Need,
    allocate,
    example_baseline,
    from_csv,
)
from placeworks.allocation.groupings import shipped
from placeworks.cli import app
from placeworks.web.runs.actions import record_run, rerun
from placeworks.web.runs.models import AllocationRun

pytestmark = pytest.mark.django_db
ENVELOPE = Decimal("3400000000.00")


def config(method, grouping="places", envelope=ENVELOPE, **extra) -> Config:
    return Config(
        icb="QE1",
        year="2025/26",
        grouping=grouping,
        function="core",
        method=method,
        envelope=envelope,
        **extra,
    )


@pytest.fixture(scope="module")
def need():
    return allocate(config(Need(), "localities", Decimal("123456789.01"), label="need"))


@pytest.fixture(scope="module")
def convergence():
    method = Convergence(
        years=3, uplift=Decimal("0.02"), floor=Decimal("-0.01"), cap=Decimal("0.05")
    )
    return allocate(config(method, "neighbourhoods"), baseline=example_baseline("QE1"))


@pytest.fixture(scope="module")
def csv_grouping(tmp_path_factory):
    """A user's grouping of QE1's practices into two halves, as a CSV file, and its Grouping."""
    places = shipped("QE1", "2025/26", "places")
    path = tmp_path_factory.mktemp("grouping") / "halves.csv"
    lines = ["practice_code,group"]
    lines += [f"{p},{'NORTH' if i % 2 else 'SOUTH'}" for i, p in enumerate(sorted(places.paths))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, from_csv(path, "QE1", "2025/26")


@pytest.fixture
def user():
    return get_user_model().objects.create_user("asmith", password="not-a-real-password-42")


def test_a_run_is_recorded_with_its_inputs(need, user):
    run = record_run(need, by="asmith", user=user)
    stored = AllocationRun.objects.get(pk=run.pk)
    assert stored.run_by == "asmith"
    assert stored.user == user
    assert stored.label == "need"
    assert stored.icb_code == "QE1"
    assert stored.engine == "reference"
    assert stored.inputs_hash == need.inputs_hash
    assert stored.config == need.config.model_dump(mode="json")
    assert stored.config["envelope"] == "123456789.01"
    assert stored.vintage == need.vintage
    assert stored.baseline is None
    assert stored.grouping is None  # a shipped grouping is made again from the geography
    assert stored.results == {row.group: str(row.amount) for row in need.rows}
    assert sum(Decimal(v) for v in stored.results.values()) == Decimal("123456789.01")
    assert stored.created_at is not None


def test_a_rerun_gives_the_same_pennies(need):
    run = record_run(need, by="asmith")
    again, allocation, differences = rerun(str(run.id))
    assert again == run
    assert differences == []
    assert allocation.amounts() == need.amounts()
    assert allocation.inputs_hash == need.inputs_hash


def test_a_rerun_on_another_engine_gives_the_same_pennies(need):
    run = record_run(need, by="asmith")
    _, allocation, differences = rerun(run.id, engine="duckdb")
    assert allocation.engine == "duckdb"
    assert differences == []


def test_a_tampered_result_is_a_difference(need):
    run = record_run(need, by="asmith")
    group = need.rows[0].group
    results = dict(run.results)
    results[group] = str(need.rows[0].amount + Decimal("0.01"))
    AllocationRun.objects.filter(pk=run.pk).update(results=results)
    _, _, differences = rerun(run.id)
    assert len(differences) == 1
    assert differences[0].startswith(f"{group}: recorded £")
    assert differences[0].endswith("(-£0.01)")


def test_missing_unknown_and_garbled_results_are_differences(need):
    run = record_run(need, by="asmith")
    first, second = need.rows[0].group, need.rows[1].group
    results = dict(run.results)
    del results[first]
    results[second] = "lots"
    results["QE1-NOWHERE"] = "1.00"
    AllocationRun.objects.filter(pk=run.pk).update(results=results)
    _, _, differences = rerun(run.id)
    assert [d.split(":")[0] for d in differences] == sorted([first, second, "QE1-NOWHERE"])
    assert any("not recorded" in d for d in differences)
    assert any("'lots' is not an amount" in d for d in differences)
    assert any("now not a group" in d for d in differences)


def test_a_changed_configuration_is_a_difference(need):
    run = record_run(need, by="asmith")
    stored = dict(run.config, envelope="123456789.02")
    AllocationRun.objects.filter(pk=run.pk).update(config=stored)
    _, allocation, differences = rerun(run.id)
    assert allocation.total == Decimal("123456789.02")
    assert differences[0].startswith("inputs hash: recorded")
    assert len(differences) == 2  # the hash, and the one group given the extra penny


def test_a_changed_data_vintage_is_a_difference(need):
    run = record_run(need, by="asmith")
    AllocationRun.objects.filter(pk=run.pk).update(vintage=dict(run.vintage, sha256="0" * 64))
    _, _, differences = rerun(run.id)
    assert differences == [f"data vintage: recorded {'0' * 64}, now {need.vintage['sha256']}"]


def test_a_baseline_is_stored_and_used_again(convergence):
    run = record_run(convergence, by="asmith")
    run.refresh_from_db()
    baseline = convergence.baseline
    assert run.baseline["illustrative"] is True
    assert run.baseline["source"] == baseline.source
    assert run.baseline["amounts"] == {k: str(v) for k, v in baseline.amounts.items()}
    _, allocation, differences = rerun(run.id)
    assert differences == []
    assert allocation.path == convergence.path
    assert allocation.baseline.illustrative


def test_a_changed_baseline_is_a_difference():
    baseline = example_baseline("QE1")
    result = allocate(
        config(Blend(historic=Decimal("0.5"), need=Decimal("0.5"))), baseline=baseline
    )
    run = record_run(result, by="asmith")
    stored = dict(run.baseline)
    code = sorted(stored["amounts"])[0]
    stored["amounts"] = dict(stored["amounts"], **{code: "1.00"})
    AllocationRun.objects.filter(pk=run.pk).update(baseline=stored)
    _, _, differences = rerun(run.id)
    assert differences[0].startswith("inputs hash")
    assert len(differences) > 1


def test_a_csv_grouping_is_re_run_without_its_file(csv_grouping, tmp_path):
    path, grouping = csv_grouping
    copy = tmp_path / "halves.csv"
    copy.write_bytes(path.read_bytes())
    result = allocate(config(Need(), str(copy)), grouping=from_csv(copy, "QE1", "2025/26"))
    run = record_run(result, by="asmith")
    copy.unlink()
    run.refresh_from_db()
    assert run.grouping["levels"] == ["group"]
    assert run.grouping["paths"] == {p: list(path) for p, path in grouping.paths.items()}
    _, allocation, differences = rerun(run.id)
    assert differences == []
    assert sorted(allocation.amounts()) == ["NORTH", "SOUTH"]


def test_a_csv_grouping_is_read_again_when_not_given(csv_grouping):
    path, _ = csv_grouping
    result = allocate(config(Need(), str(path)))
    run = record_run(result, by="asmith")
    assert len(run.grouping["paths"]) == len(csv_grouping[1].paths)


def test_recording_refuses_a_grouping_the_allocation_did_not_use(csv_grouping):
    path, grouping = csv_grouping
    result = allocate(config(Need(), str(path)), grouping=grouping)
    other = from_csv(path, "QE1", "2025/26", text=_swap_two(path.read_text(encoding="utf-8")))
    with pytest.raises(ValueError, match="not the one this allocation was computed with"):
        record_run(result, by="asmith", grouping=other)
    assert AllocationRun.objects.count() == 0


def _swap_two(text: str) -> str:
    lines = text.splitlines()
    for i, line in enumerate(lines[1:], start=1):
        if line.endswith(",NORTH"):
            lines[i] = line.replace(",NORTH", ",SOUTH")
            break
    return "\n".join(lines) + "\n"


def test_a_run_must_name_who_ran_it(need):
    with pytest.raises(ValueError, match="name who ran it"):
        record_run(need, by="  ")
    assert AllocationRun.objects.count() == 0


def test_rerun_of_an_unknown_run():
    with pytest.raises(AllocationRun.DoesNotExist):
        rerun("00000000-0000-0000-0000-000000000000")


def test_deleting_the_user_keeps_the_run(need, user):
    run = record_run(need, by="asmith", user=user)
    user.delete()
    run.refresh_from_db()
    assert run.user is None
    assert run.run_by == "asmith"


@pytest.mark.parametrize(
    ("field", "value"),
    [("inputs_hash", "not-a-hash"), ("inputs_hash", "A" * 64), ("run_by", ""), ("icb_code", "E1")],
)
def test_constraints(need, field, value):
    values = {
        "run_by": "asmith",
        "icb_code": "QE1",
        "engine": "reference",
        "inputs_hash": need.inputs_hash,
        "config": {},
        "vintage": {},
        "results": {},
    }
    values[field] = value
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationRun.objects.create(**values)


def test_historic_run_round_trip_through_the_json_columns():
    baseline = example_baseline("QE1")
    result = allocate(config(Historic(), "pcns", Decimal("1000000.07")), baseline=baseline)
    run = record_run(result, by="asmith")
    _, allocation, differences = rerun(run.id)
    assert differences == []
    assert allocation.total == Decimal("1000000.07")


# --- the command line, recording for real ------------------------------------------------------

runner = CliRunner()


def test_the_command_records_a_run_that_re_runs_to_the_same_pennies():
    result = runner.invoke(
        app,
        ["allocate", "--icb", "QE1", "--grouping", "localities", "--envelope", "1000000.01",
         "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    (run_id,) = re.findall(r"recorded run ([0-9a-f-]{36})", result.stderr)
    run = AllocationRun.objects.get(pk=run_id)
    assert run.run_by
    assert run.engine == "duckdb"
    csv_amounts = {
        line.split(",")[0]: line.split(",")[1] for line in result.stdout.splitlines()[1:]
    }
    assert run.results == csv_amounts

    again = runner.invoke(app, ["allocate", "rerun", run_id])
    assert again.exit_code == 0, again.stderr
    assert "the same pennies" in again.stdout

    group = sorted(run.results)[0]
    AllocationRun.objects.filter(pk=run_id).update(results=dict(run.results, **{group: "0.00"}))
    tampered = runner.invoke(app, ["allocate", "rerun", run_id, "--engine", "reference"])
    assert tampered.exit_code == 1
    assert "differs" in tampered.stdout
    assert f"{group}: recorded £0.00" in tampered.stdout


def test_the_command_records_each_scenario_of_a_comparison(tmp_path):
    result = runner.invoke(
        app,
        ["allocate", "compare", "--icb", "QE1", "--envelope", "5000000", "--scenario",
         "method=historic", "--scenario", "method=need", "--format", "xlsx", "--output",
         str(tmp_path / "compare.xlsx")],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    ids = re.findall(r"recorded run ([0-9a-f-]{36})", result.stderr)
    runs = [AllocationRun.objects.get(pk=i) for i in ids]
    assert [r.config["method"]["method"] for r in runs] == ["historic", "need"]
    assert runs[0].baseline["illustrative"] is True
    assert runs[1].baseline is None


def test_rerun_of_an_unknown_run_on_the_command_line():
    result = runner.invoke(app, ["allocate", "rerun", "00000000-0000-0000-0000-000000000000"])
    assert result.exit_code == 1
    assert "no run 00000000-0000-0000-0000-000000000000 is recorded" in result.stderr


def test_the_admin_shows_runs_read_only(client, need):
    admin = get_user_model().objects.create_superuser("boss", password="not-a-real-password-42")
    client.force_login(admin)
    run = record_run(need, by="asmith")
    listing = client.get("/admin/runs/allocationrun/")
    assert listing.status_code == 200
    assert str(run.id) in listing.content.decode()
    detail = client.get(f"/admin/runs/allocationrun/{run.id}/change/")
    assert detail.status_code == 200
    assert need.inputs_hash in detail.content.decode()
    assert client.get("/admin/runs/allocationrun/add/").status_code == 403
    assert client.post(f"/admin/runs/allocationrun/{run.id}/delete/").status_code == 403
    assert AllocationRun.objects.filter(pk=run.pk).exists()
