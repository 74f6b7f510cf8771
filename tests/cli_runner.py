"""Running cli.main in-process the way a shell would: exit code, standard output and standard error."""

from __future__ import annotations

import io

import cli


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """`stdin` (with pytest's monkeypatch) is what the command reads from standard input, such as a password."""
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
