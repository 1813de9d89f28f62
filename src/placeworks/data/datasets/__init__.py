"""Importing this package registers every table of the reference data package."""

from placeworks.data.datasets import allocations  # noqa: F401
