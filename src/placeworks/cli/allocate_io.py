"""Reading `placeworks allocate` options and writing its results."""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib.util import find_spec
from pathlib import Path

from rich.console import Console
from rich.table import Table

from placeworks.cli.allocate_options import (
    CSV_COLUMNS,
    METHOD_KEYS,
    SCENARIO_KEYS,
    AllocateFormat,
    EngineName,
)
from placeworks.cli.common import _fail, _out, err
from placeworks.data import DataError


def _check_output(fmt: AllocateFormat, output: Path | None) -> None:
    if fmt is AllocateFormat.xlsx and output is None:
        raise _fail("--format xlsx needs --output FILE.xlsx")


def _scenario_spec(text: str) -> dict[str, str]:
    spec: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep or not value:
            raise _fail(f"--scenario {text!r}: {part!r} should be key=value")
        if key not in SCENARIO_KEYS:
            raise _fail(f"--scenario {text!r}: unknown key {key!r}; use {', '.join(SCENARIO_KEYS)}")
        if key in spec:
            raise _fail(f"--scenario {text!r}: {key} is given twice")
        spec[key] = value
    if "method" not in spec:
        raise _fail(f"--scenario {text!r}: method= is required (e.g. method=need)")
    return spec


def _config(icb, year, grouping, function, envelope, spec, level, small_numbers, label, names):
    """A validated Config, or a one-line error naming the option at fault."""
    from pydantic import ValidationError

    from placeworks.allocation import Config
    from placeworks.allocation import function as get_function

    if icb is None:
        raise _fail("--icb is required (an ICB ODS code such as QE1)")
    if envelope is None:
        raise _fail("--envelope is required (the budget to share, in pounds)")
    get_function(function)  # KeyError naming the functions there are
    method = _method(dict(spec), names)
    try:
        return Config(
            icb=icb.strip().upper(),
            year=year.strip(),
            grouping=grouping,
            function=function,
            method=method,
            envelope=_pounds(envelope),
            level=level,
            small_numbers=small_numbers,
            label=label,
        )
    except ValidationError as exc:
        raise _fail(_validation_message(exc)) from None


def _method(spec: dict[str, str], names: dict[str, str]):
    from pydantic import ValidationError

    from placeworks.allocation import Blend, Convergence, Historic, Need, Population

    method = spec.pop("method").strip().lower()
    if method not in METHOD_KEYS:
        raise _fail(f"unknown method {method!r}; choose from {', '.join(METHOD_KEYS)}")
    if method == "blend" and "population" not in spec:
        spec.pop("basis", None)  # the basis only matters for the population part
    extra = [key for key in spec if key not in METHOD_KEYS[method]]
    if extra:
        if set(extra) <= {"basis"}:
            spec.pop("basis")
        else:
            given = ", ".join(names.get(key, key) for key in extra)
            raise _fail(f"{given} does not apply to the {method} method")
    if method == "convergence":
        missing = [names.get(k, k) for k in METHOD_KEYS[method] if k not in spec]
        if missing:
            raise _fail(f"the convergence method needs {', '.join(missing)}")
    if method == "blend" and not any(k in spec for k in ("historic", "population", "need")):
        raise _fail(
            "the blend method needs weights: "
            + ", ".join(names.get(k, k) for k in ("historic", "population", "need"))
        )
    values: dict[str, object] = {}
    for key, value in spec.items():
        if key == "basis":
            if value not in ("registered", "resident"):
                raise _fail(f"{names.get(key, key)}: {value!r} is not registered or resident")
            values[key] = value
        elif key == "years":
            if not value.strip().lstrip("-").isdigit():
                raise _fail(f"{names.get(key, key)}: {value!r} is not a whole number of years")
            values[key] = int(value)
        else:
            values[key] = _number(value, names.get(key, key))
    cls = {
        "need": Need,
        "population": Population,
        "historic": Historic,
        "blend": Blend,
        "convergence": Convergence,
    }[method]
    try:
        return cls(**values)
    except ValidationError as exc:
        raise _fail(_validation_message(exc, names)) from None


def _number(text: str, name: str) -> Decimal:
    """A proportion: 0.02 or 2%."""
    value = text.strip()
    percent = value.endswith("%")
    try:
        number = Decimal(value.rstrip("%").strip())
    except InvalidOperation:
        raise _fail(f"{name}: {text!r} is not a number") from None
    if not number.is_finite():
        raise _fail(f"{name}: {text!r} is not a number")
    return number / 100 if percent else number


def _pounds(text: str) -> Decimal:
    value = text.strip().replace(",", "").replace("£", "").replace("_", "")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise _fail(f"--envelope: {text!r} is not an amount in pounds") from None
    if not amount.is_finite() or amount <= 0:
        raise _fail(f"--envelope: {text!r} must be more than zero pounds")
    if amount != amount.quantize(Decimal("0.01")):
        raise _fail(f"--envelope: {text!r} has fractions of a penny")
    return amount.quantize(Decimal("0.01"))


def _validation_message(exc, names: dict[str, str] | None = None) -> str:
    names = names or {}
    special = {
        "icb": "--icb must be an ICB ODS code such as QE1",
        "year": "--year must be a financial year such as 2025/26",
    }
    parts = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        message = error["msg"].removeprefix("Value error, ")
        if field in special and error["type"] == "string_pattern_mismatch":
            parts.append(special[field])
        elif field:
            parts.append(f"{names.get(field, '--' + field.replace('_', '-'))}: {message}")
        else:
            parts.append(message)
    return "; ".join(parts)


def _grouping(name: str, icb: str, year: str):
    from placeworks.allocation import resolve

    return resolve(name, icb, year)


def _needs_baseline(config) -> bool:
    from placeworks.allocation import Blend, Convergence, Historic

    method = config.method
    return isinstance(method, Historic | Convergence) or (
        isinstance(method, Blend) and bool(method.historic)
    )


def _baselines(configs, path: Path | None) -> list:
    """Each config's baseline: the file given, or the ICB's illustrative example; None for
    methods that use none."""
    from placeworks.allocation import example_baseline, read_baseline

    needed = [_needs_baseline(c) for c in configs]
    if not any(needed):
        if path is not None:
            methods = ", ".join(sorted({c.method.method for c in configs}))
            _warn([f"--baseline is not used by the {methods} method"])
        return [None] * len(configs)
    icb = configs[0].icb
    if path is not None:
        baseline = read_baseline(path)
        if baseline.illustrative:
            err.print(f"[bold yellow]ILLUSTRATIVE:[/] {baseline.source} says it is illustrative")
    else:
        baseline = example_baseline(icb)
        if baseline is None:
            raise _fail(
                "the historic, blend and convergence methods need a baseline: give --baseline"
                " FILE (.csv or .xlsx with columns footprint,name,amount)"
            )
        err.print(
            f"[bold yellow]ILLUSTRATIVE BASELINE:[/] no --baseline given, so the historic amounts"
            f" are placeworks' made-up example for {icb} ({baseline.source}, total"
            f" £{baseline.total:,}), not real spend. Give --baseline FILE for real figures.",
            highlight=False,
            soft_wrap=True,
        )
    return [baseline if need else None for need in needed]


@contextmanager
def _engine_totals(engine: EngineName):
    from placeworks.allocation import Totals

    if engine is EngineName.reference:
        yield Totals()
        return
    if find_spec("placeworks.engine") is None:
        raise _fail(f"the {engine} engine is not available here; use --engine reference")
    from placeworks.engine import EngineUnavailable, connect

    try:
        connection = connect(engine.value)
    except (EngineUnavailable, ImportError) as exc:
        raise _fail(str(exc)) from exc
    with connection:
        yield Totals(connection)


@contextmanager
def _allocation_errors():
    """Bad input becomes a one-line error and exit code 1, never a traceback."""
    from placeworks.allocation import AllocationError
    from placeworks.allocation.convergence import ConvergenceInfeasible

    try:
        yield
    except ConvergenceInfeasible as exc:
        raise _fail(f"convergence is infeasible: {exc}") from None
    except (AllocationError, DataError) as exc:
        raise _fail(str(exc)) from None
    except KeyError as exc:
        raise _fail(exc.args[0] if exc.args else str(exc)) from None
    except ValueError as exc:
        raise _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None


# --- allocate: recording ------------------------------------------------------------------------


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no user name in the environment or the password database
        return "unknown"


def _django() -> None:
    """Set up Django (SQLite under ./var unless DATABASE_URL says otherwise), migrating quietly
    if the database is behind."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.web.settings")
    import django
    from django.apps import apps
    from django.core.management import call_command
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    if not apps.ready:
        django.setup()
    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise _fail(f"cannot open the database to record runs: {exc}") from None


def _record(allocations, grouping) -> list:
    """Record each allocation as a run; print the run ids on standard error."""
    _django()
    from django.db import DatabaseError

    from placeworks.web.runs.actions import record_run

    by = _os_user()
    try:
        runs = [record_run(a, by=by, grouping=grouping) for a in allocations]
    except DatabaseError as exc:
        raise _fail(f"cannot record the run: {exc}") from None
    for run in runs:
        err.print(
            f"recorded run {run.id} (re-run: placeworks allocate rerun {run.id})",
            highlight=False,
            soft_wrap=True,
        )
    return runs


# --- allocate: outputs --------------------------------------------------------------------------


def _warn(warnings) -> None:
    for warning in warnings:
        err.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc}") from None
    err.print(f"wrote {output}", highlight=False)


def _emit_table(renderable, output: Path | None) -> None:
    if output is None:
        _out().print(renderable)
        return
    console = Console(file=io.StringIO(), width=160, no_color=True)
    console.print(renderable)
    _emit(console.file.getvalue(), output)


def _write_xlsx(source, output: Path, runs) -> None:
    from placeworks.allocation.excel import write_workbook

    try:
        write_workbook(
            source,
            output,
            run_by=runs[0].run_by if runs else _os_user(),
            run_at=runs[0].created_at if runs else None,
            run_ids=[str(run.id) for run in runs],
        )
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc}") from None
    err.print(f"wrote {output}", highlight=False)


def _share(value) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.000001"), ROUND_HALF_UP))


def _parents(parents: dict[str, str]) -> str:
    return ";".join(f"{level}={code}" for level, code in parents.items())


def _allocation_csv(allocation) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in allocation.rows:
        writer.writerow(
            [
                r.group,
                f"{r.amount:.2f}",
                r.name,
                _parents(r.parents),
                r.practices,
                r.registered_population,
                "" if r.resident_population is None else r.resident_population,
                r.weighted_population,
                r.index_icb,
                r.index_england,
                _share(r.share),
                f"{r.per_head:.2f}",
                f"{r.target:.2f}",
                "" if r.distance_from_target is None else r.distance_from_target,
                "true" if r.small_numbers else "false",
            ]
        )
    return buffer.getvalue()


def _allocation_json(allocation, run) -> dict:
    baseline = allocation.baseline
    return {
        "run_id": str(run.id),
        "run_by": run.run_by,
        "recorded_at": run.created_at.isoformat(),
        "config": allocation.config.model_dump(mode="json"),
        "engine": allocation.engine,
        "inputs_hash": allocation.inputs_hash,
        "vintage": allocation.vintage,
        "baseline": None
        if baseline is None
        else {
            "source": baseline.source,
            "illustrative": baseline.illustrative,
            "total": str(baseline.total),
        },
        "total": str(allocation.total),
        "rows": [
            {
                "group": r.group,
                "name": r.name,
                "parents": r.parents,
                "practices": r.practices,
                "registered_population": str(r.registered_population),
                "resident_population": r.resident_population,
                "weighted_population": str(r.weighted_population),
                "index_icb": str(r.index_icb),
                "index_england": str(r.index_england),
                "share": _share(r.share),
                "amount": str(r.amount),
                "per_head": str(r.per_head),
                "target": str(r.target),
                "distance_from_target_pct": None
                if r.distance_from_target is None
                else str(r.distance_from_target),
                "small_numbers": r.small_numbers,
            }
            for r in allocation.rows
        ],
        "warnings": list(allocation.warnings),
        "path": [
            {
                "year": year,
                "envelope": str(envelope),
                "amounts": {group: str(amount) for group, amount in amounts.items()},
            }
            for year, (envelope, amounts) in enumerate(allocation.path, start=1)
        ],
    }


def _describe(config: dict) -> str:
    method = config.get("method", {}).get("method", "?")
    return (
        f"{config.get('function')} {config.get('icb')} {config.get('year')} by"
        f" {config.get('grouping')}, {method}"
    )


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _allocation_table(allocation):
    from rich.console import Group
    from rich.text import Text

    from placeworks.allocation import function
    from placeworks.allocation.excel import method_name

    config = allocation.config
    fn = function(config.function)
    table = Table(
        title=f"{fn.title} {config.year}, {config.icb} by {config.grouping}: {method_name(config)}",
        title_justify="left",
        box=None,
    )
    table.add_column("group", no_wrap=True)
    table.add_column("name", max_width=40, overflow="ellipsis", no_wrap=True)
    for label in ("practices", "registered", "weighted", "index ICB", "index Eng", "share"):
        table.add_column(label, justify="right", no_wrap=True)
    for label in ("amount £", "£ per head", "vs target"):
        table.add_column(label, justify="right", no_wrap=True)
    for r in allocation.rows:
        distance = "" if r.distance_from_target is None else f"{r.distance_from_target:+.2f}%"
        table.add_row(
            r.group + (" *" if r.small_numbers else ""),
            r.name,
            str(r.practices),
            f"{r.registered_population:,.0f}",
            f"{r.weighted_population:,.0f}",
            f"{r.index_icb:.3f}",
            f"{r.index_england:.3f}",
            f"{float(r.share):.2%}",
            _money(r.amount),
            _money(r.per_head),
            distance,
        )
    lines = [
        f"total £{_money(allocation.total)} of an envelope of £{_money(config.envelope)};"
        f" engine {allocation.engine}; data {allocation.vintage['table']}"
        f" sha256 {allocation.vintage['sha256'][:12]}",
    ]
    if any(r.small_numbers for r in allocation.rows):
        lines.append(
            f"* fewer than {config.small_numbers:,} registered patients: the index may be unstable"
        )
    if allocation.baseline is not None and allocation.baseline.illustrative:
        lines.append(f"ILLUSTRATIVE baseline ({allocation.baseline.source}): not real spend")
    if allocation.path:
        lines.append(
            "convergence path (envelope by year): "
            + ", ".join(f"year {n} £{_money(env)}" for n, (env, _) in enumerate(allocation.path, 1))
        )
    return Group(table, *(Text(line) for line in lines))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "scenario"


def _comparison_csv(comparison, names: list[str]) -> str:
    slugs = [_slug(name) for name in names]
    if len(set(slugs)) != len(slugs):
        slugs = [f"{n}_{slug}" for n, slug in enumerate(slugs, start=1)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["group", "name", *(f"amount_{slug}" for slug in slugs)]
    for slug in slugs[1:]:
        header += [f"change_{slug}", f"change_pct_{slug}"]
    writer.writerow(header)
    for r in comparison.rows:
        row = [r.group, r.name, *(f"{a:.2f}" for a in r.amounts)]
        for change, percent in zip(r.change[1:], r.change_percent[1:], strict=True):
            row += [f"{change:.2f}", "" if percent is None else percent]
        writer.writerow(row)
    return buffer.getvalue()


def _comparison_json(comparison, names: list[str], runs) -> dict:
    return {
        "scenarios": [
            {
                "name": name,
                "run_id": str(run.id),
                "config": a.config.model_dump(mode="json"),
                "engine": a.engine,
                "inputs_hash": a.inputs_hash,
                "vintage": a.vintage,
                "baseline": None
                if a.baseline is None
                else {"source": a.baseline.source, "illustrative": a.baseline.illustrative},
                "total": str(a.total),
                "warnings": list(a.warnings),
            }
            for name, a, run in zip(names, comparison.scenarios, runs, strict=True)
        ],
        "base": names[0],
        "rows": [
            {
                "group": r.group,
                "name": r.name,
                "amounts": {n: str(a) for n, a in zip(names, r.amounts, strict=True)},
                "change": {n: str(c) for n, c in zip(names[1:], r.change[1:], strict=True)},
                "change_percent": {
                    n: None if p is None else str(p)
                    for n, p in zip(names[1:], r.change_percent[1:], strict=True)
                },
            }
            for r in comparison.rows
        ],
        "gainers": {
            names[s]: [c.group for c in comparison.gainers(s)] for s in range(1, len(names))
        },
        "losers": {names[s]: [c.group for c in comparison.losers(s)] for s in range(1, len(names))},
    }


def _comparison_table(comparison, names: list[str]):
    from rich.console import Group
    from rich.text import Text

    first = comparison.scenarios[0].config
    table = Table(
        title=f"Scenarios compared, {first.icb} {first.year} by {first.grouping}"
        f" (changes against {names[0]})",
        title_justify="left",
        box=None,
    )
    table.add_column("group", no_wrap=True)
    table.add_column("name", max_width=32, overflow="ellipsis", no_wrap=True)
    for name in names:
        table.add_column(f"{name} £", justify="right")
    for name in names[1:]:
        table.add_column(f"change £ {name}", justify="right")
        table.add_column("%", justify="right", no_wrap=True)
    for r in comparison.rows:
        cells = [r.group, r.name, *(_money(a) for a in r.amounts)]
        for change, percent in zip(r.change[1:], r.change_percent[1:], strict=True):
            colour = "green" if change > 0 else "red" if change < 0 else ""
            cells.append(Text(f"{change:+,.2f}", style=colour))
            cells.append(Text("" if percent is None else f"{percent:+.2f}%", style=colour))
        table.add_row(*cells)
    parts: list = [table]
    for s in range(1, len(names)):
        for label, changes, colour in (
            ("gainers", comparison.gainers(s), "green"),
            ("losers", comparison.losers(s), "red"),
        ):
            listed = ", ".join(
                f"{c.name} {c.change[s]:+,.2f}"
                + ("" if c.change_percent[s] is None else f" ({c.change_percent[s]:+.2f}%)")
                for c in changes
            )
            parts.append(
                Text.assemble(
                    (f"{label} under {names[s]} against {names[0]}: ", f"bold {colour}"),
                    listed or "none",
                )
            )
    return Group(*parts)
