"""Report charts as PNG bytes: the pipeline funnel, aging bars, forecast against target.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display). Labels arrive
already translated; Chinese ones are set in Noto Sans CJK SC, a font file shipped by the
`mplfonts` package and registered with matplotlib here, so a fresh machine draws 汉字, not boxes.
One lock keeps rendering to one thread at a time: matplotlib's font cache is shared state.
matplotlib is loaded by the first chart drawn, not on import: a process that only sends
reminders or answers other commands never pays for it.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
FALLBACK_FAMILY = "DejaVu Sans"
DPI = 120
COLORS = {"main": "#2f6db3", "light": "#9cc0e8", "won": "#2e9e5b", "target": "#d9534f",
          "late": ("#7fbf7f", "#f0c05a", "#f29b4a", "#e4663b", "#b8322a")}
_LOCK = threading.Lock()

Format = Callable[[Decimal], str]


class FontMissing(RuntimeError):
    """The CJK font file is not installed (the mplfonts package is missing)."""


def cjk_font_path() -> Path:
    """The Simplified Chinese font file shipped by the mplfonts package."""
    spec = find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("the mplfonts package is not installed: pip install -e .")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FontMissing(f"{path} is missing")
    return path


@cache
def font_families() -> tuple[str, ...]:
    """Register the CJK font with matplotlib once; the families to draw text with."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    return (name, FALLBACK_FAMILY)


@dataclass(frozen=True)
class Bar:
    """One labelled bar: its value and, where a chart shows one, a second value over it."""

    label: str
    value: Decimal
    inner: Decimal = Decimal(0)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _render(draw: Callable[[], Figure]) -> bytes:
    import matplotlib

    with _LOCK, matplotlib.rc_context({"font.family": list(font_families()),
                                       "axes.unicode_minus": False}):
        return _png(draw())


def _axis_money(fmt: Format) -> FuncFormatter:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: fmt(Decimal(str(round(value, 2)))))


def pipeline_chart(title: str, stages: Sequence[Bar], value_label: str, weighted_label: str,
                   fmt: Format) -> bytes:
    """The pipeline as a funnel: one centred bar per stage, its weighted part inside it."""

    def draw() -> Figure:
        figure = _figure(7, 1.2 + 0.7 * len(stages))
        axes = figure.add_subplot()
        rows = list(reversed(stages))
        widest = max((float(s.value) for s in rows), default=0) or 1.0
        for y, stage in enumerate(rows):
            width, inner = float(stage.value), float(stage.inner)
            axes.barh(y, width, left=(widest - width) / 2, color=COLORS["light"],
                      label=value_label if y == 0 else None)
            axes.barh(y, inner, left=(widest - inner) / 2, height=0.5, color=COLORS["main"],
                      label=weighted_label if y == 0 else None)
            axes.text((widest + width) / 2 + widest * 0.02, y,
                      f"{fmt(stage.value)}\n({fmt(stage.inner)})", va="center", fontsize=8)
        axes.set_yticks(range(len(rows)), [s.label for s in rows])
        axes.set_xticks([])
        axes.set_xlim(0, widest * 1.3)
        axes.set_title(title)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.legend(loc="lower right", fontsize=8, frameon=False)
        return figure

    return _render(draw)


def aging_chart(title: str, buckets: Sequence[Bar], fmt: Format) -> bytes:
    """Outstanding by how late it is: one bar per aging bucket, greener is younger."""

    def draw() -> Figure:
        figure = _figure(7, 3.6)
        axes = figure.add_subplot()
        xs = range(len(buckets))
        palette = COLORS["late"]
        bars = axes.bar(xs, [float(b.value) for b in buckets],
                        color=[palette[min(i, len(palette) - 1)] for i in xs])
        axes.bar_label(bars, labels=[fmt(b.value) for b in buckets], fontsize=8, padding=2)
        axes.set_xticks(list(xs), [b.label for b in buckets])
        axes.yaxis.set_major_formatter(_axis_money(fmt))
        axes.set_title(title)
        axes.margins(y=0.15)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return figure

    return _render(draw)


def forecast_chart(title: str, months: Sequence[tuple[str, Decimal, Decimal, Decimal | None]],
                   won_label: str, weighted_label: str, target_label: str,
                   fmt: Format) -> bytes:
    """Per month: won and weighted open deals stacked, the target as a line across each."""

    def draw() -> Figure:
        figure = _figure(7, 3.8)
        axes = figure.add_subplot()
        xs = list(range(len(months)))
        won = [float(m[1]) for m in months]
        weighted = [float(m[2]) for m in months]
        axes.bar(xs, won, color=COLORS["won"], label=won_label)
        axes.bar(xs, weighted, bottom=won, color=COLORS["light"], label=weighted_label)
        shown_target = False
        for x, month in zip(xs, months, strict=True):
            if month[3] is None:
                continue
            axes.hlines(float(month[3]), x - 0.45, x + 0.45, colors=COLORS["target"],
                        linewidth=2.5, label="_" if shown_target else target_label)
            shown_target = True
        axes.set_xticks(xs, [m[0] for m in months])
        axes.yaxis.set_major_formatter(_axis_money(fmt))
        axes.set_title(title)
        axes.margins(y=0.15)
        axes.legend(fontsize=8, frameon=False, loc="upper center", ncols=3,
                    bbox_to_anchor=(0.5, -0.1))
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return figure

    return _render(draw)
