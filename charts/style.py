"""Status colours (Okabe–Ito: distinguishable for colour-blind readers and in greyscale) and fonts."""

from charts.safe_text import for_plotly

STATUS_COLORS = {
    "met": "#0072B2",
    "on_track": "#56B4E9",
    "behind": "#E69F00",
    "not_met": "#D55E00",
    "pending_target": "#999999",
    "no_data": "#DDDDDD",
    # References (an ancestor's figure for the whole region): pale and hatched, so nobody takes them for a verdict.
    "reference_met": "#A9D3EC",
    "reference_not_met": "#F3C9A9",
    "no_target": "#EEEEEE",
}
STATUS_ORDER = [
    "met",
    "on_track",
    "behind",
    "not_met",
    "reference_met",
    "reference_not_met",
    "pending_target",
    "no_target",
    "no_data",
]
HATCHED = {"reference_met": "/", "reference_not_met": "/"}  # plotly bar pattern shapes
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, sans-serif"


def add_source_note(fig, text: str, margin_bottom: int) -> None:
    """The source note under a chart, so that an exported PNG says where its numbers come from (plain text: it
    names issuers as people typed them)."""
    if not text:
        return
    fig.update_layout(margin={"b": margin_bottom + 30})
    fig.add_annotation(
        text=for_plotly(text),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(margin_bottom + 5),
        showarrow=False,
        font={"size": 10, "color": "#555555"},
        xanchor="left",
        yanchor="top",
    )


def tint(hex_color: str, white_share: float = 0.6) -> str:
    """The colour mixed with white (RRGGBB, no '#'): a cell fill light enough for black text on top."""
    rgb = [int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(c + (255 - c) * white_share):02X}" for c in rgb)


STATUS_TINTS = {status: tint(color) for status, color in STATUS_COLORS.items()}
