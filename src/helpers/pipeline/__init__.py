"""Building years: the stages and their order, what to rebuild, kernels, staging, the coop-review command."""
