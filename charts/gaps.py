"""The gaps-by-city chart: ranked diverging margin bars coloured by status."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import FONT_FAMILY, STATUS_COLORS, STATUS_ORDER
from indicators.catalog import Indicator
from indicators.i18n import origin_label, status_label, t
from indicators.targets import COMPARATOR_SIGNS


def gap_bar_figure(gaps: pd.DataFrame, indicator: Indicator, lang: str, title: str, source_note: str) -> go.Figure:
    """Horizontal bars of margin per region, best at the top; regions without a margin are listed at the bottom."""
    df = gaps.copy()
    df["_has_margin"] = df["margin"].notna()
    df = df.sort_values(["_has_margin", "margin"], ascending=[True, True], na_position="first")
    unit = "" if indicator.unit in ("—", "") else indicator.unit
    fmt = indicator.format_value
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = df[df["status"] == status]
        if part.empty:
            continue
        labels = [f"{fmt(m)}" if pd.notna(m) else status_label(status, lang) for m in part["margin"]]
        hover = [
            f"{r.region_name}<br>{t('effective_target', lang)}: {_target_text(r, indicator)}"
            f"<br>{'实际值' if lang == 'zh' else 'Actual'}: {fmt(r.actual)} {unit}"
            f"<br>{t('target_origin', lang)}: {origin_label(r.target_origin, lang)}"
            for r in part.itertuples()
        ]
        fig.add_trace(
            go.Bar(
                x=part["margin"].fillna(0),
                y=part["region_name"],
                orientation="h",
                name=status_label(status, lang),
                marker_color=STATUS_COLORS[status],
                marker_line_color="#333333",
                marker_line_width=0.5,
                text=labels,
                textposition="outside",
                cliponaxis=False,
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.add_vline(x=0, line_width=1.5, line_color="#333333")
    height = max(360, 28 * len(df) + 160)
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13},
        barmode="overlay",
        height=height,
        margin={"l": 90, "r": 60, "t": 70, "b": 90},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top"},
        xaxis={
            "title": f"{t('margin_axis', lang)}{f' ({unit})' if unit else ''}",
            "zeroline": False,
            "gridcolor": "#EEEEEE",
        },
        yaxis={"categoryorder": "array", "categoryarray": list(df["region_name"]), "automargin": True},
        annotations=[
            {
                "text": source_note,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -75,
                "showarrow": False,
                "font": {"size": 10, "color": "#555555"},
                "xanchor": "left",
                "yanchor": "top",
            }
        ],
    )
    return fig


def _target_text(row, indicator: Indicator) -> str:
    if pd.isna(row.target):
        return status_label("pending_target", "zh") if row.status == "pending_target" else "—"
    sign = COMPARATOR_SIGNS.get(row.comparator, row.comparator or "")
    unit = "" if indicator.unit in ("—", "") else indicator.unit
    return f"{sign}{indicator.format_value(row.target)}{unit}"
