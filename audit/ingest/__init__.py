"""Ingest: platform records in, canonical :class:`~audit.models.Generation` records out."""
