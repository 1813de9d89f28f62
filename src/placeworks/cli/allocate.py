"""`placeworks allocate`: allocations, scenarios, indices and re-runs."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

import typer
from rich.table import Table

from placeworks.cli.allocate_io import (
    _allocation_csv,
    _allocation_errors,
    _allocation_json,
    _allocation_table,
    _baselines,
    _check_output,
    _comparison_csv,
    _comparison_json,
    _comparison_table,
    _config,
    _describe,
    _django,
    _emit,
    _emit_table,
    _engine_totals,
    _grouping,
    _record,
    _scenario_spec,
    _warn,
    _write_xlsx,
)
from placeworks.cli.allocate_options import (
    DEFAULT_ENGINE,
    INDEX_HEADINGS,
    OPTION_NAMES,
    SCENARIO_KEYS,
    Against,
    AllocateFormat,
    BaselineOption,
    BasisOption,
    EngineName,
    EngineOption,
    Envelope,
    FormatOption,
    FunctionOption,
    GroupingOption,
    Icb,
    Level,
    MethodName,
    Output,
    SmallNumbers,
    Year,
)
from placeworks.cli.common import Format, _fail

allocate_app = typer.Typer(
    help="Share a delegated function's budget between the places, localities, neighbourhoods or"
    " PCNs of an ICB, compare scenarios, and show NHS England's indices. Every allocation is"
    " recorded and can be re-run to the penny.",
    no_args_is_help=True,
)


@allocate_app.callback(invoke_without_command=True)
def allocate_command(
    ctx: typer.Context,
    icb: Icb = None,
    year: Year = "2025/26",
    grouping: GroupingOption = "places",
    function: FunctionOption = "core",
    method: Annotated[MethodName, typer.Option(help="Allocation method.")] = MethodName.need,
    envelope: Envelope = None,
    basis: BasisOption = None,
    baseline: BaselineOption = None,
    historic_weight: Annotated[
        str | None,
        typer.Option(help="Blend: weight of the historic shares (0 to 1).", show_default=False),
    ] = None,
    population_weight: Annotated[
        str | None,
        typer.Option(help="Blend: weight of the population shares (0 to 1).", show_default=False),
    ] = None,
    need_weight: Annotated[
        str | None,
        typer.Option(help="Blend: weight of the need shares (0 to 1).", show_default=False),
    ] = None,
    years: Annotated[
        int | None, typer.Option(help="Convergence: years on the path.", show_default=False)
    ] = None,
    uplift: Annotated[
        str | None,
        typer.Option(
            help="Convergence: growth of the envelope each year, e.g. 0.02 or 2%.",
            show_default=False,
        ),
    ] = None,
    floor: Annotated[
        str | None,
        typer.Option(
            help="Convergence: least growth of any group each year, e.g. 0.01 or 1%.",
            show_default=False,
        ),
    ] = None,
    cap: Annotated[
        str | None,
        typer.Option(
            help="Convergence: most growth of any group each year, e.g. 0.05 or 5%.",
            show_default=False,
        ),
    ] = None,
    level: Level = None,
    small_numbers: SmallNumbers = 10_000,
    label: Annotated[str | None, typer.Option(help="A name for this run.")] = None,
    fmt: FormatOption = AllocateFormat.table,
    output: Output = None,
    engine: EngineOption = DEFAULT_ENGINE,
) -> None:
    """Allocate an envelope between the groups of an ICB's practices, and record the run.

    Example: placeworks allocate --icb QE1 --grouping places --function core --method need
    --envelope 3400000000 --format csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from placeworks.allocation import allocate

    _check_output(fmt, output)
    spec = {
        "method": method.value,
        "basis": basis.value if basis else None,
        "historic": historic_weight,
        "population": population_weight,
        "need": need_weight,
        "years": None if years is None else str(years),
        "uplift": uplift,
        "floor": floor,
        "cap": cap,
    }
    spec = {key: value for key, value in spec.items() if value is not None}
    with _allocation_errors():
        config = _config(
            icb, year, grouping, function, envelope, spec, level, small_numbers, label, OPTION_NAMES
        )
        groups = _grouping(grouping, config.icb, config.year)
        baselines = _baselines([config], baseline)
        with _engine_totals(engine) as totals:
            allocation = allocate(config, totals=totals, grouping=groups, baseline=baselines[0])
    (run,) = _record([allocation], groups)
    _warn(allocation.warnings)
    if fmt is AllocateFormat.xlsx:
        _write_xlsx(allocation, output, [run])
    elif fmt is AllocateFormat.csv:
        _emit(_allocation_csv(allocation), output)
    elif fmt is AllocateFormat.json:
        _emit(json.dumps(_allocation_json(allocation, run), indent=2) + "\n", output)
    else:
        _emit_table(_allocation_table(allocation), output)


@allocate_app.command("compare")
def allocate_compare(
    scenario: Annotated[
        list[str],
        typer.Option(
            help='A scenario, e.g. "method=blend,historic=0.5,need=0.5"; give two or more (the'
            " first is the base). Keys: method, function, envelope, label, basis, historic,"
            " population, need, years, uplift, floor, cap.",
            show_default=False,
        ),
    ],
    icb: Icb = None,
    year: Year = "2025/26",
    grouping: GroupingOption = "places",
    function: FunctionOption = "core",
    envelope: Envelope = None,
    basis: BasisOption = None,
    baseline: BaselineOption = None,
    level: Level = None,
    small_numbers: SmallNumbers = 10_000,
    fmt: FormatOption = AllocateFormat.table,
    output: Output = None,
    engine: EngineOption = DEFAULT_ENGINE,
) -> None:
    """Compare scenarios side by side: amounts, change against the first, gainers and losers."""
    from placeworks.allocation import allocate, compare
    from placeworks.allocation.excel import scenario_names

    _check_output(fmt, output)
    if len(scenario) < 2:
        raise _fail("give two or more --scenario options to compare")
    with _allocation_errors():
        configs = []
        for text in scenario:
            spec = _scenario_spec(text)
            if basis is not None:
                spec.setdefault("basis", basis.value)
            own_function = spec.pop("function", function)
            own_envelope = spec.pop("envelope", envelope)
            own_label = spec.pop("label", None)
            names = {key: f"{key}= in --scenario {text!r}" for key in SCENARIO_KEYS}
            configs.append(
                _config(
                    icb,
                    year,
                    grouping,
                    own_function,
                    own_envelope,
                    spec,
                    level,
                    small_numbers,
                    own_label,
                    names,
                )
            )
        groups = _grouping(grouping, configs[0].icb, configs[0].year)
        baselines = _baselines(configs, baseline)
        with _engine_totals(engine) as totals:
            allocations = [
                allocate(config, totals=totals, grouping=groups, baseline=base)
                for config, base in zip(configs, baselines, strict=True)
            ]
        comparison = compare(allocations)
    runs = _record(allocations, groups)
    names = scenario_names([a.config for a in allocations])
    for name, allocation in zip(names, allocations, strict=True):
        _warn([f"{name}: {w}" for w in allocation.warnings])
    if fmt is AllocateFormat.xlsx:
        _write_xlsx(comparison, output, runs)
    elif fmt is AllocateFormat.csv:
        _emit(_comparison_csv(comparison, names), output)
    elif fmt is AllocateFormat.json:
        _emit(json.dumps(_comparison_json(comparison, names, runs), indent=2) + "\n", output)
    else:
        _emit_table(_comparison_table(comparison, names), output)


@allocate_app.command("indices")
def allocate_indices(
    icb: Icb = None,
    year: Year = "2025/26",
    grouping: GroupingOption = "places",
    level: Level = None,
    against: Annotated[
        Against, typer.Option(help="Index against the ICB (as NHS England's tool) or England.")
    ] = Against.icb,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    output: Output = None,
    engine: EngineOption = DEFAULT_ENGINE,
) -> None:
    """NHS England's component indices of each group, as its place-based allocation tool shows.

    Each component is as published: community is the community services weighted population
    alone (the community function blends it half and half with general and acute).
    """
    from rich.console import Group
    from rich.text import Text

    from placeworks.allocation import COMPONENTS, indices

    if icb is None:
        raise _fail("--icb is required (an ICB ODS code such as QE1)")
    icb = icb.strip().upper()
    with _allocation_errors():
        groups = _grouping(grouping, icb, year)
        with _engine_totals(engine) as totals:
            rows = indices(icb, year, groups, totals=totals, level=level)
    pick = "indices" if against is Against.icb else "indices_england"
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["group", "practices", "population", *COMPONENTS])
        for r in rows:
            values = getattr(r, pick)
            writer.writerow([r.group, r.practices, r.population, *(values[c] for c in COMPONENTS)])
        _emit(buffer.getvalue(), output)
    elif fmt is Format.json:
        data = {
            "icb": icb,
            "year": year,
            "grouping": grouping,
            "rows": [
                {
                    "group": r.group,
                    "name": r.name,
                    "practices": r.practices,
                    "population": r.population,
                    "indices": {c: str(v) for c, v in r.indices.items()},
                    "indices_england": {c: str(v) for c, v in r.indices_england.items()},
                }
                for r in rows
            ],
        }
        _emit(json.dumps(data, indent=2) + "\n", output)
    else:
        table = Table(
            title=f"Need indices against {'the ICB' if against is Against.icb else 'England'},"
            f" {icb} {year} by {grouping}",
            title_justify="left",
            box=None,
        )
        table.add_column("group", no_wrap=True)
        table.add_column("name", max_width=40, overflow="ellipsis", no_wrap=True)
        table.add_column("practices", justify="right", no_wrap=True)
        table.add_column("population", justify="right", no_wrap=True)
        for component in COMPONENTS:
            table.add_column(INDEX_HEADINGS[component], justify="right", no_wrap=True)
        for r in rows:
            values = getattr(r, pick)
            table.add_row(
                r.group,
                r.name,
                str(r.practices),
                f"{r.population:,}",
                *(f"{values[c]:.3f}" for c in COMPONENTS),
            )
        legend = Text(
            "; ".join(f"{INDEX_HEADINGS[c]}: {c}" for c in COMPONENTS)
            + ". Community is NHS England's community services weighted population alone."
        )
        _emit_table(Group(table, legend), output)


@allocate_app.command("rerun")
def allocate_rerun(
    run_id: Annotated[str, typer.Argument(help="The run's id, as printed when it was recorded.")],
    engine: Annotated[
        EngineName | None,
        typer.Option(help="Engine to re-run on (default: the run's own).", show_default=False),
    ] = None,
) -> None:
    """Compute a recorded run again and check it gives the same pennies (exit 1 if not)."""
    import uuid

    try:
        key = uuid.UUID(run_id.strip())
    except ValueError:
        raise _fail(f"{run_id!r} is not a run id") from None
    _django()
    from placeworks.web.runs.actions import rerun
    from placeworks.web.runs.models import AllocationRun

    with _allocation_errors():
        try:
            run, allocation, differences = rerun(key, engine=engine.value if engine else None)
        except AllocationRun.DoesNotExist:
            raise _fail(f"no run {key} is recorded") from None
    from django.utils.timezone import localtime

    when = localtime(run.created_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    summary = f"run {run.id} ({_describe(run.config)}, by {run.run_by} at {when})"
    if differences:
        typer.echo(f"{summary} re-run on {allocation.engine} differs:")
        for line in differences:
            typer.echo(f"  {line}")
        raise typer.Exit(1)
    typer.echo(
        f"{summary} re-run on {allocation.engine}: the same pennies"
        f" ({len(allocation.rows)} groups, total £{allocation.total:,})"
    )


# --- allocate: inputs ---------------------------------------------------------------------------
