"""Tools over a finished audit: what-if scenarios, comparing productions, and exports."""
