"""The walkcoach command run in-process, as `main([...])`."""

from __future__ import annotations

import pytest

from walkcoach.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
