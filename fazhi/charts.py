"""Vega-Lite charts (Altair) of the warehouse figures, and writing them as PNG or SVG (vl-convert, offline)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import vl_convert

CHART_FORMATS = (".png", ".svg")


@dataclass(frozen=True)
class ChartStyle:
    """fazhi.toml [charts]."""

    width: int
    height: int
    png_scale: float
    font: str

    @classmethod
    def from_config(cls, section: dict[str, Any]) -> "ChartStyle":
        return cls(int(section["width"]), int(section["height"]), float(section["png_scale"]), str(section["font"]))


def styled(chart: alt.TopLevelMixin, style: ChartStyle) -> alt.TopLevelMixin:
    return chart.configure(font=style.font).configure_view(continuousWidth=style.width, discreteWidth=style.width,
                                                           continuousHeight=style.height)


def _title(label: str, unit: str | None, subtitle: str) -> alt.TitleParams:
    return alt.TitleParams(f"{label}（{unit}）" if unit else label, subtitle=subtitle, anchor="start")


def _year_axis() -> alt.X:
    """Years on a continuous axis (a year with no report shows as a gap, not as a neighbour), whole-year labels."""
    return alt.X("year:Q", title="年份", scale=alt.Scale(zero=False, nice=False),
                 axis=alt.Axis(format="d", tickMinStep=1, labelAngle=0))


def county_trend_chart(frame: pl.DataFrame, label: str, unit: str | None) -> alt.Chart:
    """Total per year (the median for a percentage), one line per county."""
    measure = "median" if unit == "%" else "total"
    data = frame.with_columns(pl.col("county").fill_null("（未注明县）"))
    subtitle = "各乡镇中位数" if measure == "median" else "全县合计"
    return alt.Chart(data, title=_title(label, unit, subtitle)).mark_line(point=True).encode(
        x=_year_axis(),
        y=alt.Y(f"{measure}:Q", title=subtitle),
        color=alt.Color("county:N", title="县"),
        tooltip=[alt.Tooltip("county:N", title="县"), alt.Tooltip("year:Q", title="年份", format="d"),
                 alt.Tooltip(f"{measure}:Q", title=subtitle),
                 alt.Tooltip("townships_reporting:Q", title="填报乡镇数")],
    )


def township_trend_chart(frame: pl.DataFrame, label: str, unit: str | None) -> alt.Chart:
    """The figure of each township per year, one line per township."""
    return alt.Chart(frame, title=_title(label, unit, "各乡镇")).mark_line(point=True).encode(
        x=_year_axis(),
        y=alt.Y("value:Q", title=label),
        color=alt.Color("township:N", title="乡镇"),
        tooltip=[alt.Tooltip("township:N", title="乡镇"), alt.Tooltip("year:Q", title="年份", format="d"),
                 alt.Tooltip("value:Q", title=label), alt.Tooltip("change:Q", title="较上年")],
    )


def save_chart(chart: alt.TopLevelMixin, path: Path, style: ChartStyle) -> Path:
    """Write the chart as PNG or SVG, chosen by the file's suffix; no network needed."""
    suffix = path.suffix.lower()
    if suffix not in CHART_FORMATS:
        raise ValueError(f"cannot write a chart to {path}: the file name must end in .png or .svg")
    spec = styled(chart, style).to_dict()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".png":
        path.write_bytes(vl_convert.vegalite_to_png(spec, scale=style.png_scale))
    else:
        path.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
    return path
