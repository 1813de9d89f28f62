"""Benchmark: every function's need allocation for every shipped grouping of every ICB and year.

    .venv/bin/python benchmarks/allocation_sweep.py [--repeat N] [--spark] [--memberships-cache F]
    just bench [ARGS]

First the memberships (which practice is in which group: the geography, built once and timed on
its own). Then each way of computing the sweep runs in a fresh process of its own, so that its
peak memory is its own:

* duckdb — ``need_sweep(membership, totals_engine=<DuckDB engine>)``: one ibis query for every
  group total, then the money step in Python integers;
* pandas — ``need_sweep(membership)``: pandas merge and groupby for the totals, then the same
  money step;
* spark  — (``--spark``, needs the `spark` extra and Java) the same query on PySpark local mode.

Each process loads the data and starts its engine (reported as "setup", not timed), runs the
sweep once to warm up, then N times: "wall" is the best of N (``time.perf_counter``) for the whole
sweep, "totals" and "money" the best of N for its two steps alone (group totals, including
loading the tables into the engine; the shares in pence). Memory, two ways:

* tracemalloc peak — the peak of Python-heap allocations during one more run (pandas and NumPy
  buffers included; memory that DuckDB, Arrow or the JVM allocate natively is not seen);
* max RSS — ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the process's resident high-water
  mark (everything, native included; Spark's JVM is another process and is not counted), and
  its rise over the mark after setup.

The results of every path must be identical to the penny.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import pandas as pd

from placeworks.allocation import functions
from placeworks.allocation.groupings import SHIPPED
from placeworks.allocation.sweep import (
    allocation_count,
    group_paths,
    group_totals_engine,
    group_totals_pandas,
    icb_envelopes,
    memberships,
    need_sweep,
    shares,
    stacked_inputs,
)
from placeworks.engine import available_backends, connect
from placeworks.geography import YEARS

MIB = 1024 * 1024
PER_HEAD = Decimal("1000")  # each ICB's envelope: £1,000 per registered person


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per path (best of N)")
    parser.add_argument("--spark", action="store_true", help="also run on PySpark local mode")
    parser.add_argument(
        "--memberships-cache",
        type=Path,
        metavar="FILE",
        help="reuse the memberships pickled in FILE (built and saved there if it is missing)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--membership", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.worker:
        print(json.dumps(worker(args.worker, args.membership, args.out, args.repeat)))
        return
    benchmark(args.repeat, args.spark, args.memberships_cache)


def benchmark(repeat: int, spark: bool, cache: Path | None) -> None:
    paths = ["duckdb", "pandas"]
    if spark:
        if "spark" in available_backends():
            paths.append("spark")
        else:
            print("spark: skipped (install the extra: uv sync --extra spark)")
    started = time.perf_counter()
    if cache is not None and cache.exists():
        membership = pd.read_pickle(cache)
        how = f"loaded from {cache}"
    else:
        membership = memberships(YEARS)
        how = "built from the geography"
        if cache is not None:
            membership.to_pickle(cache)
            how += f", saved to {cache}"
    prepared = time.perf_counter() - started
    per_year = {y: membership.loc[membership["year"] == y, "icb_code"].nunique() for y in YEARS}
    counts = set(per_year.values())
    scope = (
        f"{counts.pop()} ICBs x {len(YEARS)} years"
        if len(counts) == 1
        else " + ".join(f"{n} ICBs in {y}" for y, n in per_year.items())
    )
    print(
        f"memberships: {len(membership):,} rows (practice x grouping) for {scope},"
        f" {len(SHIPPED)} groupings: {prepared:.2f} s, {how} (not in the timings below)"
    )
    print(f"cores: {os.cpu_count()}, repeat: best of {repeat} after one warm-up run")
    reports = {}
    results = {}
    with tempfile.TemporaryDirectory(prefix="placeworks-bench-") as tmp:
        membership_file = Path(tmp, "membership.pkl")
        membership.to_pickle(membership_file)
        for path in paths:
            out = Path(tmp, f"{path}.pkl")
            command = [sys.executable, __file__, "--worker", path, "--repeat", str(repeat)]
            command += ["--membership", str(membership_file), "--out", str(out)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.stderr.write(done.stderr)
                raise SystemExit(f"{path}: the worker failed")
            reports[path] = json.loads(done.stdout.strip().splitlines()[-1])
            results[path] = pd.read_pickle(out)
    reference = results["pandas"]
    for result in results.values():
        pd.testing.assert_frame_equal(result, reference)
    allocations = allocation_count(reference)
    print(
        f"allocations: {allocations:,} ({len(functions())} functions x {len(SHIPPED)} groupings"
        f" x {scope}), {len(reference):,} group amounts,"
        f" {int(reference['pence'].sum()) / 100:,.2f} pounds in all"
    )
    print(f"results identical to the penny: {', '.join(paths)}")
    print()
    print(table(reports, len(membership)))
    print()
    pandas, engine = reports["pandas"], reports["duckdb"]
    print(
        "ratio pandas/duckdb: "
        f"wall {pandas['wall'] / engine['wall']:.2f}x, "
        f"totals {pandas['totals'] / engine['totals']:.2f}x, "
        f"tracemalloc peak {pandas['traced_peak'] / engine['traced_peak']:.2f}x, "
        f"max RSS {pandas['max_rss'] / engine['max_rss']:.2f}x"
    )


def table(reports: dict[str, dict], rows: int) -> str:
    header = (
        "path",
        "rows in",
        "rows out",
        "setup s",
        "wall s",
        "totals s",
        "money s",
        "tracemalloc peak MiB",
        "max RSS MiB",
        "RSS rise MiB",
    )
    lines = [header]
    for path, r in reports.items():
        lines.append(
            (
                path,
                f"{rows:,}",
                f"{r['rows']:,}",
                f"{r['setup']:.2f}",
                f"{r['wall']:.3f}",
                f"{r['totals']:.3f}",
                f"{r['money']:.3f}",
                f"{r['traced_peak'] / MIB:.1f}",
                f"{r['max_rss'] / MIB:.1f}",
                f"{(r['max_rss'] - r['rss_setup']) / MIB:.1f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def worker(path: str, membership_file: str, out: str, repeat: int) -> dict:
    """One path in a fresh process: set up, warm up, time, trace, and save the result."""
    started = time.perf_counter()
    membership = pd.read_pickle(membership_file)
    years = sorted(set(membership["year"]))
    stacked_inputs(years)  # loads and caches the data package's tables
    functions()
    engine = None if path == "pandas" else connect(path)
    setup = time.perf_counter() - started
    rss_setup = max_rss()

    def sweep() -> pd.DataFrame:
        return need_sweep(membership, totals_engine=engine, envelope_per_head=PER_HEAD)

    def totals() -> pd.DataFrame:
        inputs = stacked_inputs(years)
        if engine is None:
            return group_totals_pandas(membership, inputs)
        return group_totals_engine(membership, inputs, engine)

    group_totals = totals()
    envelopes = icb_envelopes(stacked_inputs(years), PER_HEAD)

    def money() -> pd.DataFrame:
        return shares(group_totals, group_paths(membership), envelopes)

    result = sweep()  # warm-up
    wall = best_of(sweep, repeat)
    totals_wall = best_of(totals, repeat)
    money_wall = best_of(money, repeat)
    peak_rss = max_rss()
    tracemalloc.start()
    sweep()
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if engine is not None:
        engine.close()
    result.to_pickle(out)
    return {
        "rows": len(result),
        "setup": setup,
        "wall": wall,
        "totals": totals_wall,
        "money": money_wall,
        "traced_peak": traced_peak,
        "rss_setup": rss_setup,
        "max_rss": peak_rss,
    }


def best_of(run, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def max_rss() -> int:
    """The process's peak resident set size in bytes (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


if __name__ == "__main__":
    main()
