"""The tables of the reference data package, declared once.

A :class:`Dataset` says what a table is, which raw files it comes from, the schema it must
satisfy (types, code formats, unique key, ranges), how it refers to other tables and how it is
built. The build, the loader and the tests all read this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from placeworks.data.raw import RawFolder

Builder = Callable[[RawFolder, Mapping[str, pd.DataFrame]], pd.DataFrame]
TableCheck = Callable[[pd.DataFrame, Mapping[str, pd.DataFrame]], None]

# Code formats used across schemas.
PRACTICE_CODE = r"^[A-Z]\d{5}$"  # ODS GP practice code, e.g. A81001
PCN_CODE = r"^U\d{5}$"  # ODS PCN code, e.g. U89141
ICB_ODS = r"^Q[A-Z0-9]{2}$"  # ODS ICB code, e.g. QE1
REGION_ODS = r"^Y\d{2}$"  # NHS England region, e.g. Y62
# Sub-ICB location: a former CCG code (e.g. 00Q), or a five-character code given to the
# locations formed by merging CCGs in 2022 (e.g. M2L0M).
SUB_ICB_ODS = r"^(?:[0-9]{2}[A-Z0-9]|[A-Z]\d[A-Z]\d[A-Z])$"


def gss(prefix: str) -> str:
    """Regex for a GSS code with the given entity prefix, e.g. ``gss('E01')``."""
    return rf"^{prefix}\d{{{9 - len(prefix)}}}$"


@dataclass(frozen=True)
class Reference:
    """Every non-null value of ``column`` must appear in ``table.target_column``."""

    column: str
    table: str
    target_column: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    sources: tuple[str, ...]
    schema: pa.DataFrameSchema
    build: Builder
    depends: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    checks: tuple[TableCheck, ...] = field(default=())
    sort_by: tuple[str, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.parquet"

    @property
    def primary_source(self) -> str:
        return self.sources[0]


DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.name in DATASETS:
        raise ValueError(f"dataset {dataset.name} registered twice")
    DATASETS[dataset.name] = dataset
    return dataset


def ordered() -> list[Dataset]:
    """Datasets in an order where each comes after the ones it depends on."""
    done: dict[str, Dataset] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in trail:
            raise ValueError(f"dependency cycle: {' > '.join((*trail, name))}")
        dataset = DATASETS[name]
        for dep in (*dataset.depends, *(ref.table for ref in dataset.references)):
            visit(dep, (*trail, name))
        done[name] = dataset

    for name in sorted(DATASETS):
        visit(name, ())
    return list(done.values())
