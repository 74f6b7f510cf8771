"""Running cli.main in-process the way a shell would: exit code, standard output and standard error."""

from __future__ import annotations

import cli


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
