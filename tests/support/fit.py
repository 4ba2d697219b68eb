"""Reading walkcoach's FIT files with a decoder someone else wrote (fitdecode), strictly:
CRC checked, errors raised and warnings turned into errors."""

from __future__ import annotations

import warnings
from pathlib import Path

import fitdecode


def fitdecode_laps(path: Path) -> list[dict[str, object]]:
    """Every lap message of the FIT file at `path`, as field name to value."""
    laps = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with fitdecode.FitReader(
            path,
            check_crc=fitdecode.CrcCheck.ENABLED,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "lap":
                    laps.append({field.name: field.value for field in frame.fields})
    return laps
