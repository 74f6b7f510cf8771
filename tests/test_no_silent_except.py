"""No failure is swallowed quietly: every broad handler (`except Exception`, `except BaseException`, bare `except`)
in the program re-raises, logs, or hands the failure on as a problem the caller sees."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BROAD = {"Exception", "BaseException"}
LOGGERS = {"log", "logger", "logging"}
# A call that records the failure as data: Problem(...), problems.append(...), self.errors.append(...), fault(...).
RECORDERS = ("problem", "fault", "error")


def program_files() -> list[Path]:
    """Every Python file of the program: not the tests, not virtual environments or other hidden folders."""
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] == "tests" or any(p.startswith(".") or p in ("venv", "node_modules") for p in parts):
            continue
        files.append(path)
    return files


def _is_broad(kind: ast.expr | None) -> bool:
    if kind is None:
        return True
    if isinstance(kind, ast.Tuple):
        return any(_is_broad(k) for k in kind.elts)
    name = kind.id if isinstance(kind, ast.Name) else kind.attr if isinstance(kind, ast.Attribute) else ""
    return name in BROAD


def _dotted(func: ast.expr) -> list[str]:
    names = []
    while isinstance(func, ast.Attribute):
        names.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        names.append(func.id)
    return names[::-1]


def _speaks(handler: ast.ExceptHandler) -> bool:
    """Re-raises, logs (log.*, logger.*, logging.*), uses the caught exception, or records a problem."""
    for node in (n for stmt in handler.body for n in ast.walk(stmt)):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Name) and handler.name and node.id == handler.name:
            return True  # handed on: returned, recorded, reported, classified
        if isinstance(node, ast.Call):
            names = _dotted(node.func)
            if len(names) > 1 and names[0] in LOGGERS:
                return True
            if any(word in name.lower() for name in names for word in RECORDERS):
                return True
    return False


def silent_handlers(source: str, filename: str = "<string>") -> list[int]:
    """Line numbers of the broad handlers in `source` that neither raise, log nor record the failure."""
    tree = ast.parse(source, filename)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and _is_broad(node.type) and not _speaks(node)
    ]


@pytest.mark.parametrize(
    "body, silent",
    [
        ("except Exception:\n    pass", True),
        ("except:\n    return None", True),
        ("except BaseException:\n    return ()", True),
        ("except (ValueError, Exception) as exc:\n    x = 1", True),
        ("except ValueError:\n    pass", False),  # a narrow handler says what it expects
        ("except Exception:\n    raise", False),
        ("except Exception as exc:\n    raise Other() from exc", False),
        ("except Exception:\n    log.warning('merges unreadable')\n    return ()", False),
        ("except Exception:\n    logger.exception('failed')", False),
        ("except Exception as exc:\n    found = classify(exc)", False),
        ("except Exception:\n    problems.append(Problem('x'))", False),
    ],
)
def test_the_rule(body, silent):
    source = "def f():\n    try:\n        g()\n    " + body.replace("\n", "\n    ") + "\n"
    assert bool(silent_handlers(source)) == silent


def test_the_program_has_files_to_check():
    names = {p.relative_to(ROOT).as_posix() for p in program_files()}
    assert {"app.py", "cli.py", "data_loaders/workbook.py", "ui/faults.py"} <= names
    assert not any(n.startswith(("tests/", ".venv/")) for n in names)


def test_no_broad_except_swallows_a_failure():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in program_files()
        for line in silent_handlers(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not found, "broad except that neither raises, logs nor records the failure:\n" + "\n".join(found)


@pytest.fixture
def root_logger():
    """The root logger as it was before the test, restored after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def test_logging_is_configured_once_at_the_declared_level(root_logger, monkeypatch, capsys):
    from data_loaders.settings import SETTINGS, configure_logging

    assert next(s for s in SETTINGS if s.name == "ENV_DASHBOARD_LOG_LEVEL").default == "INFO"
    monkeypatch.setenv("ENV_DASHBOARD_LOG_LEVEL", "warning")
    for _ in range(3):  # Streamlit runs app.py again on every click
        configure_logging()
    ours = [h for h in root_logger.handlers if type(h).__name__ == "_StderrHandler"]
    assert len(ours) == 1 and root_logger.level == logging.WARNING
    logging.getLogger("data_loaders.test").info("not shown")
    logging.getLogger("data_loaders.test").warning("shown once")
    err = capsys.readouterr().err  # the handler writes to the stderr of the moment (pytest swapped it)
    assert err.count("shown once") == 1 and "not shown" not in err
    monkeypatch.setenv("ENV_DASHBOARD_LOG_LEVEL", "DEBUG")
    configure_logging()
    assert root_logger.level == logging.DEBUG


def test_an_unknown_log_level_falls_back_to_info_and_says_so(root_logger, monkeypatch, capsys):
    from data_loaders.settings import configure_logging

    root_logger.handlers[:] = [h for h in root_logger.handlers if type(h).__name__ != "_StderrHandler"]
    monkeypatch.setenv("ENV_DASHBOARD_LOG_LEVEL", "loud")
    configure_logging()
    assert root_logger.level == logging.INFO
    assert "ENV_DASHBOARD_LOG_LEVEL='loud'" in capsys.readouterr().err
