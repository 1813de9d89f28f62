"""Build the shipped reference data package from the raw public files.

``placeworks data build --raw PATH`` runs :func:`build`. Every table is built, validated against
its schema, checked for referential integrity and its own published totals, and written to a
temporary folder; only when all of them pass does the folder replace the shipped package, so a
failed build leaves the previous package untouched.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from placeworks.data import datasets as _datasets  # noqa: F401  (registers every table)
from placeworks.data.raw import RawFolder, sha256_of
from placeworks.data.registry import DATASETS, Dataset, ordered
from placeworks.data.sources import ATTRIBUTION, SOURCES
from placeworks.data.store import MANIFEST, PACKAGE_DIR
from placeworks.data.validate import check_references, check_schema

FORMAT_VERSION = 1
Progress = Callable[[str], None]


def build_table(dataset: Dataset, raw: RawFolder, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frame = dataset.build(raw, {name: tables[name] for name in dataset.depends})
    frame = check_schema(dataset, frame)
    check_references(dataset, frame, tables)
    for check in dataset.checks:
        check(frame, tables)
    if dataset.sort_by:
        frame = frame.sort_values(list(dataset.sort_by), kind="stable")
    return frame.reset_index(drop=True)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path, compression="zstd", compression_level=15)


def build(
    raw_root: Path,
    out_dir: Path = PACKAGE_DIR,
    *,
    only: list[str] | None = None,
    progress: Progress | None = None,
) -> dict:
    """Build every table (or ``only`` these and what they depend on) into ``out_dir``.

    Returns the manifest. Raises :class:`DataValidationError` on the first problem, in which
    case ``out_dir`` is left exactly as it was.
    """
    raw = RawFolder(raw_root)
    wanted = set(only or DATASETS)
    unknown = wanted - set(DATASETS)
    if unknown:
        raise KeyError(f"unknown tables: {sorted(unknown)}")
    plan = [d for d in ordered() if d.name in _closure(wanted)]
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        tables: dict[str, pd.DataFrame] = {}
        entries: dict[str, dict] = {}
        for dataset in plan:
            if progress:
                progress(dataset.name)
            frame = build_table(dataset, raw, tables)
            tables[dataset.name] = frame
            target = staging / dataset.file
            write_parquet(frame, target)
            entries[dataset.name] = {
                "file": dataset.file,
                "title": dataset.title,
                "rows": len(frame),
                "columns": list(frame.columns),
                "sha256": sha256_of(target),
                "sources": [
                    {
                        "path": path,
                        "publisher": SOURCES[path].publisher,
                        "title": SOURCES[path].title,
                        "vintage": SOURCES[path].vintage,
                        "licence": SOURCES[path].licence,
                        "sha256": raw.hashes.get(path) or sha256_of(raw.path(path)),
                    }
                    for path in dataset.sources
                ],
            }
        manifest = {
            "format": FORMAT_VERSION,
            "attribution": ATTRIBUTION,
            "tables": dict(sorted(entries.items())),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _replace(staging, out_dir)
        return manifest
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _closure(names: set[str]) -> set[str]:
    result: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in result:
            result.add(name)
            todo.extend(DATASETS[name].depends)
            todo.extend(ref.table for ref in DATASETS[name].references)
    return result


def _replace(staging: Path, out_dir: Path) -> None:
    """Swap the staged package into place; the old package is removed only after the swap."""
    keep = {p.name for p in out_dir.iterdir()} if out_dir.exists() else set()
    if out_dir.exists():
        old = out_dir.with_name(out_dir.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        out_dir.rename(old)
        staging.rename(out_dir)
        # Files that are not tables (a README, __init__) stay with the package.
        for name in keep:
            source = old / name
            if not (out_dir / name).exists() and not name.endswith(".parquet") and name != MANIFEST:
                source.rename(out_dir / name)
        shutil.rmtree(old)
    else:
        staging.rename(out_dir)
