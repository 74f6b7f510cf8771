"""Load: N people at once on one server, each switching the 城市差距 indicator; server time per switch.

python -m bench.load [--sessions 20] [--think 5 0] [--duration 50] [--repo PATH] [--label TEXT] [--option K=V]

Starts `streamlit run app.py` on a free 127.0.0.1 port over a sample SQLite database in a temporary folder, then
opens N protocol-level clients on /_stcore/stream (the browser's own protocol: BackMsg rerun_script with widget
states, ForwardMsg until script_finished). Each client opens a session, navigates to the gaps page and switches
the indicator selectbox, waiting `think` seconds between switches. An interaction is timed from the BackMsg sent to
the script_finished received. One phase per think time, each with fresh sessions; the whole run is bounded.
`--repo` points at another checkout (same run style for a before/after comparison); `--option` passes a
streamlit option (`runner.postScriptGC=true`). Also reported: runs per second and the server process's CPU time
per run (Linux /proc), session openings included. Runs in about 2 minutes with the defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INDICATOR_KEY = "w_gaps_indicator"  # bound_select's widget key for pages/gaps.py's INDICATOR
RUN_TIMEOUT = 60.0  # one rerun; past it the interaction counts as a timeout
MAX_MESSAGE = 64 * 1024 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` of a checkout over a fresh sample SQLite database; stopped on exit."""

    def __init__(self, repo: Path, python: str = sys.executable, options: tuple[str, ...] = ()) -> None:
        self.repo, self.python, self.options = repo, python, options
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-load-")
        self.url = f"sqlite:///{self._tmp.name}/load.db"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = {**os.environ, "DATABASE_URL": self.url, "ENV_DASHBOARD_DATA_DIR": self._tmp.name}
        subprocess.run(
            [self.python, "cli.py", "init", "--sample", "--db", self.url],
            cwd=self.repo,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        cmd = [
            self.python,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={self.port}",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
            *self.options,
        ]
        self._log = open(Path(self._tmp.name) / "server.log", "w")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(cmd, cwd=self.repo, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {(Path(self._tmp.name) / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("streamlit did not answer /_stcore/health within 60 s")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux /proc; 0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, chars: int = 3000) -> str:
        return (Path(self._tmp.name) / "server.log").read_text()[-chars:]

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        self._tmp.cleanup()


@dataclass
class Widget:
    """A selectbox or radio as the browser holds it: its id, option labels and current label."""

    id: str
    options: list[str]
    value: str


@dataclass
class Session:
    """One browser tab: a websocket, the pages of the app and the widgets drawn by the last run."""

    ws: object
    pages: dict[str, str] = field(default_factory=dict)  # page title -> page_script_hash
    widgets: dict[str, Widget] = field(default_factory=dict)
    page_hash: str = ""

    async def run(self, timeout: float = RUN_TIMEOUT) -> float:
        """Send a rerun with the current widget states; seconds until script_finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.page_script_hash = self.page_hash
        for w in self.widgets.values():
            state = rerun.widget_states.widgets.add()
            state.id, state.string_value = w.id, w.value
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        async with asyncio.timeout(timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self.ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "script_finished":
                    if fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                        return time.perf_counter() - t0
                    if fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        raise RuntimeError(f"script finished with status {fwd.script_finished}")
                elif kind == "navigation":
                    self.pages = {p.page_name: p.page_script_hash for p in fwd.navigation.app_pages}
                elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    self._note_widget(fwd.delta.new_element)

    def _note_widget(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise RuntimeError(f"app raised: {element.exception.message}")
        if kind not in ("selectbox", "radio"):
            return
        w = getattr(element, kind)
        options = list(w.options)
        value = w.raw_value if w.HasField("raw_value") else (options[w.default] if options else "")
        self.widgets[w.id] = Widget(w.id, options, value)

    def widget(self, key: str) -> Widget:
        """The widget whose user key is `key` (Streamlit ends element ids with the key)."""
        found = [w for w in self.widgets.values() if w.id.endswith(f"-{key}")]
        if not found:
            raise RuntimeError(f"no widget with key {key!r} in {list(self.widgets)}")
        return found[0]


async def open_session(port: int):
    from websockets.asyncio.client import connect

    ws = await connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=MAX_MESSAGE,
        open_timeout=RUN_TIMEOUT,
        ping_interval=None,
    )
    session = Session(ws)
    await session.run()  # the default page; it also brings the navigation (page hashes)
    from ui.wording import t

    session.page_hash = session.pages[t("page_gaps", "zh")]  # the page list as st.navigation titles it
    session.widgets.clear()
    await session.run()
    return session


@dataclass
class Phase:
    think: float
    duration: float = 0.0
    server_cpu: float = 0.0
    times: list[float] = field(default_factory=list)
    open_times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def warm_up(port: int) -> None:
    """One visitor before the crowd: the server's first run imports the app and fills the process-wide caches."""
    session = await open_session(port)
    await session.ws.close()


async def person(port: int, phase: Phase, start_at: float, stop_at: float, rng: random.Random) -> None:
    """One person: opens the gaps page, then switches indicator every `think` seconds until stop_at."""
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    try:
        t0 = time.perf_counter()
        session = await open_session(port)
        phase.open_times.append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - a failed session is a figure, not a crash
        phase.errors.append(f"open: {exc!r}")
        return
    try:
        while time.monotonic() < stop_at:
            indicator = session.widget(INDICATOR_KEY)
            indicator.value = rng.choice([o for o in indicator.options if o != indicator.value])
            try:
                phase.times.append(await session.run(timeout=min(RUN_TIMEOUT, stop_at + 30 - time.monotonic())))
            except TimeoutError:
                phase.errors.append("timeout")
                return
            if phase.think:
                await asyncio.sleep(phase.think * rng.uniform(0.5, 1.5))
    except Exception as exc:  # noqa: BLE001
        phase.errors.append(repr(exc))
    finally:
        await session.ws.close()


async def run_phase(port: int, sessions: int, think: float, duration: float, seed: int) -> Phase:
    """`sessions` people arriving over the first think time (or at once), switching for `duration` seconds."""
    phase = Phase(think)
    now = time.monotonic()
    spread = min(think, duration / 4)
    stop_at = now + duration
    await asyncio.gather(
        *(
            person(port, phase, now + spread * i / sessions, stop_at, random.Random(seed * 1000 + i))
            for i in range(sessions)
        )
    )
    return phase


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def table_row(label: str, phase: Phase, sessions: int) -> str:
    t = phase.times
    measure = f"{label}: {sessions} sessions, think {phase.think:g} s"
    if not t:
        return f"| {measure} | — | — | — | — | — | errors: {phase.errors[:3]} |"
    runs = len(t) + 2 * len(phase.open_times)  # each session's opening takes two runs
    errors = f", {len(phase.errors)} errors" if phase.errors else ""
    return (
        f"| {measure} ({len(t)} switches{errors}) | {statistics.median(t):.2f} s | {quantile(t, 0.9):.2f} s "
        f"| {max(t):.2f} s | {runs / phase.duration:.1f} | {phase.server_cpu / runs * 1000:.0f} ms |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.load")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--think", type=float, nargs="+", default=[5.0, 0.0], help="think times, one phase each (s)")
    ap.add_argument("--duration", type=float, default=50.0, help="seconds of switching per phase")
    ap.add_argument("--repo", type=Path, default=REPO, help="checkout whose app.py to serve (before/after runs)")
    ap.add_argument("--label", default="", help="row label, e.g. before/after")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--option", action="append", default=[], help="extra streamlit option, e.g. runner.postScriptGC=true"
    )
    args = ap.parse_args()
    print(f"# Load {date.today()} — {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})")
    lines = [
        "| indicator switch, server time (send → script_finished) | median | p90 | max | runs/s | server CPU per run |",
        "|---|---|---|---|---|---|",
    ]
    with Server(args.repo.resolve(), options=tuple(f"--{o}" for o in args.option)) as server:
        asyncio.run(warm_up(server.port))
        for think in args.think:
            t0, cpu0 = time.monotonic(), server.cpu_seconds()
            phase = asyncio.run(run_phase(server.port, args.sessions, think, args.duration, args.seed))
            phase.duration, phase.server_cpu = time.monotonic() - t0, server.cpu_seconds() - cpu0
            lines.append(table_row(args.label or args.repo.resolve().name, phase, args.sessions))
            if phase.errors:
                print(server.log_tail(), file=sys.stderr)
            print(
                f"  think {think:g} s: {len(phase.times)} switches, session open median "
                f"{statistics.median(phase.open_times or [0]):.2f} s, errors {phase.errors[:3]}",
                file=sys.stderr,
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
