"""Analysis built on results: explanations, KPIs, diffs, scenarios and sweeps."""
