"""Reference data: built from raw public files, shipped as a compact package, loaded with checks."""

from placeworks.data.errors import DataError, DataPackageMissing, DataValidationError
from placeworks.data.store import load, manifest

__all__ = ["DataError", "DataPackageMissing", "DataValidationError", "load", "manifest"]
