"""The map of a province's city-level units, coloured by status (or by margin), from shipped boundaries.

No tile server (closed networks) and no plotly geo base map (plotly fetches its topojson from a CDN even when the
base map is hidden, and kaleido then fails): each unit is a filled path on plain axes, so the figure exports to PNG
through kaleido like every other chart. City names sit at label points computed when the
boundary file was built (inside each polygon).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from charts.safe_text import for_plotly
from charts.style import FONT_FAMILY, STATUS_COLORS, STATUS_ORDER, add_source_note
from charts.tables import yoy_text
from data_loaders.boundaries import Boundary
from indicators.catalog import Indicator
from indicators.regions import RegionIndex
from indicators.targets import COMPARATOR_SIGNS
from ui.wording import column_label, pick, status_label, t

DIVERGING = [[0.0, STATUS_COLORS["not_met"]], [0.5, "#F7F7F7"], [1.0, STATUS_COLORS["met"]]]


def map_frame(gaps: pd.DataFrame, units: list[Boundary], regions: RegionIndex, lang: str) -> pd.DataFrame:
    """One row per unit drawn: the gaps row for it (status no_data when it has none), its name and label point."""
    columns = ["actual", "target", "comparator", "margin", "status", "yoy_change", "yoy_unit"]
    rows = gaps.drop_duplicates("region_code").set_index("region_code") if not gaps.empty else pd.DataFrame()
    out = []
    for u in units:
        row = rows.loc[u.code] if u.code in rows.index else None
        values = {c: (row[c] if row is not None and c in row.index else None) for c in columns}
        if values["status"] is None or pd.isna(values["status"]):
            values["status"] = "no_data"
        out.append(
            {
                "region_code": u.code,
                "region_name": for_plotly(regions.name(u.code, lang)),
                "lon": u.label[0],
                "lat": u.label[1],
                **values,
            }
        )
    return pd.DataFrame(out)


def _hover(r, indicator: Indicator, lang: str) -> str:
    fmt = indicator.format_value
    unit = "" if indicator.unit in ("—", "") else f" {indicator.unit}"
    margin_unit = pick(" 百分点", " pp", lang) if indicator.unit == "%" else unit
    target = (
        f"{COMPARATOR_SIGNS.get(r.comparator, r.comparator or '')}{fmt(r.target)}{unit}" if pd.notna(r.target) else "—"
    )
    margin = f"{r.margin:+.{indicator.decimals}f}{margin_unit}" if pd.notna(r.margin) else "—"
    yoy = yoy_text(r.yoy_change, r.yoy_unit or "", indicator, lang)
    return (
        f"<b>{r.region_name}</b><br>{column_label('actual', lang)}: {fmt(r.actual)}{unit if pd.notna(r.actual) else ''}"
        f"<br>{column_label('target', lang)}: {target}<br>{column_label('margin', lang)}: {margin}"
        f"<br>{column_label('yoy', lang)}: {yoy}<br>{status_label(r.status, lang)}"
    )


def _paths(geometry: dict) -> tuple[list, list]:
    """The MultiPolygon's rings as one x/y path, rings separated by None (fill="toself" fills each)."""
    xs: list = []
    ys: list = []
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return xs, ys


def _area(geometry: dict) -> float:
    total = 0.0
    for polygon in geometry["coordinates"]:
        ring = polygon[0]
        total += abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))) / 2
    return total


def _blend(low: str, high: str, share: float) -> str:
    a = [int(low.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(high.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def _diverging(value: float, bound: float) -> str:
    share = max(-1.0, min(1.0, value / bound)) if bound else 0.0
    mid = DIVERGING[1][1]
    return _blend(mid, DIVERGING[2][1], share) if share >= 0 else _blend(mid, DIVERGING[0][1], -share)


def city_map_figure(
    gaps: pd.DataFrame,
    indicator: Indicator,
    units: list[Boundary],
    regions: RegionIndex,
    lang: str,
    title: str,
    source_note: str = "",
    color_by: str = "status",
    subtitle: str = "",
) -> go.Figure:
    """The units coloured by status (legend as the other charts) or by margin (diverging around 0), names on top.

    Plain cartesian traces, one filled path per unit (trace.meta = its region code), on axes scaled so that a
    degree of latitude is as long as it is on the ground: no geo base map, whose topojson plotly would fetch from
    the internet even when hidden."""
    df = map_frame(gaps, units, regions, lang)
    df["hover"] = [_hover(r, indicator, lang) for r in df.itertuples()]
    by_code = {u.code: u for u in units}
    bound = float(df["margin"].abs().max()) if color_by == "margin" and df["margin"].notna().any() else 0.0
    fig = go.Figure()
    legend_shown: set[str] = set()
    # Larger units first: an enclave (a 兵团 city inside a prefecture) is drawn over the one around it.
    for r in sorted(df.itertuples(), key=lambda r: -_area(by_code[r.region_code].geometry)):
        xs, ys = _paths(by_code[r.region_code].geometry)
        if color_by == "margin" and pd.notna(r.margin):
            key, color, name = "margin", _diverging(float(r.margin), bound or 1.0), column_label("margin", lang)
        else:
            key, color, name = r.status, STATUS_COLORS[r.status], status_label(r.status, lang)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=color,
                line={"color": "#555555", "width": 0.8},
                name=name,
                legendgroup=key,
                showlegend=key != "margin" and key not in legend_shown,
                legendrank=STATUS_ORDER.index(key) if key in STATUS_ORDER else 0,
                hoveron="fills",
                text=r.hover,
                hoverinfo="text",
                meta=r.region_code,
            )
        )
        legend_shown.add(key)
    if color_by == "margin" and bound:
        unit = t("margin_axis_points", lang) if indicator.unit == "%" else column_label("margin", lang)
        fig.add_trace(  # the colour bar: an invisible marker carrying the scale
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={
                    "color": [-bound, bound],
                    "colorscale": DIVERGING,
                    "cmin": -bound,
                    "cmax": bound,
                    "showscale": True,
                    "colorbar": {"title": {"text": for_plotly(unit)}, "len": 0.6, "thickness": 14},
                },
                showlegend=False,
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=df["lon"],
            y=df["lat"],
            text=df["region_name"],
            mode="text",
            textfont={"family": FONT_FAMILY, "size": 12, "color": "#111111"},
            hovertext=df["hover"],
            hoverinfo="text",
            showlegend=False,
            name="labels",
        )
    )
    heading = for_plotly(title) + (f"<br><sup>{for_plotly(subtitle)}</sup>" if subtitle else "")
    mid_lat = float(df["lat"].mean()) if not df.empty else 30.0
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        title={"text": heading, "x": 0.01, "font": {"size": 17}},
        font={"family": FONT_FAMILY, "size": 13},
        height=640,
        margin={"l": 10, "r": 10, "t": 70, "b": 60},
        paper_bgcolor="white",
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 0.0, "x": 0, "yanchor": "top"},
        xaxis=hidden,
        yaxis={**hidden, "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(mid_lat))},
        hoverlabel={"align": "left"},
    )
    note = " · ".join(x for x in (source_note, t("map_boundary_source", lang), t("map_schematic", lang)) if x)
    add_source_note(fig, note, 40)
    return fig
