"""The app's page list drawn by the app itself, and every page's way back to app.py.

Streamlit's own navigation menu is off (`client.showSidebarNavigation = false` in .streamlit/config.toml, and
app.py calls `st.navigation(pages, position="hidden")`): until a script run reaches `st.navigation`, Streamlit
would list every file of pages/ under its file name in a freshly opened tab. The sidebar shows `sidebar_links`
instead, drawn by app.py from the same `st.Page` entries, so only page titles ever appear.
"""

from __future__ import annotations

import runpy
import threading
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parent.parent / "app.py"

_routing = threading.local()  # each script run has its own thread: `active` while app.py runs the page


def sidebar_links(pages: list) -> None:
    """One link per page, with its title and icon, in the order app.py lists them (call after st.navigation)."""
    for page in pages:
        st.page_link(page)


def run_page(page) -> None:
    """Run the page st.navigation chose, marked as routed through app.py (see ensure_routed)."""
    _routing.active = True
    try:
        page.run()
    finally:
        _routing.active = False


def ensure_routed() -> None:
    """Make sure the page runs inside app.py; every page calls this first.

    Streamlit 1.67 still has its first multipage mode: a server that has not yet run `st.navigation` treats each
    file in pages/ as a page of its own. When the first visitor of a newly started server opens a page address
    (…/trends), or a test switches to a page, Streamlit runs pages/trends.py alone — without app.py's page config,
    sidebar, session defaults and error guard. Then this runs app.py instead, whose `st.navigation` picks the same
    page from the address and runs it inside the app, and stops the page's own run. Streamlit's internals are left
    as they are.
    """
    if getattr(_routing, "active", False):
        return
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()
