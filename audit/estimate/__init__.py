"""Estimate, the third stage: each generation's energy, carbon, water and abiotic resources from the
pure formulas of :mod:`estimators`, rolled up per platform, shot and film; measured local runs.
"""
