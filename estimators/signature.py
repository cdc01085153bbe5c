"""What the estimators need to know about one generation, and nothing else.

Two generations with equal signatures have equal impacts, so :func:`estimators.impacts.estimate_many`
computes each distinct signature once. The app builds a Signature from its own records.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimators.errors import SignatureError
from estimators.units import NONE_COUNT, ONE

#: Fields that cannot be negative (``creativity`` may be: it is clamped by the upscale method).
_NON_NEGATIVE = (
    "width", "height", "duration_s", "fps", "frames", "steps", "outputs_count", "characters",
    "tokens_in", "tokens_out", "measured_energy_wh", "scale_factor", "step_pixels",
    "elapsed_s", "gpu_count", "extra_passes",
)  # fmt: skip


@dataclass(frozen=True)
class Signature:
    """The footprint-relevant facts of one generation (all its outputs together).

    ``creativity`` is a 0–1 denoise strength (the app maps each platform's own scale; values
    outside are clamped to the ``upscale.denoise`` band);
    ``region`` is an ISO 3166 alpha-3 override of where it computed (None → platform default).
    ``measured_energy_wh`` covers the whole job, at the wall or node boundary.
    ``step_pixels`` is, for a job that sampled in several passes at different sizes (a hires
    fix, a latent upscale), Σ over passes of effective steps × latent pixels × batch: the
    whole job's work, so that each pass counts at its own size.
    ``job_status`` is how the job ended (succeeded, failed, cancelled, pending, filtered: the
    energy each costs is data, ``data/job_status.csv``); ``elapsed_s`` the logged time it ran;
    ``gpu`` and ``gpu_count`` the hardware of a local run (``2x H100``); ``extra_passes`` the
    refinement passes a pipeline ran after the main one (upscale + denoise, hires fix).
    """

    platform: str
    modality: str
    model: str | None = None
    task: str | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    fps: float | None = None
    frames: int | None = None
    steps: int | None = None
    outputs_count: int = ONE
    characters: int | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    measured_energy_wh: float | None = None
    mode: str | None = None
    with_audio: bool | None = None
    scale_factor: float | None = None
    creativity: float | None = None
    region: str | None = None
    step_pixels: float | None = None
    job_status: str = "succeeded"
    elapsed_s: float | None = None
    gpu: str | None = None
    gpu_count: int | None = None
    extra_passes: int | None = None

    def __post_init__(self) -> None:
        for name in _NON_NEGATIVE:
            value = getattr(self, name)
            if value is not None and value < NONE_COUNT:
                raise SignatureError(f"{name}: must not be negative (got {value!r})")

    @property
    def pixels(self) -> int | None:
        """Output pixels per image or frame, when both dimensions are known."""
        if self.width is None or self.height is None:
            return None
        return self.width * self.height
