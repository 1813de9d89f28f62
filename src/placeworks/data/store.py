"""Loading tables from the shipped data package.

The package lives inside the installed ``placeworks`` package; nothing is read from the raw
folder at run time. Each table is checked against the manifest's sha256 and the schema's columns
when it is first loaded, then cached.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pandas as pd

from placeworks.data.errors import DataPackageMissing, DataValidationError

SHIPPED_DIR = Path(__file__).parent / "package"
# A package built elsewhere (e.g. from newer raw files) can be used instead of the shipped one.
PACKAGE_DIR = Path(os.environ.get("PLACEWORKS_DATA_PACKAGE") or SHIPPED_DIR)
MANIFEST = "manifest.json"


@cache
def manifest(package_dir: Path = PACKAGE_DIR) -> dict:
    path = package_dir / MANIFEST
    if not path.is_file():
        raise DataPackageMissing(
            f"{path} not found: build the data package with `placeworks data build --raw PATH`"
        )
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def load(name: str, package_dir: Path = PACKAGE_DIR) -> pd.DataFrame:
    """Return a shipped table as a data frame (cached; treat it as read-only)."""
    from placeworks.data import datasets as _datasets  # noqa: F401  (registers every table)
    from placeworks.data.raw import sha256_of
    from placeworks.data.registry import DATASETS
    from placeworks.data.validate import check_columns

    tables = manifest(package_dir)["tables"]
    if name not in tables:
        raise DataPackageMissing(f"table {name!r} is not in the data package")
    entry = tables[name]
    path = package_dir / entry["file"]
    if not path.is_file():
        raise DataPackageMissing(f"{path} not found")
    if sha256_of(path) != entry["sha256"]:
        raise DataValidationError(entry["file"], "sha256 differs from the manifest: file altered")
    frame = pd.read_parquet(path)
    if len(frame) != entry["rows"]:
        raise DataValidationError(
            entry["file"], f"{len(frame)} rows, manifest says {entry['rows']}"
        )
    if name in DATASETS:
        check_columns(DATASETS[name], frame, entry["file"])
    return frame
