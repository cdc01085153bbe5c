"""Charts drawn with matplotlib as SVG, in greys (readable in black-and-white print), with range
whiskers. Returned as ``data:`` URIs so the report never inlines raw markup built from input text.
"""

from __future__ import annotations

import base64
import io
import warnings
from collections.abc import Callable, Sequence
from typing import Any

GREYS = ("#404040", "#8c8c8c", "#bfbfbf")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text (searchable, uses the report's font)
            "svg.hashsalt": "empreinte",  # deterministic ids
            "text.parse_math": False,  # labels are input data ($…$ is text, never mathtext)
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _to_data_uri(fig: Any) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        # a label character DejaVu lacks (CJK, emoji): the SVG keeps it as text, which WeasyPrint
        # draws with the fallback fonts of docs/security.md (a fallback list here made the
        # chart's layout differ between processes)
        warnings.filterwarnings("ignore", r"Glyph \d+ .* missing from font", UserWarning)
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue().encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def ranged_bars(
    labels: Sequence[str],
    central: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    xlabel: str,
    *,
    tick: Callable[[float], str] = str,
    width_in: float = 6.3,
) -> str:
    """Horizontal bars (central) with low–high whiskers, largest on top."""
    plt = _pyplot()
    height = max(1.2, 0.28 * len(labels) + 0.6)
    fig, ax = plt.subplots(figsize=(width_in, height))
    positions = list(range(len(labels)))[::-1]
    err = [
        [max(c - lo, 0.0) for c, lo in zip(central, low, strict=True)],
        [max(hi - c, 0.0) for c, hi in zip(central, high, strict=True)],
    ]
    ax.barh(
        positions,
        central,
        color=GREYS[1],
        edgecolor=GREYS[0],
        linewidth=0.6,
        xerr=err,
        error_kw={"ecolor": GREYS[0], "capsize": 2, "elinewidth": 0.8},
    )
    ax.set_yticks(positions, labels=list(labels))
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(lambda value, _pos: tick(value))
    ax.grid(axis="x", color=GREYS[2], linewidth=0.4)
    ax.set_axisbelow(True)
    uri = _to_data_uri(fig)
    plt.close(fig)
    return uri
