"""Faults on the page: the app's own message in Chinese and English (never Streamlit's error box), and cached charts
that say how old they are while the database is down."""

from __future__ import annotations

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from data_loaders.faults import UNREACHABLE, Fault, classify, ping

log = logging.getLogger(__name__)

# Session-state keys.
DB_FAULT = "db_fault"  # what this run's ping found: a Fault, or None when the database answered
STALE_NOTED = "db_stale_noted"  # the "data as of" captions already drawn in this run

_KEEP = 256  # last good results kept per process (a gap table is a few kB)


def show(found: Fault) -> None:
    """The fault's message, Chinese first, English below."""
    st.error(f"{found.zh}\n\n{found.en}", icon=":material/error:")


def report(exc: BaseException, doing: str) -> Fault:
    """Log the exception with what was being done; return the fault to show."""
    found = classify(exc)
    log.error("%s failed (%s)", doing, found.kind, exc_info=exc)
    return found


def text_of(found: Fault) -> str:
    """The fault's message as one Markdown text (for messages kept and drawn later)."""
    return f"{found.zh}\n\n{found.en}"


@contextmanager
def guarded(doing: str, expected: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """Run a read or a write; on any exception log it, show the app's message and stop drawing the page.

    `expected` exceptions (a refusal the caller words itself) pass through, as do Streamlit's own stop and rerun
    signals, which are BaseExceptions.
    """
    try:
        yield
    except expected:
        raise
    except Exception as exc:
        show(report(exc, doing))
        st.stop()


def begin_run(open_engine: Callable[[], Engine]) -> Fault | None:
    """Ask the database whether it answers, once per run, so charts served from cache can say they are old."""
    try:
        found = ping(open_engine())
    except Exception as exc:  # the engine could not even be opened (first start with the server down)
        found = report(exc, "opening the database")
    st.session_state[DB_FAULT] = found
    st.session_state[STALE_NOTED] = set()
    return found


@dataclass(frozen=True)
class Stamped:
    """A read's result and when it was read."""

    value: Any
    at: datetime


def stamped(read: Callable) -> Callable:
    """`read` returning Stamped(result, now): put under st.cache_data so every cached result keeps its time."""

    @functools.wraps(read)
    def wrapper(*args, **kwargs) -> Stamped:
        return Stamped(read(*args, **kwargs), datetime.now())

    return wrapper


class _LastGood:
    """The newest result of each read, kept beyond the cache's ttl for when the database is down."""

    def __init__(self) -> None:
        self.lock, self.items = threading.Lock(), OrderedDict()

    def get(self, key) -> Stamped | None:
        with self.lock:
            return self.items.get(key)

    def put(self, key, value: Stamped) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > _KEEP:
                self.items.popitem(last=False)


@st.cache_resource
def _last_good() -> _LastGood:
    return _LastGood()


def stale_caption(at: datetime, found: Fault) -> str:
    """数据截至 HH:MM（数据库暂时无法连接）/ Data as of HH:MM (database unreachable); the date too when not today."""
    when = at.strftime("%H:%M") if at.date() == datetime.now().date() else at.strftime("%Y-%m-%d %H:%M")
    if found.kind == UNREACHABLE:
        why_zh, why_en = "数据库暂时无法连接", "database unreachable"
    else:
        why_zh, why_en = "数据库暂时无法访问", "database unavailable"
    return f"数据截至 {when}（{why_zh}）/ Data as of {when} ({why_en})"


def _note_stale(at: datetime, found: Fault) -> None:
    caption = stale_caption(at, found)
    noted = st.session_state.setdefault(STALE_NOTED, set())
    if caption not in noted:  # one caption per age, however many charts share it
        noted.add(caption)
        st.caption(f":material/history: {caption}")


def note_if_down(at: datetime) -> None:
    """A view built from earlier reads and shown while the database is down says how old its data is."""
    down = st.session_state.get(DB_FAULT)
    if down is not None:
        _note_stale(at, down)


def last_good(cached: Callable[..., Stamped] | None = None, *, caption: bool = True):
    """Wrap a st.cache_data read of `stamped` results: the result, or — when the database is down and this read
    succeeded before — the last good result, with a "data as of" caption (unless caption=False)."""

    def decorate(cached: Callable[..., Stamped]) -> Callable:
        name = f"{cached.__module__}.{cached.__qualname__}"

        @functools.wraps(cached)
        def read(*args):
            key = (name, args)
            try:
                got = cached(*args)
            except Exception as exc:
                kept = _last_good().get(key)
                found = classify(exc)
                if kept is None or not found.is_database:
                    raise
                log.warning("%s served from the result of %s: %s (%s)", name, kept.at, found.kind, exc)
                if caption:
                    _note_stale(kept.at, found)
                return kept.value
            _last_good().put(key, got)
            down = st.session_state.get(DB_FAULT)
            if down is not None and caption:  # a cache hit while the database is down: say how old it is
                _note_stale(got.at, down)
            return got.value

        read.clear = cached.clear
        return read

    return decorate(cached) if cached is not None else decorate
