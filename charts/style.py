"""Status colours (Okabe–Ito: distinguishable for colour-blind readers and in greyscale) and fonts."""

STATUS_COLORS = {
    "met": "#0072B2",
    "on_track": "#56B4E9",
    "behind": "#E69F00",
    "not_met": "#D55E00",
    "pending_target": "#999999",
    "no_data": "#DDDDDD",
}
STATUS_ORDER = ["met", "on_track", "behind", "not_met", "pending_target", "no_data"]
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, sans-serif"
