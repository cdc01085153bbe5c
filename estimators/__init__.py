"""Empreinte's estimators: a pure library of footprint formulas and the coefficient registry.

It never imports ``audit``. Every number it uses comes from the registry (``data/``), with a source
id and a locator; every result carries low/central/high, a status and the coefficient ids used.
"""
