"""Empreinte: footprint and ethics audit reporter for films made with generative AI."""

__version__ = "0.1.0"
