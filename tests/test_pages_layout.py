"""pages/ holds pages only: every file in it is an st.Page of app.py, and every st.Page of app.py is a file there.

Streamlit lists every file of pages/ as a page until a run reaches st.navigation, so a helper module left there
would show up under its file name; helpers live in ui/.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "pages"


def listed_pages() -> list[str]:
    """The paths app.py passes to st.Page, in its order."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def test_app_lists_pages():
    assert len(listed_pages()) >= 5


def test_every_listed_page_exists():
    for path in listed_pages():
        assert (ROOT / path).is_file(), path
        assert Path(path).parent == Path("pages"), path


def test_every_file_in_pages_is_a_listed_page():
    files = {f"pages/{p.name}" for p in PAGES.iterdir() if p.name != "__pycache__"}
    assert files == set(listed_pages()), f"not pages of app.py: {sorted(files - set(listed_pages()))}"


def test_nothing_imports_from_pages():
    for path in [ROOT / "app.py", *ROOT.glob("*/*.py"), *ROOT.glob("tests/*/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n == "pages" or n.startswith("pages.") for n in names), path


def test_every_page_first_makes_sure_it_runs_inside_app_py():
    for path in listed_pages():
        body = ast.parse((ROOT / path).read_text(encoding="utf-8")).body
        code = [node for node in body[1:] if not isinstance(node, ast.Import | ast.ImportFrom)]  # after the docstring
        assert ast.unparse(code[0]) == "ensure_routed()", path


def test_pages_stay_thin():
    for path in listed_pages():
        assert len((ROOT / path).read_text(encoding="utf-8").splitlines()) <= 120, path
