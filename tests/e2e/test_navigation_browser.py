"""What a freshly opened tab of a newly started server shows in its sidebar navigation: the app's page titles from
the first frame on — never the files of pages/ that Streamlit lists on its own before app.py has run."""

from __future__ import annotations

import time

from tests.e2e.conftest import running_app
from ui.wording import t

PAGE_KEYS = ("page_gaps", "page_overview", "page_trends", "page_map", "page_briefing", "page_upload", "page_catalog")
TITLES = {t(key, lang) for key in PAGE_KEYS for lang in ("zh", "en")}
SAMPLE_EVERY = 0.15  # seconds
WATCH = 10.0  # seconds

# Link texts of the sidebar without their Material icon (drawn as a ligature word such as "bar_chart").
LINK_TEXTS = """() => Array.from(document.querySelectorAll('[data-testid="stSidebar"] a')).map(a => {
    const c = a.cloneNode(true);
    c.querySelectorAll('[data-testid="stIconMaterial"], [data-testid="stIconEmoji"]').forEach(i => i.remove());
    return c.textContent.trim();
})"""

# Samples every 150 ms can miss a list drawn and replaced in between: a mutation observer, installed before the
# page's own scripts, also notes every link text the sidebar ever held.
RECORD_EVERY_LINK = (
    "window.__seen = new Set();"
    "const linkTexts = " + LINK_TEXTS + ";"
    "new MutationObserver(() => linkTexts().forEach(x => window.__seen.add(x)))"
    ".observe(document, {subtree: true, childList: true, characterData: true});"
)


def test_a_fresh_tab_of_a_cold_server_lists_only_the_page_titles(page, tmp_path):
    page.add_init_script(RECORD_EVERY_LINK)
    with running_app(tmp_path) as url:
        page.goto(url, wait_until="commit")
        sampled: list[list[str]] = []
        end = time.monotonic() + WATCH
        while time.monotonic() < end:
            sampled.append(page.evaluate(LINK_TEXTS))
            page.wait_for_timeout(SAMPLE_EVERY * 1000)
        observed = set(page.evaluate("() => Array.from(window.__seen)"))
    seen = {text for sample in sampled for text in sample} | observed
    assert seen - TITLES == set(), f"the sidebar listed {sorted(seen - TITLES)} (not page titles)"
    final = set(sampled[-1])
    assert {t(key, "zh") for key in PAGE_KEYS if key != "page_upload"} == final, sampled[-1]  # nobody signed in


def test_a_page_address_opened_first_on_a_cold_server_draws_the_app(page, tmp_path):
    """Streamlit runs pages/trends.py on its own for a cold server's first visitor of /trends: the page must
    still come with app.py's sidebar (its settings, its navigation) and no error."""
    with running_app(tmp_path) as url:
        page.goto(f"{url}/trends")
        page.get_by_role("heading", name=t("page_trends", "zh"), exact=True).wait_for(timeout=60_000)
        page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        sidebar = page.locator('[data-testid="stSidebar"]')
        for key in ("sidebar_year", "sidebar_period", "sidebar_province"):
            assert sidebar.get_by_text(t(key, "zh"), exact=True).is_visible(), key
        links = set(page.evaluate(LINK_TEXTS))
        assert {t(key, "zh") for key in PAGE_KEYS if key != "page_upload"} == links, links  # nobody signed in
        assert page.get_by_role("heading", name=t("page_trends", "zh"), exact=True).count() == 1  # drawn once
