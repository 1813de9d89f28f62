"""Importing this package registers every table of the reference data package."""

from placeworks.data.datasets import (
    allocations,  # noqa: F401
    deprivation,  # noqa: F401
    geography,  # noqa: F401
    outcomes,  # noqa: F401
    population,  # noqa: F401
    practices,  # noqa: F401
    upper_tier,  # noqa: F401
)
