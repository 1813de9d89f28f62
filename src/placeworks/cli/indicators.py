"""`placeworks indicators METHOD --input FILE --output FILE`: OHID's indicator methods on a file.

One subcommand per method of `placeworks.indicators`. Its options name the file's columns as the
Python function's keyword arguments do (``--x deaths --n population --by area``); the input is a
CSV, Parquet or Excel file and the output a CSV, Parquet or Excel file, or ``-`` for a table.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from placeworks.cli.indicators_io import (
    InputError,
    check_output,
    errors,
    fail,
    flags,
    key_value,
    keys,
    numbers,
    read,
    require,
    write,
)

indicators_app = typer.Typer(
    help="Public health indicators as OHID computes them (PHEindicatormethods): proportions,"
    " rates, means, standardised rates and ratios, funnel plots, life expectancy, quantiles,"
    " the slope index of inequality and SPC charts, from a CSV, Parquet or Excel file.",
    no_args_is_help=True,
)


class EngineName(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class Statistic(StrEnum):
    proportion = "proportion"
    ratio = "ratio"
    rate = "rate"


class Direction(StrEnum):
    increase = "increase"
    decrease = "decrease"
    neutral = "neutral"


def _column(help: str) -> typer.models.OptionInfo:
    return typer.Option(help=help, show_default=False)


Input = Annotated[
    Path, typer.Option("--input", help="The data: a .csv, .parquet or .xlsx file (first sheet).")
]
Output = Annotated[
    str,
    typer.Option(
        "--output",
        help="Where to write the result: a .csv, .parquet or .xlsx file, or - for a table on"
        " standard output. Nothing is written when there is an error.",
    ),
]
By = Annotated[
    list[str] | None,
    typer.Option(
        help="A grouping column; repeat for several (--by area --by sex).", show_default=False
    ),
]
Confidence = Annotated[
    list[float] | None,
    typer.Option(
        help="Confidence level, 0.9 to below 1 or 90 to 100 (default 0.95); give --confidence"
        " 0.95 --confidence 0.998 for both.",
        show_default=False,
    ),
]
Type = Annotated[
    str,
    typer.Option(
        "--type",
        help="Output columns: full, standard, or value, lower, upper (the grouping columns and"
        " that statistic).",
    ),
]
FullType = Annotated[str, typer.Option("--type", help="Output columns: full or standard.")]
EngineOption = Annotated[
    EngineName, typer.Option(help="Engine for the grouped sums (spark needs the spark extra).")
]


def _confidence(levels: list[float] | None) -> float | tuple[float, ...]:
    if not levels:
        return 0.95
    return levels[0] if len(levels) == 1 else tuple(levels)


def _run(
    input: Path,
    output: str,
    engine: EngineName,
    title: str,
    compute: Callable[[pd.DataFrame, str, object], pd.DataFrame],
) -> None:
    """Read ``input``, compute on ``engine`` and write the result; bad input exits with 2."""
    target = check_output(output)
    try:
        frame, where = read(input)
    except InputError as exc:
        raise fail(str(exc)) from None
    from placeworks.engine import EngineUnavailable, connect

    try:
        connection = connect(engine.value)
    except (EngineUnavailable, ImportError) as exc:
        raise fail(str(exc), 1) from None
    with connection, errors(input, where):
        result = compute(frame, where, connection)
    write(result, target, title)


def _prepare(
    input: Path,
    frame: pd.DataFrame,
    where: str,
    *,
    columns: dict[str, str | list[str] | None],
    numeric: list[str | None] = (),
    ordered: list[str | None] = (),
) -> list[str]:
    """Check the options' columns are there and read counts and orderings; the ``by`` list."""
    require(input, frame, columns)
    for option, names in columns.items():
        for name in [names] if isinstance(names, str) else names or []:
            if frame[name].isna().all():
                raise InputError(f"{input}: column {name!r} (given by {option}) has no values")
    numbers(input, frame, where, list(numeric))
    keys(frame, list(ordered))
    by = columns.get("--by")
    return list(by) if by else []


# --- proportions, rates, means --------------------------------------------------------------------


@indicators_app.command("proportion")
def proportion(
    input: Input,
    output: Output,
    x: Annotated[str, _column("Column of the numerator (events, people with the condition).")],
    n: Annotated[str, _column("Column of the denominator (people at risk).")],
    by: By = None,
    type: Type = "full",
    confidence: Confidence = None,
    multiplier: Annotated[float, typer.Option(help="1 for proportions, 100 for %.")] = 1,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Proportions x / n per group with Wilson score limits (phe_proportion).

    Example: placeworks indicators proportion --input smokers.csv --x smokers --n adults
    --by area --multiplier 100 --output -
    """
    from placeworks.indicators import phe_proportion

    def compute(frame, where, connection):
        cols = {"--x": x, "--n": n, "--by": by}
        groups = _prepare(input, frame, where, columns=cols, numeric=[x, n])
        return phe_proportion(
            frame,
            x,
            n,
            by=groups,
            type=type,
            confidence=_confidence(confidence),
            multiplier=multiplier,
            engine=connection,
        )

    _run(input, output, engine, "Proportions", compute)


@indicators_app.command("rate")
def rate(
    input: Input,
    output: Output,
    x: Annotated[str, _column("Column of the events.")],
    n: Annotated[str, _column("Column of the population (person-years).")],
    by: By = None,
    type: Type = "full",
    confidence: Confidence = None,
    multiplier: Annotated[float, typer.Option(help="Rate per this many people.")] = 100_000,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Crude rates per group with exact (under 10 events) or Byar's limits (phe_rate).

    Example: placeworks indicators rate --input deaths.csv --x deaths --n population --by area
    --output rates.csv
    """
    from placeworks.indicators import phe_rate

    def compute(frame, where, connection):
        cols = {"--x": x, "--n": n, "--by": by}
        groups = _prepare(input, frame, where, columns=cols, numeric=[x, n])
        return phe_rate(
            frame,
            x,
            n,
            by=groups,
            type=type,
            confidence=_confidence(confidence),
            multiplier=multiplier,
            engine=connection,
        )

    _run(input, output, engine, "Crude rates", compute)


@indicators_app.command("mean")
def mean(
    input: Input,
    output: Output,
    x: Annotated[str, _column("Column of the values to average (one per row).")],
    by: By = None,
    type: Type = "full",
    confidence: Confidence = None,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Means per group with Student's t limits (phe_mean)."""
    from placeworks.indicators import phe_mean

    def compute(frame, where, connection):
        groups = _prepare(input, frame, where, columns={"--x": x, "--by": by}, numeric=[x])
        return phe_mean(
            frame, x, by=groups, type=type, confidence=_confidence(confidence), engine=connection
        )

    _run(input, output, engine, "Means", compute)


# --- standardised rates and ratios ----------------------------------------------------------------


@indicators_app.command("dsr")
def dsr(
    input: Input,
    output: Output,
    x: Annotated[str, _column("Column of the events in each age band.")],
    n: Annotated[str, _column("Column of the population in each age band.")],
    by: By = None,
    stdpop: Annotated[
        str | None,
        _column("Column of the standard population of each band (default: ESP 2013 by --ageband)."),
    ] = None,
    ageband: Annotated[
        str | None,
        _column(
            "Column of the age band, as ESP 2013 labels (0-4 ... 90+) or lower ages (0, 5 ...)."
        ),
    ] = None,
    type: Type = "full",
    confidence: Confidence = None,
    multiplier: Annotated[float, typer.Option(help="Rate per this many people.")] = 100_000,
    independent_events: Annotated[
        bool, typer.Option(help="Events are independent (else give --eventfreq).")
    ] = True,
    eventfreq: Annotated[
        str | None, _column("Column of how many events each person had (non-independent events).")
    ] = None,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Directly standardised rates with Dobson limits (calculate_dsr).

    Example: placeworks indicators dsr --input deaths_by_age.csv --x deaths --n population
    --ageband age --by area --output dsr.csv
    """
    from placeworks.indicators import calculate_dsr

    def compute(frame, where, connection):
        cols = {"--x": x, "--n": n, "--by": by, "--stdpop": stdpop, "--ageband": ageband}
        cols["--eventfreq"] = eventfreq
        groups = _prepare(
            input,
            frame,
            where,
            columns=cols,
            numeric=[x, n, stdpop, eventfreq],
            ordered=[ageband],
        )
        return calculate_dsr(
            frame,
            x,
            n,
            by=groups,
            stdpop=stdpop,
            ageband=ageband,
            type=type,
            confidence=_confidence(confidence),
            multiplier=multiplier,
            independent_events=independent_events,
            eventfreq=eventfreq,
            engine=connection,
        )

    _run(input, output, engine, "Directly standardised rates", compute)


XRef = Annotated[str | None, _column("Column of the reference population's events in the band.")]
NRef = Annotated[str | None, _column("Column of the reference population in the band.")]
ObservedTotals = Annotated[
    Path | None,
    typer.Option(
        help="A file of the --by columns and --x: each group's observed events, instead of"
        " summing --x over its bands.",
        show_default=False,
    ),
]


def _observed(path: Path | None, x: str, by: list[str]) -> pd.DataFrame | None:
    """The --observed-totals file, checked as the input is."""
    if path is None:
        return None
    totals, where = read(path)
    require(path, totals, {"--by": by, "--x": x})
    numbers(path, totals, where, [x])
    return totals


@indicators_app.command("isr-ratio")
def isr_ratio(
    input: Input,
    output: Output,
    x: Annotated[str, _column("Column of the observed events in each band.")],
    n: Annotated[str, _column("Column of the population in each band.")],
    x_ref: XRef = None,
    n_ref: NRef = None,
    ref_rate: Annotated[
        str | None, _column("Column of the reference rate (events per person), instead.")
    ] = None,
    by: By = None,
    observed_totals: ObservedTotals = None,
    type: Type = "full",
    confidence: Confidence = None,
    refvalue: Annotated[float, typer.Option(help="1 for a ratio, 100 for a percentage.")] = 1,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Indirectly standardised ratios, observed over expected events (calculate_ISRatio)."""
    from placeworks.indicators import calculate_ISRatio

    def compute(frame, where, connection):
        cols = {"--x": x, "--n": n, "--x-ref": x_ref, "--n-ref": n_ref, "--ref-rate": ref_rate}
        cols["--by"] = by
        groups = _prepare(input, frame, where, columns=cols, numeric=[x, n, x_ref, n_ref, ref_rate])
        return calculate_ISRatio(
            frame,
            x,
            n,
            x_ref,
            n_ref,
            ref_rate=ref_rate,
            by=groups,
            observed_totals=_observed(observed_totals, x, groups),
            type=type,
            confidence=_confidence(confidence),
            refvalue=refvalue,
            engine=connection,
        )

    _run(input, output, engine, "Indirectly standardised ratios", compute)


@indicators_app.command("isr-rate")
def isr_rate(
    input: Input,
    output: Output,
    x: Annotated[str, _column("Column of the observed events in each band.")],
    n: Annotated[str, _column("Column of the population in each band.")],
    x_ref: Annotated[str, _column("Column of the reference population's events in the band.")],
    n_ref: Annotated[str, _column("Column of the reference population in the band.")],
    by: By = None,
    observed_totals: ObservedTotals = None,
    type: Type = "full",
    confidence: Confidence = None,
    multiplier: Annotated[float, typer.Option(help="Rate per this many people.")] = 100_000,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Indirectly standardised rates: the ratio times the reference rate (calculate_ISRate)."""
    from placeworks.indicators import calculate_ISRate

    def compute(frame, where, connection):
        cols = {"--x": x, "--n": n, "--x-ref": x_ref, "--n-ref": n_ref, "--by": by}
        groups = _prepare(input, frame, where, columns=cols, numeric=[x, n, x_ref, n_ref])
        return calculate_ISRate(
            frame,
            x,
            n,
            x_ref,
            n_ref,
            by=groups,
            observed_totals=_observed(observed_totals, x, groups),
            type=type,
            confidence=_confidence(confidence),
            multiplier=multiplier,
            engine=connection,
        )

    _run(input, output, engine, "Indirectly standardised rates", compute)


# --- funnel plots ---------------------------------------------------------------------------------

Numerator = Annotated[str, _column("Column of the numerator (events).")]
Denominator = Annotated[
    str | None, _column("Column of the denominator (population; expected events for ratios).")
]
StatisticOption = Annotated[Statistic, typer.Option(help="The statistic plotted.")]
RateColumn = Annotated[str | None, _column("Column of the rate (rate funnels).")]
RateType = Annotated[str | None, typer.Option(help="Rate funnels: dsr or crude.")]
Multiplier = Annotated[
    float | None, typer.Option(help="Multiplier of the statistic (e.g. 100 for %, 100000).")
]


@indicators_app.command("funnel-limits")
def funnel_limits(
    input: Input,
    output: Output,
    numerator: Numerator,
    statistic: StatisticOption,
    denominator: Denominator = None,
    rate: RateColumn = None,
    by: By = None,
    type: FullType = "full",
    multiplier: Multiplier = None,
    ratio_type: Annotated[str | None, typer.Option(help="Ratio funnels: count or isr.")] = None,
    rate_type: RateType = None,
    years_of_data: Annotated[
        float | None, typer.Option(help="Rate funnels: years the data cover.")
    ] = None,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Funnel plot control limits, 95% and 99.8%, at 100 sizes (calculate_funnel_limits)."""
    from placeworks.indicators import calculate_funnel_limits

    def compute(frame, where, connection):
        cols = {"--numerator": numerator, "--denominator": denominator, "--rate": rate}
        cols["--by"] = by
        groups = _prepare(input, frame, where, columns=cols, numeric=[numerator, denominator, rate])
        return calculate_funnel_limits(
            frame,
            numerator,
            denominator,
            statistic=statistic.value,
            rate=rate,
            by=groups,
            type=type,
            multiplier=multiplier,
            ratio_type=ratio_type,
            rate_type=rate_type,
            years_of_data=years_of_data,
            engine=connection,
        )

    _run(input, output, engine, "Funnel plot limits", compute)


@indicators_app.command("funnel-significance")
def funnel_significance(
    input: Input,
    output: Output,
    numerator: Numerator,
    statistic: StatisticOption,
    denominator: Denominator = None,
    rate: RateColumn = None,
    by: By = None,
    rate_type: RateType = None,
    multiplier: Multiplier = None,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Each row's place on the funnel: high or low at 95% or 99.8%, or not significant
    (assign_funnel_significance)."""
    from placeworks.indicators import assign_funnel_significance

    def compute(frame, where, connection):
        cols = {"--numerator": numerator, "--denominator": denominator, "--rate": rate}
        cols["--by"] = by
        groups = _prepare(input, frame, where, columns=cols, numeric=[numerator, denominator, rate])
        return assign_funnel_significance(
            frame,
            numerator,
            denominator,
            statistic=statistic.value,
            rate=rate,
            by=groups,
            rate_type=rate_type,
            multiplier=multiplier,
            engine=connection,
        )

    _run(input, output, engine, "Funnel plot significance", compute)


# --- life expectancy, quantiles, inequality, SPC --------------------------------------------------


def _list(text: str | None) -> list[str] | None:
    return None if text is None else [part.strip() for part in text.split(",") if part.strip()]


@indicators_app.command("life-expectancy")
def life_expectancy(
    input: Input,
    output: Output,
    deaths: Annotated[str, _column("Column of the deaths in each age band.")],
    population: Annotated[str, _column("Column of the population (person-years) in each band.")],
    startage: Annotated[str, _column("Column of the age band (its start age, or a label).")],
    by: By = None,
    age_contents: Annotated[
        str | None,
        typer.Option(
            help="The age bands, comma separated, ascending from 0 with an open last band"
            " (default: 0,1,5,10,...,90).",
            show_default=False,
        ),
    ] = None,
    le_age: Annotated[
        list[str] | None,
        typer.Option(
            help="Give life expectancy at this age band only; repeatable.", show_default=False
        ),
    ] = None,
    type: FullType = "full",
    confidence: Confidence = None,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Life expectancy by Chiang's method with Silcocks' limits (phe_life_expectancy).

    Example: placeworks indicators life-expectancy --input lifetable.csv --deaths deaths
    --population pop --startage age --by area --le-age 0 --le-age 65 --output -
    """
    from placeworks.indicators import phe_life_expectancy
    from placeworks.indicators.life_expectancy import AGE_BANDS

    def compute(frame, where, connection):
        cols = {"--deaths": deaths, "--population": population, "--startage": startage}
        cols["--by"] = by
        groups = _prepare(
            input, frame, where, columns=cols, numeric=[deaths, population], ordered=[startage]
        )
        bands = _list(age_contents)
        if bands is None:
            bands = list(AGE_BANDS)
        elif pd.api.types.is_numeric_dtype(frame[startage]):
            bands = [key_value(frame, startage, band, "--age-contents") for band in bands]
        return phe_life_expectancy(
            frame,
            deaths,
            population,
            startage,
            by=groups,
            age_contents=bands,
            le_age=le_age or "all",
            type=type,
            confidence=_confidence(confidence),
            engine=connection,
        )

    _run(input, output, engine, "Life expectancy", compute)


@indicators_app.command("quantile")
def quantile(
    input: Input,
    output: Output,
    values: Annotated[str, _column("Column of the values to rank (e.g. IMD score).")],
    by: By = None,
    nquantiles: Annotated[int, typer.Option(help="How many quantiles (10 for deciles).")] = 10,
    invert: Annotated[
        bool, typer.Option(help="Quantile 1 holds the highest values (--no-invert: the lowest).")
    ] = True,
    invert_column: Annotated[
        str | None,
        _column("Column of true/false, constant in each group, to say per group instead."),
    ] = None,
    type: FullType = "full",
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """Assign each row a quantile of its values within its group (phe_quantile)."""
    from placeworks.indicators import phe_quantile

    def compute(frame, where, connection):
        cols = {"--values": values, "--by": by, "--invert-column": invert_column}
        groups = _prepare(input, frame, where, columns=cols, numeric=[values])
        if invert_column is not None:
            flags(input, frame, where, invert_column)
        return phe_quantile(
            frame,
            values,
            by=groups,
            nquantiles=nquantiles,
            invert=invert_column if invert_column is not None else invert,
            type=type,
            engine=connection,
        )

    _run(input, output, engine, "Quantiles", compute)


@indicators_app.command("sii")
def sii(
    input: Input,
    output: Output,
    quantile: Annotated[str, _column("Column of the quantile, 1 the most deprived.")],
    population: Annotated[str, _column("Column of the quantile's population.")],
    seed: Annotated[
        int, typer.Option(help="Seed of the simulated limits (the same seed, the same limits).")
    ],
    by: By = None,
    x: Annotated[
        str | None, _column("Column of the count, for proportions without --value.")
    ] = None,
    value: Annotated[str | None, _column("Column of the quantile's value.")] = None,
    value_type: Annotated[
        int, typer.Option(help="0 normal, 1 rate (log scale), 2 proportion (logit scale).")
    ] = 0,
    lower_cl: Annotated[str | None, _column("Column of the value's lower 95% limit.")] = None,
    upper_cl: Annotated[str | None, _column("Column of the value's upper 95% limit.")] = None,
    se: Annotated[str | None, _column("Column of the value's standard error, instead.")] = None,
    multiplier: Annotated[float, typer.Option(help="Multiplier of the SII (-1 reverses it).")] = 1,
    repetitions: Annotated[int, typer.Option(help="Simulations for the limits.")] = 100_000,
    confidence: Confidence = None,
    rii: Annotated[bool, typer.Option(help="Give the relative index of inequality too.")] = False,
    intercept: Annotated[bool, typer.Option(help="Give the intercept.")] = False,
    reliability_stat: Annotated[
        bool, typer.Option(help="Give the limits' mean absolute difference over 10 runs.")
    ] = False,
    type: FullType = "full",
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """The slope (and relative) index of inequality with simulated limits (phe_sii).

    Example: placeworks indicators sii --input deciles.csv --quantile decile --population pop
    --value rate --value-type 1 --lower-cl lower --upper-cl upper --by area --seed 1
    --output sii.csv
    """
    from placeworks.indicators import phe_sii

    def compute(frame, where, connection):
        cols = {"--quantile": quantile, "--population": population, "--by": by, "--x": x}
        cols |= {"--value": value, "--lower-cl": lower_cl, "--upper-cl": upper_cl, "--se": se}
        numeric = [quantile, population, x, value, lower_cl, upper_cl, se]
        groups = _prepare(input, frame, where, columns=cols, numeric=numeric)
        return phe_sii(
            frame,
            quantile,
            population,
            seed=seed,
            by=groups,
            x=x,
            value=value,
            value_type=value_type,
            lower_cl=lower_cl,
            upper_cl=upper_cl,
            se=se,
            multiplier=multiplier,
            repetitions=repetitions,
            confidence=_confidence(confidence),
            rii=rii,
            intercept=intercept,
            reliability_stat=reliability_stat,
            type=type,
            engine=connection,
        )

    _run(input, output, engine, "Slope index of inequality", compute)


@indicators_app.command("spc")
def spc(
    input: Input,
    output: Output,
    value: Annotated[str, _column("Column of the measure.")],
    x: Annotated[str, _column("Column of the period or date (numbers or ISO dates sort right).")],
    by: By = None,
    improvement_direction: Annotated[
        Direction, typer.Option(help="Which way is better.")
    ] = Direction.increase,
    target: Annotated[float | None, typer.Option(help="A target, for assurance.")] = None,
    rebase: Annotated[
        list[str] | None,
        typer.Option(
            help="A value of --x where the limits start again; repeatable.", show_default=False
        ),
    ] = None,
    fix_after_n_points: Annotated[
        int | None, typer.Option(help="Fix the limits on the first N points.", show_default=False)
    ] = None,
    screen_outliers: Annotated[
        bool, typer.Option(help="Leave large moving ranges out of the limits.")
    ] = True,
    shift_points: Annotated[
        int, typer.Option(help="Points on one side of the mean for a shift.")
    ] = 7,
    trend_points: Annotated[int, typer.Option(help="Points rising or falling for a trend.")] = 7,
    engine: EngineOption = EngineName.duckdb,
) -> None:
    """An XmR statistical process control chart, as Making Data Count reads it (spc_xmr).

    Example: placeworks indicators spc --input waits.csv --value waiting --x month
    --improvement-direction decrease --target 100 --output -
    """
    from placeworks.indicators import spc_xmr

    def compute(frame, where, connection):
        cols = {"--value": value, "--x": x, "--by": by}
        groups = _prepare(input, frame, where, columns=cols, numeric=[value], ordered=[x])
        points = [key_value(frame, x, point, "--rebase") for point in rebase or []]
        return spc_xmr(
            frame,
            value,
            x,
            by=groups,
            improvement_direction=improvement_direction.value,
            target=target,
            rebase=points,
            fix_after_n_points=fix_after_n_points,
            screen_outliers=screen_outliers,
            shift_points=shift_points,
            trend_points=trend_points,
            engine=connection,
        )

    _run(input, output, engine, "SPC (XmR) chart", compute)
