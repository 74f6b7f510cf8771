"""The overview scorecard: regions × indicators, each cell coloured by status with value and margin."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.safe_text import for_plotly
from charts.style import FONT_FAMILY, STATUS_COLORS, STATUS_ORDER, add_source_note
from indicators.catalog import Catalog
from indicators.targets import COMPARATOR_SIGNS
from ui.wording import status_label, t


def scorecard_columns(gaps: pd.DataFrame) -> list[str]:
    """Indicators worth a column: some region reported a value for them."""
    shown = gaps[gaps["actual"].notna()]
    return list(dict.fromkeys(shown["indicator_code"]))


def scorecard_figure(
    gaps: pd.DataFrame, catalog: Catalog, region_order: list[str], lang: str, title: str, source_note: str = ""
) -> go.Figure:
    """A heatmap whose colour is the status (Okabe–Ito), with the value and margin written in each cell."""
    codes = scorecard_columns(gaps)
    index = {s: i for i, s in enumerate(STATUS_ORDER)}
    cells = gaps.set_index(["region_code", "indicator_code"])
    names = dict(zip(gaps["region_code"], gaps["region_name"].map(for_plotly), strict=True))
    z, text, hover = [], [], []
    for reg in region_order:
        zr, tr, hr = [], [], []
        for code in codes:
            ind = catalog[code]
            row = cells.loc[(reg, code)]
            zr.append(index[row["status"]])
            value = ind.format_value(row["actual"])
            if row.get("value_source") == "approximate":
                value = "≈" + value  # aggregated without every child's numerator and denominator
            margin = "" if pd.isna(row["margin"]) else f"<br>{row['margin']:+.{ind.decimals}f}"
            tr.append(f"{value}{margin}")
            target = (
                "—"
                if pd.isna(row["target"])
                else f"{COMPARATOR_SIGNS.get(row['comparator'], '')}{ind.format_value(row['target'])}"
            )
            hr.append(
                f"{names[reg]} · {for_plotly(ind.name(lang))}<br>{status_label(row['status'], lang)}<br>"
                f"{t('hover_target', lang)}: {target} {for_plotly(ind.unit)}"
            )
        z.append(zr)
        text.append(tr)
        hover.append(hr)
    n = len(STATUS_ORDER)
    colorscale = []
    for i, status in enumerate(STATUS_ORDER):
        colorscale += [[i / n, STATUS_COLORS[status]], [(i + 1) / n, STATUS_COLORS[status]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[for_plotly(catalog[c].name(lang)) for c in codes],
            y=[names[r] for r in region_order],
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=colorscale,
            zmin=-0.5 + 0.5,
            zmax=n,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    # Status legend as empty scatter traces, so the meaning of each colour is printed on the image.
    for status in STATUS_ORDER:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=status_label(status, lang),
                marker={"size": 12, "color": STATUS_COLORS[status], "symbol": "square"},
            )
        )
    # Below the plot: the slanted indicator names (≈170 px), the legend (up to five rows), then the source note.
    labels_px, legend_px, top = 170, 110, 60
    plot_px = max(200, 34 * len(region_order))
    fig.update_layout(
        title={"text": for_plotly(title), "x": 0.01},
        font={"family": FONT_FAMILY, "size": 12},
        height=top + plot_px + labels_px + legend_px,
        margin={"l": 150, "r": 20, "t": top, "b": labels_px + legend_px},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -labels_px / plot_px, "x": 0, "yanchor": "top"},
        xaxis={"side": "bottom", "tickangle": -25},
        yaxis={"autorange": "reversed"},
    )
    add_source_note(fig, source_note, labels_px + legend_px)
    return fig
