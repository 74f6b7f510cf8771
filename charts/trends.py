"""年度趋势: actual YTD values by year and period, with the effective-target step line per year."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import FONT_FAMILY
from indicators.catalog import Indicator
from indicators.periods import period_label

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def trend_figure(series: pd.DataFrame, targets: pd.DataFrame, indicator: Indicator, lang: str, title: str) -> go.Figure:
    """`series`: region_name, year, period, value; `targets`: region_name, year, target (one per region-year)."""
    fig = go.Figure()
    series = series.sort_values(["year", "period"])
    for i, (name, grp) in enumerate(series.groupby("region_name", sort=False)):
        color = PALETTE[i % len(PALETTE)]
        x = [
            f"{y}年{period_label(p, lang)}" if lang == "zh" else f"{y} {period_label(p, lang)}"
            for y, p in zip(grp["year"], grp["period"], strict=True)
        ]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=grp["value"],
                mode="lines+markers",
                name=name,
                line={"color": color},
                hovertemplate=f"{name} %{{x}}: %{{y:.{indicator.decimals}f}}<extra></extra>",
            )
        )
        tgt = targets[(targets["region_name"] == name) & targets["target"].notna()]
        for rec in tgt.itertuples(index=False):
            xs = [xv for xv, y in zip(x, grp["year"], strict=True) if y == rec.year]
            if xs:
                fig.add_trace(
                    go.Scatter(
                        x=[xs[0], xs[-1]],
                        y=[rec.target, rec.target],
                        mode="lines",
                        line={"color": color, "dash": "dash", "shape": "hv"},
                        showlegend=False,
                        name=f"{name} {'目标' if lang == 'zh' else 'target'}",
                        hovertemplate=f"{'目标' if lang == 'zh' else 'Target'} {rec.year}: "
                        f"%{{y:.{indicator.decimals}f}}<extra></extra>",
                    )
                )
    unit = "" if indicator.unit in ("", "—") else f" ({indicator.unit})"
    fig.update_layout(
        title={"text": title, "x": 0.01},
        font={"family": FONT_FAMILY, "size": 13},
        height=480,
        plot_bgcolor="white",
        yaxis={"title": indicator.name(lang) + unit, "gridcolor": "#EEEEEE"},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 60, "b": 100},
    )
    return fig
