"""Small static SVG charts for the report: no JavaScript, no network, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 560, 220
PAD_L, PAD_R, PAD_T, PAD_B = 48, 16, 28, 36
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


def _fmt(v: float) -> str:
    return f"{v:.0%}" if 0 < abs(v) <= 1 and v != int(v) else f"{v:,.0f}"


def line_chart(
    title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]], percent: bool = False
) -> str:
    """A line chart of one or more series over runs; None values leave a gap."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top = 1.0 if percent else max([*values, 1.0]) * 1.1
    n = max(len(labels), 1)
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B

    def x(i: int) -> float:
        return PAD_L + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return PAD_T + plot_h * (1 - v / top)

    parts = [_frame(title)]
    for frac in (0, 0.5, 1):
        yy = PAD_T + plot_h * (1 - frac)
        tick = f"{frac:.0%}" if percent else _fmt(top * frac)
        parts.append(f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#eee"/>'
                     f'<text x="{PAD_L - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="10">{tick}</text>')
    for i in sorted({0, n // 2, n - 1}):
        if i < len(labels):
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - PAD_B + 14}" text-anchor="{anchor}" font-size="10">'
                         f"{escape(labels[i][:16])}</text>")
    for k, (name, vs) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline class="series" fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}"/>' for px, py in points]
        parts.append(f'<rect x="{PAD_L + 130 * k}" y="{HEIGHT - 14}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{PAD_L + 14 + 130 * k}" y="{HEIGHT - 5}" font-size="11">{escape(name)}</text>')
    return _close(parts)


def bar_chart(title: str, items: Sequence[tuple[str, float]]) -> str:
    """A horizontal bar chart, one bar per (label, value)."""
    items = list(items)[:12]
    height = PAD_T + 22 * max(len(items), 1) + 10
    top = max([v for _, v in items] + [1])
    left = 150
    parts = [_frame(title, height)]
    for i, (label, value) in enumerate(items):
        yy = PAD_T + 22 * i
        w = (WIDTH - left - 60) * value / top
        parts.append(f'<text x="{left - 6}" y="{yy + 13}" text-anchor="end" font-size="11">{escape(label[:24])}</text>'
                     f'<rect class="bar" x="{left}" y="{yy}" width="{w:.1f}" height="16" fill="{PALETTE[0]}"/>'
                     f'<text x="{left + w + 4:.1f}" y="{yy + 13}" font-size="11">{_fmt(value)}</text>')
    if not items:
        parts.append(f'<text x="{WIDTH / 2}" y="{PAD_T + 16}" text-anchor="middle" fill="#888">no data</text>')
    return _close(parts)


def _frame(title: str, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" aria-label="{escape(title)}">'
            f'<text x="{PAD_L}" y="16" font-size="13" font-weight="600">{escape(title)}</text>')


def _close(parts: list[str]) -> str:
    return "".join(parts) + "</svg>"
