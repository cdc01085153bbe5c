"""Render stage: the report (PDF/A-3b, HTML), audit.json, CSV files and the credits block."""
