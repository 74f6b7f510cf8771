"""The gaps-by-city chart: ranked diverging margin bars coloured by status."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.safe_text import for_plotly
from charts.style import FONT_FAMILY, HATCHED, STATUS_COLORS, STATUS_ORDER, add_source_note
from charts.tables import yoy_text
from indicators.catalog import Indicator
from indicators.targets import COMPARATOR_SIGNS
from ui.wording import column_label, origin_label, status_label, t


def ranked(gaps: pd.DataFrame, rank_by: str = "margin") -> pd.DataFrame:
    """Regions in chart order (plotly draws the first row at the bottom): worst first, no margin before that;
    region names escaped for plotly (they become tick labels, hover and category keys)."""
    df = gaps.copy()
    df["region_name"] = df["region_name"].map(for_plotly)
    df["_has_margin"] = df[rank_by].notna()
    return df.sort_values(["_has_margin", rank_by], ascending=[True, True], na_position="first")


def gap_bar_figure(
    gaps: pd.DataFrame,
    indicator: Indicator,
    lang: str,
    title: str,
    source_note: str,
    rank_by: str = "margin",
    subtitle: str = "",
) -> go.Figure:
    """Horizontal bars of margin (or margin % of target) per region, best at the top; no margin at the bottom."""
    df = ranked(gaps, rank_by)
    as_pct = rank_by == "margin_pct"
    if as_pct:
        df["margin"] = df["margin_pct"] * 100
    unit = "" if indicator.unit in ("—", "") else indicator.unit
    fmt = indicator.format_value
    fig = go.Figure()
    for status in STATUS_ORDER:
        part = df[df["status"] == status]
        if part.empty:
            continue
        labels = [
            (f"{m:+.1f}%" if as_pct else fmt(m)) if pd.notna(m) else status_label(status, lang) for m in part["margin"]
        ]
        hover = [
            f"{r.region_name}<br>{t('effective_target', lang)}: {_target_text(r, indicator)}"
            f"<br>{t('hover_actual', lang)}: {fmt(r.actual)} {unit}"
            f"<br>{t('target_origin', lang)}: {origin_label(r.target_origin, lang)}"
            f"<br>{status_label(status, lang)}"
            + (
                f"<br>{column_label('yoy', lang)}: {yoy_text(r.yoy_change, r.yoy_unit, indicator, lang)}"
                if "yoy_change" in df
                else ""
            )
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
                marker_pattern_shape=HATCHED.get(status, ""),
                marker_pattern_fgcolor="#777777",
                marker_pattern_fillmode="overlay",  # the pale status colour under the hatching
                text=labels,
                textposition="outside",
                cliponaxis=False,
                hovertext=hover,
                hoverinfo="text",
            )
        )
    fig.add_vline(x=0, line_width=1.5, line_color="#333333")
    if as_pct:
        x_title = t("margin_pct_axis", lang)
    elif indicator.unit == "%":  # a difference of two percentages is in percentage points
        x_title = t("margin_axis_points", lang)
    else:
        x_title = f"{t('margin_axis', lang)}{f' ({unit})' if unit else ''}"
    _city_layout(
        fig, df, title, subtitle, source_note, {"title": for_plotly(x_title), "zeroline": False}, barmode="overlay"
    )
    return fig


def _target_text(row, indicator: Indicator) -> str:
    if pd.isna(row.target):
        return status_label("pending_target", "zh") if row.status == "pending_target" else "—"
    sign = COMPARATOR_SIGNS.get(row.comparator, row.comparator or "")
    unit = "" if indicator.unit in ("—", "") else indicator.unit
    return f"{sign}{indicator.format_value(row.target)}{unit}"


def actual_vs_target_figure(
    gaps: pd.DataFrame, indicator: Indicator, lang: str, title: str, source_note: str, subtitle: str = ""
) -> go.Figure:
    """Per region: the actual as a dot coloured by status, the effective target as a tick, a line between them."""
    df = ranked(gaps)
    fmt = indicator.format_value
    fig = go.Figure()
    for r in df.itertuples():
        if pd.notna(r.actual) and pd.notna(r.target):
            fig.add_trace(
                go.Scatter(
                    x=[r.target, r.actual],
                    y=[r.region_name] * 2,
                    mode="lines",
                    line={"color": "#BBBBBB", "width": 3},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    has_target = df[df["target"].notna()]
    fig.add_trace(
        go.Scatter(
            x=has_target["target"],
            y=has_target["region_name"],
            mode="markers",
            name=t("effective_target", lang),
            marker={"symbol": "line-ns-open", "size": 18, "color": "#333333", "line": {"width": 3, "color": "#333333"}},
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    for status in STATUS_ORDER:
        part = df[(df["status"] == status) & df["actual"].notna()]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["actual"],
                y=part["region_name"],
                mode="markers+text",
                name=status_label(status, lang),
                text=[fmt(v) for v in part["actual"]],
                textposition="middle right",
                marker={"size": 11, "color": STATUS_COLORS[status]},
                hovertemplate="%{y}: %{x}<extra></extra>",
            )
        )
    unit = "" if indicator.unit in ("—", "") else f" ({indicator.unit})"
    _city_layout(fig, df, title, subtitle, source_note, {"title": for_plotly(indicator.name(lang) + unit)})
    return fig


def _city_layout(
    fig: go.Figure, df: pd.DataFrame, title: str, subtitle: str, source_note: str, xaxis: dict, **layout
) -> None:
    """The layout both city charts share: one row per city in `df` order, legend and source note below.
    `title` and `subtitle` are plain text; the only markup is the one that sets the subtitle under the title."""
    heading = for_plotly(title) + (f"<br><sup>{for_plotly(subtitle)}</sup>" if subtitle else "")
    fig.update_layout(
        title={"text": heading, "x": 0.01, "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13},
        height=max(360, 28 * len(df) + 160),
        margin={"l": 90, "r": 60, "t": 70, "b": 90},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top"},
        xaxis={"gridcolor": "#EEEEEE", **xaxis},
        yaxis={"categoryorder": "array", "categoryarray": list(df["region_name"]), "automargin": True},
        **layout,
    )
    add_source_note(fig, source_note, 70)
