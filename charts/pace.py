"""序时进度 chart for count indicators: cumulative actual by period against target × period / 12, per region."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.safe_text import for_plotly
from charts.style import FONT_FAMILY, add_source_note
from charts.trends import region_colors
from indicators.catalog import Indicator
from indicators.periods import period_label
from ui.wording import t


def pace_figure(table: pd.DataFrame, indicator: Indicator, lang: str, title: str, source_note: str = "") -> go.Figure:
    """`table`: indicators.pace.pace_table. Actuals solid, each region's 序时进度 dashed in the same colour."""
    fig = go.Figure()
    table = table.assign(region_name=table["region_name"].map(for_plotly))  # legend, hover and note text
    unit = "" if indicator.unit in ("", "—") else for_plotly(indicator.unit)
    fmt = f".{indicator.decimals}f"
    periods = sorted(table["period"].unique())
    colon = t("colon", lang)
    without_target = []
    colors = region_colors(table["region_name"])
    for name, grp in table.groupby("region_name", sort=False):
        color = colors[name]
        grp = grp.sort_values("period")
        x = [period_label(int(p), lang) for p in grp["period"]]
        has_actual = grp["actual"].notna()
        if has_actual.any():
            pace_text = ["—" if pd.isna(p) else f"{p:.0%}" for p in grp["pace"]]
            fig.add_trace(
                go.Scatter(
                    x=[xv for xv, ok in zip(x, has_actual, strict=True) if ok],
                    y=grp["actual"][has_actual],
                    customdata=[pt for pt, ok in zip(pace_text, has_actual, strict=True) if ok],
                    mode="lines+markers",
                    name=f"{name} {t('pace_actual', lang)}",
                    line={"color": color},
                    hovertemplate=f"{name} %{{x}}{colon}%{{y:{fmt}}}{unit}<br>{t('pace_share', lang)} %{{customdata}}"
                    "<extra></extra>",
                )
            )
        if grp["expected"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=grp["expected"],
                    mode="lines",
                    name=f"{name} {t('pace_line', lang)}",
                    line={"color": color, "dash": "dash"},
                    hovertemplate=f"{name} %{{x}} {t('pace_line', lang)}{colon}%{{y:{fmt}}}{unit}<extra></extra>",
                )
            )
        else:
            without_target.append(name)
    if without_target:
        sep = t("names_sep", lang)
        fig.add_annotation(
            text=t("pace_no_target", lang, names=sep.join(without_target)),
            xref="paper",
            yref="paper",
            x=0,
            y=1.02,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 12, "color": "#555555"},
        )
    y_unit = f" ({unit})" if unit else ""
    fig.update_layout(
        title={"text": for_plotly(title), "x": 0.01},
        font={"family": FONT_FAMILY, "size": 13},
        height=440,
        plot_bgcolor="white",
        xaxis={"categoryorder": "array", "categoryarray": [period_label(int(p), lang) for p in periods]},
        yaxis={"title": t("pace_axis", lang) + y_unit, "gridcolor": "#EEEEEE", "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 80, "b": 100},
    )
    add_source_note(fig, source_note, 100)
    return fig
