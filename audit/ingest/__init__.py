"""Ingest: platform records in, canonical :class:`~audit.base.models.Generation` records out."""
