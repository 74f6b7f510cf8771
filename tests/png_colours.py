"""How much of an exported chart each status colour covers: a PNG decoded and its pixels counted, to show that a
map draws its units in their statuses (not only that some picture came out)."""

from __future__ import annotations

import io

from charts.style import STATUS_COLORS

LEGEND_SWATCH_PX = 150  # a legend entry's colour swatch at scale 1 covers about 120 pixels
STATUS_RGB = {status: tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for status, c in STATUS_COLORS.items()}


def colour_areas(png: bytes) -> tuple[tuple[int, int], dict[str, int]]:
    """The PNG's size, and how many of its pixels are exactly each status colour."""
    from PIL import Image

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    counts = {rgb: n for n, rgb in image.getcolors(maxcolors=image.width * image.height)}
    return image.size, {status: counts.get(rgb, 0) for status, rgb in STATUS_RGB.items()}
