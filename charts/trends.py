"""年度趋势: actual YTD values by year and period, the effective-target step line per year, year-end projections."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.safe_text import for_plotly
from charts.style import FONT_FAMILY, add_source_note
from indicators.catalog import Indicator
from indicators.periods import ANNUAL, period_label
from ui.wording import t

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PROJECTION_GREY = "#666666"


def x_label(year: int, period: int, lang: str) -> str:
    """A point on the trend axis: 2024年1-6月 / 2024 Jan–Jun."""
    return t("year_period", lang, year=year, period=period_label(period, lang))


def region_colors(*name_lists) -> dict[str, str]:
    """One colour per region, in the order first named, so a region keeps its colour from chart to chart."""
    names = list(dict.fromkeys(n for names in name_lists for n in names))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _empty_projections() -> pd.DataFrame:
    return pd.DataFrame(columns=["region_name", "year", "period", "value", "basis_period", "basis_value", "ratio"])


def trend_figure(
    series: pd.DataFrame,
    targets: pd.DataFrame,
    indicator: Indicator,
    lang: str,
    title: str,
    projections: pd.DataFrame | None = None,
    source_note: str = "",
) -> go.Figure:
    """`series`: region_name, year, period, value; `targets`: region_name, year, target (one per region-year);
    `projections` (optional): indicators.projection.year_end_projections of the series, drawn dashed and hollow."""
    projections = _empty_projections() if projections is None else projections
    # Region names become legend entries, hover text and category keys: escaped once, here.
    series, targets, projections = (
        df.assign(region_name=df["region_name"].map(for_plotly)) for df in (series, targets, projections)
    )
    fig = go.Figure()
    series = series.sort_values(["year", "period"])
    fmt = f".{indicator.decimals}f"
    colors = region_colors(targets["region_name"], series["region_name"])
    for name, grp in series.groupby("region_name", sort=False):
        color = colors[name]
        x = [x_label(y, p, lang) for y, p in zip(grp["year"], grp["period"], strict=True)]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=grp["value"],
                mode="lines+markers",
                name=name,
                line={"color": color},
                hovertemplate=f"{name} %{{x}}: %{{y:{fmt}}}<extra></extra>",
            )
        )
        own = projections[projections["region_name"] == name]
        for rec in own.itertuples(index=False):
            _add_projection(fig, rec, name, color, indicator, lang)
        projected_x = {rec.year: x_label(rec.year, ANNUAL, lang) for rec in own.itertuples(index=False)}
        tgt = targets[(targets["region_name"] == name) & targets["target"].notna()]
        for rec in tgt.itertuples(index=False):
            xs = [xv for xv, y in zip(x, grp["year"], strict=True) if y == rec.year]
            if rec.year in projected_x:
                xs.append(projected_x[rec.year])  # the target runs on to the year end the projection reaches
            if xs:
                fig.add_trace(
                    go.Scatter(
                        x=[xs[0], xs[-1]],
                        y=[rec.target, rec.target],
                        mode="lines",
                        line={"color": color, "dash": "dash", "shape": "hv"},
                        showlegend=False,
                        name=f"{name} {t('target_word', lang)}",
                        hovertemplate=f"{t('hover_target', lang)} {rec.year}: %{{y:{fmt}}}<extra></extra>",
                    )
                )
    if not projections.empty:
        # One legend entry for every region's projection, in the style the projections are drawn in.
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines+markers",
                name=t("projection_label", lang),
                legendgroup="projection",
                line={"color": PROJECTION_GREY, "dash": "dot"},
                marker={"symbol": "circle-open", "size": 11, "color": PROJECTION_GREY},
            )
        )
    points = {(int(y), int(p)) for y, p in zip(series["year"], series["period"], strict=True)}
    points |= {(int(y), ANNUAL) for y in projections["year"]}
    unit = "" if indicator.unit in ("", "—") else f" ({indicator.unit})"
    fig.update_layout(
        title={"text": for_plotly(title), "x": 0.01},
        font={"family": FONT_FAMILY, "size": 13},
        height=480,
        plot_bgcolor="white",
        xaxis={"categoryorder": "array", "categoryarray": [x_label(y, p, lang) for y, p in sorted(points)]},
        yaxis={"title": for_plotly(indicator.name(lang) + unit), "gridcolor": "#EEEEEE"},
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 60, "b": 100},
    )
    add_source_note(fig, source_note, 100)
    return fig


def _add_projection(fig: go.Figure, rec, name: str, color: str, indicator: Indicator, lang: str) -> None:
    """A dotted segment from the latest actual to a hollow marker at the year end."""
    basis = x_label(rec.year, rec.basis_period, lang)
    hover = t(
        "projection_hover",
        lang,
        region=name,
        year=rec.year,
        value=indicator.format_value(rec.value),
        basis=basis,
        basis_value=indicator.format_value(rec.basis_value),
        ratio=f"{rec.ratio:.3f}",
    )
    end = x_label(rec.year, ANNUAL, lang)
    fig.add_trace(
        go.Scatter(
            x=[basis, end],
            y=[rec.basis_value, rec.value],
            mode="lines",
            legendgroup="projection",
            showlegend=False,
            line={"color": color, "dash": "dot"},
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[end],
            y=[rec.value],
            mode="markers",
            name=f"{name} {t('projection_short', lang)}",
            legendgroup="projection",
            showlegend=False,
            marker={"symbol": "circle-open", "size": 12, "color": color, "line": {"width": 2}},
            hovertemplate=hover + "<extra></extra>",
        )
    )


def trend_csv_table(series: pd.DataFrame, projections: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """The trend chart's data: actuals, then projections marked as such (value_type, note)."""
    actual = series.assign(value_type="actual", note="")
    if projections is None or projections.empty:
        return actual[["region_name", "year", "period", "value", "value_type", "note"]]
    notes = [
        t(
            "projection_note",
            lang,
            basis=x_label(r.year, r.basis_period, lang),
            full=x_label(r.year - 1, ANNUAL, lang),
            same=x_label(r.year - 1, r.basis_period, lang),
            ratio=f"{r.ratio:.4f}",
        )
        for r in projections.itertuples(index=False)
    ]
    projected = projections.assign(value_type="projection", note=notes)
    columns = ["region_name", "year", "period", "value", "value_type", "note"]
    return pd.concat([actual[columns], projected[columns]], ignore_index=True)
