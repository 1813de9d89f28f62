"""Historic baselines: a partnership's own budgets by legacy footprint (former CCG areas)."""
