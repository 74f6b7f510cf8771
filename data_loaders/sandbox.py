"""Running a parser in a child process with memory and time limits, so that a hostile workbook can only kill
the child: calamine aborts the whole process when an allocation fails, which no `except` can catch.

Children come from a forkserver started once per process with the readers preloaded: a Streamlit server has
several threads, and `fork` from one of them copies locks another thread may hold (logging, imports, allocator
state) into a child that can then hang; the forkserver itself is single-threaded. Each child gets the caller's
current environment and working directory, so settings changed after the forkserver started still apply."""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from data_loaders.workbook import UnreadableWorkbook

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
_PRELOAD = [
    "__main__",
    "data_loaders.sandbox",
    "data_loaders.pipeline",
    "data_loaders.workbook",
    "python_calamine",
    "pandas",
]


@lru_cache(maxsize=1)
def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def run_isolated(
    fn: Callable[..., Any],
    /,
    *args: Any,
    progress: Progress | None = None,
    memory_bytes: int,
    seconds: float,
    **kwargs: Any,
) -> Any:
    """fn(*args, **kwargs) run in a child process limited to `memory_bytes` of address space and `seconds` of wall
    time; its result, or its UnreadableWorkbook re-raised. The child's death (signal, MemoryError, time out, any
    other exception) becomes UnreadableWorkbook; the caller's process is never harmed. `progress(stage, done,
    total)` calls made in the child are relayed to `progress` in the calling thread. `fn` must be a module-level
    function and its arguments and result picklable."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    fd, stderr_path = tempfile.mkstemp(prefix="parse-", suffix=".log")
    os.close(fd)
    child = ctx.Process(
        target=_child,
        args=(send, fn, args, kwargs, progress is not None, memory_bytes, dict(os.environ), os.getcwd(), stderr_path),
        daemon=True,
    )
    deadline = time.monotonic() + seconds
    try:
        child.start()
        send.close()  # the child holds the only write end now: its death reads as EOF
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not receive.poll(left):
                raise _limit_exceeded(f"no result within {seconds:g} s")
            try:
                kind, *payload = receive.recv()
            except (EOFError, OSError):
                child.join(5)
                raise _limit_exceeded(_death(child.exitcode, stderr_path)) from None
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "result":
                return payload[0]
            elif kind == "unreadable":
                raise UnreadableWorkbook(*payload)
            elif kind == "memory":
                raise _limit_exceeded("MemoryError")
            else:
                log.debug("parse child failed:\n%s", payload[1])
                raise UnreadableWorkbook(
                    f"读取工作簿时出错（{payload[0]}），未读取任何数据",
                    f"Reading the workbook failed ({payload[0]}); nothing was read",
                )
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        if child.pid is not None:
            child.join(5)
        _remove(stderr_path)


def _limit_exceeded(why: str) -> UnreadableWorkbook:
    return UnreadableWorkbook(
        "读取工作簿时超出内存或时间上限，未读取任何数据：请检查文件中是否有远处的零星单元格或异常大的工作表，"
        "删除后另存再上传",
        f"Reading the workbook went over the memory or time limit ({why}); nothing was read: look for stray "
        "cells far away or an unusually large sheet, delete them, save and upload again",
    )


def _death(exitcode: int | None, stderr_path: str) -> str:
    try:
        with open(stderr_path, "rb") as f:
            tail = f.read()[-2000:].decode("utf-8", "replace").strip()
    except OSError:
        tail = ""
    if tail:
        log.debug("parse child's last output:\n%s", tail)
    if exitcode is not None and exitcode < 0:
        try:
            return f"stopped by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"stopped by signal {-exitcode}"
    return f"exit code {exitcode}"


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class _Relay:
    """The child's progress callback: each call goes to the parent over the pipe."""

    def __init__(self, conn):
        self.conn = conn

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.conn.send(("progress", stage, done, total))


def _child(conn, fn, args, kwargs, relay, memory_bytes, environ, cwd, stderr_path) -> None:
    # Anything the Rust side prints before it aborts goes to a file the parent logs, not to the server's stderr.
    err = os.open(stderr_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(err, 2)
    os.close(err)
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        if relay:
            kwargs = {**kwargs, "progress": _Relay(conn)}
        result = fn(*args, **kwargs)
        conn.send(("result", result))
    except UnreadableWorkbook as exc:
        conn.send(("unreadable", exc.zh, exc.en))
    except MemoryError:
        conn.send(("memory",))
    except BaseException as exc:  # anything else: its name to the user, its traceback to the log
        conn.send(("failed", type(exc).__name__, traceback.format_exc()))
    finally:
        conn.close()
