"""Allocation runs: every allocation recorded with its inputs, so it can be re-run to the penny."""
