"""Writes and re-runs of allocation runs. Each write is atomic and names who acted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from placeworks.allocation import (
    SHIPPED_GROUPINGS,
    Allocation,
    Baseline,
    Config,
    Grouping,
    Totals,
    allocate,
    resolve,
)
from placeworks.allocation.allocate import inputs_hash
from placeworks.web.runs.models import AllocationRun


def record_run(
    allocation: Allocation,
    *,
    by: str,
    user: AbstractBaseUser | None = None,
    grouping: Grouping | None = None,
) -> AllocationRun:
    """Store ``allocation`` with everything needed to compute it again.

    ``by`` names who ran it (a user name, or the operating system user for the command line);
    ``user`` is the signed-in user, if any. For a user's CSV grouping, pass the ``grouping`` the
    allocation was computed with (without it the CSV is read again from the path in the config);
    its practices' paths are stored, so the run can be re-run without the file. Raises
    ``ValueError`` if ``by`` is empty or the grouping is not the one the allocation used.
    """
    if not by or not by.strip():
        raise ValueError("a run must name who ran it")
    config = allocation.config
    stored_grouping = None
    if config.grouping not in SHIPPED_GROUPINGS:
        grouping = grouping or resolve(config.grouping, config.icb, config.year)
        if inputs_hash(config, grouping, allocation.baseline) != allocation.inputs_hash:
            raise ValueError(
                f"the grouping {grouping.name} is not the one this allocation was computed with"
            )
        stored_grouping = {
            "name": grouping.name,
            "levels": list(grouping.levels),
            "paths": {practice: list(path) for practice, path in sorted(grouping.paths.items())},
            "names": dict(sorted(grouping.names.items())),
            "resident": dict(sorted(grouping.resident.items())),
        }
    with transaction.atomic():
        return AllocationRun.objects.create(
            run_by=by.strip()[:150],
            user=user,
            label=config.label or "",
            icb_code=config.icb,
            engine=allocation.engine,
            inputs_hash=allocation.inputs_hash,
            config=config.model_dump(mode="json"),
            grouping=stored_grouping,
            baseline=_baseline_json(allocation.baseline),
            vintage=allocation.vintage,
            results={row.group: str(row.amount) for row in allocation.rows},
        )


def rerun(
    run_id: uuid.UUID | str, *, engine: str | None = None
) -> tuple[AllocationRun, Allocation, list[str]]:
    """Compute a stored run again from its stored inputs (on its engine, or ``engine``).

    Returns the run, the new allocation and the differences from what was recorded, one line
    each: an empty list means the same inputs, the same data and the same pennies. Raises
    ``AllocationRun.DoesNotExist`` for an unknown run.
    """
    run = AllocationRun.objects.get(pk=run_id)
    config = Config.model_validate(run.config)
    grouping = _grouping(run.grouping, config)
    baseline = _baseline(run.baseline)
    with _totals(engine or run.engine) as totals:
        allocation = allocate(config, totals=totals, grouping=grouping, baseline=baseline)
    return run, allocation, differences(run, allocation)


def differences(run: AllocationRun, allocation: Allocation) -> list[str]:
    """What differs between a stored run and an allocation, one line each (empty: nothing)."""
    found = []
    if run.inputs_hash != allocation.inputs_hash:
        found.append(
            f"inputs hash: recorded {run.inputs_hash}, now {allocation.inputs_hash}"
            " (the configuration, grouping, baseline or data differ)"
        )
    if run.vintage != allocation.vintage:
        found.append(
            f"data vintage: recorded {run.vintage.get('sha256')}, now"
            f" {allocation.vintage.get('sha256')}"
        )
    now = allocation.amounts()
    for group in sorted(set(run.results) | set(now)):
        if group not in now:
            found.append(f"{group}: recorded {run.results[group]}, now not a group")
            continue
        if group not in run.results:
            found.append(f"{group}: not recorded, now £{now[group]:,}")
            continue
        recorded = run.results[group]
        try:
            amount = Decimal(str(recorded))
        except InvalidOperation:
            found.append(f"{group}: recorded {recorded!r} is not an amount, now £{now[group]:,}")
            continue
        if amount != now[group]:
            change = now[group] - amount
            found.append(
                f"{group}: recorded £{amount:,}, now £{now[group]:,}"
                f" ({'+' if change > 0 else '-'}£{abs(change):,})"
            )
    return found


def _baseline_json(baseline: Baseline | None) -> dict | None:
    if baseline is None:
        return None
    return {
        "amounts": {code: str(amount) for code, amount in sorted(baseline.amounts.items())},
        "names": dict(sorted(baseline.names.items())),
        "source": baseline.source,
        "illustrative": baseline.illustrative,
    }


def _baseline(data: dict | None) -> Baseline | None:
    if data is None:
        return None
    return Baseline(
        amounts={code: Decimal(amount) for code, amount in data["amounts"].items()},
        names=dict(data.get("names", {})),
        source=data["source"],
        illustrative=bool(data.get("illustrative", False)),
    )


def _grouping(data: dict | None, config: Config) -> Grouping | None:
    """A stored CSV grouping; None for a shipped one (``allocate`` makes it again)."""
    if data is None:
        return None
    return Grouping(
        name=data["name"],
        icb=config.icb,
        year=config.year,
        levels=tuple(data["levels"]),
        paths={practice: tuple(path) for practice, path in data["paths"].items()},
        names=dict(data.get("names", {})),
        resident=dict(data.get("resident", {})),
    )


@contextmanager
def _totals(engine: str) -> Iterator[Totals]:
    """Group totals on ``engine``: "reference" (plain Python) or a placeworks.engine backend."""
    if engine == "reference":
        yield Totals()
        return
    from placeworks.engine import connect

    with connect(engine) as connection:
        yield Totals(connection)
