"""Helpers of the measure tests: production.yaml edits, fake codecarbon objects and readings."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from audit.estimate.meter import Reading


def set_yaml(folder: Path, old: str, new: str) -> None:
    """Replace one line fragment of ``folder/production.yaml`` (it must be there)."""
    path = folder / "production.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def hardware(kind: str, **attrs: Any) -> object:
    """An object whose class is named like one of codecarbon's hardware classes."""
    return type(kind, (), attrs)()


def emissions_data(**overrides: Any) -> SimpleNamespace:
    """The fields of codecarbon's EmissionsData that Empreinte reads (energies in kWh)."""
    fields: dict[str, Any] = {
        "energy_consumed": 0.5, "cpu_energy": 0.1, "gpu_energy": 0.3, "ram_energy": 0.1,
        "duration": 60.0, "cpu_model": "AMD Ryzen 9 7950X",
        "gpu_model": "1 x NVIDIA GeForce RTX 4090", "codecarbon_version": "3.3.2",
    }  # fmt: skip
    fields.update(overrides)
    return SimpleNamespace(**fields)


MODELLED = Reading(
    energy_wh=412.5, cpu_energy_wh=12.5, gpu_energy_wh=0.0, ram_energy_wh=400.0,
    duration_s=72000.0, hardware="Intel(R) Xeon(R) Processor", codecarbon_version="3.3.2",
    energy_source="modelled", energy_methods="cpu=tdp_load_model;ram=ram_model", cpu_tdp_w=8.0,
)  # fmt: skip
