"""Charts drawn with matplotlib as SVG, in greys (readable in black-and-white print), with range
whiskers. Returned as ``data:`` URIs so the report never inlines raw markup built from input text.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

GREYS = ("#404040", "#8c8c8c", "#bfbfbf")


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text (searchable, uses the report's font)
            "svg.hashsalt": "empreinte",  # deterministic ids
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _to_data_uri(fig) -> str:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
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
    ax.grid(axis="x", color=GREYS[2], linewidth=0.4)
    ax.set_axisbelow(True)
    uri = _to_data_uri(fig)
    plt.close(fig)
    return uri


def stacked_share(labels: Sequence[str], shares: Sequence[float], title: str) -> str:
    """One horizontal 100 % bar split by category, hatched for grey print."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.3, 0.9))
    left = 0.0
    hatches = ("", "///", "...", "xxx", "\\\\\\", "---", "ooo", "+++")
    for index, (label, share) in enumerate(zip(labels, shares, strict=True)):
        ax.barh(
            [0],
            [share],
            left=left,
            color=GREYS[index % 3],
            edgecolor="black",
            hatch=hatches[index % len(hatches)],
            linewidth=0.5,
            label=label,
        )
        left += share
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.set_title(title, loc="left", fontsize=8)
    ax.legend(
        ncol=min(4, len(labels)),
        fontsize=7,
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.35),
    )
    ax.xaxis.set_major_formatter(lambda value, _pos: f"{value:.0%}")
    uri = _to_data_uri(fig)
    plt.close(fig)
    return uri
