"""What FIT files from walkcoach share: the file id, the FIT epoch, string sizes.

FIT is Garmin's Flexible and Interoperable Data Transfer protocol; the messages and
fields used here are those of the FIT SDK's profile (developer.garmin.com/fit/protocol,
"FIT Protocol" and the Profile.xlsx it refers to). The files are written with
`fit-tool` (BSD-3-Clause).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

FIT_EPOCH: Final = datetime(1989, 12, 31, tzinfo=UTC)
"""Where FIT counts time from (the protocol's "date_time" base)."""
MAX_STRING_BYTES: Final = 254
"""The most UTF-8 bytes a FIT string field holds, before its closing zero byte."""
SERIAL_NUMBER: Final = 0x57414C4B  # "WALK"


def fit_text(text: str, limit: int = MAX_STRING_BYTES) -> str:
    """`text` cut at a character boundary to at most `limit` bytes of UTF-8."""
    return text.encode()[:limit].decode(errors="ignore")


def unix_ms(moment: datetime) -> int:
    """A time as fit-tool's timestamp fields take it: milliseconds since 1970 UTC."""
    return round(moment.timestamp() * 1000)


def file_id(file_type: Any, created: datetime) -> Any:
    """The file_id message every FIT file starts with, made by a development app."""
    from fit_tool.profile.messages.file_id_message import (  # type: ignore[import-untyped]
        FileIdMessage,
    )
    from fit_tool.profile.profile_type import Manufacturer  # type: ignore[import-untyped]

    message = FileIdMessage()
    message.type = file_type
    message.manufacturer = Manufacturer.DEVELOPMENT.value
    message.product = 0
    message.serial_number = SERIAL_NUMBER
    message.time_created = unix_ms(created)
    return message


def build(messages: list[Any]) -> bytes:
    """The FIT file holding `messages` in order, definitions added as needed."""
    from fit_tool.fit_file_builder import FitFileBuilder  # type: ignore[import-untyped]

    builder = FitFileBuilder(auto_define=True, min_string_size=8)
    builder.add_all(messages)
    data: bytes = builder.build().to_bytes()
    return data
