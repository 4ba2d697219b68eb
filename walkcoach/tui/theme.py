"""The few visual facts shared by Python and the stylesheet: one colour per direction."""

from __future__ import annotations

from typing import Final

DIRECTION_COLOURS: Final = {"forward": "#2ea043", "backward": "#e3702d"}
PAUSED_COLOUR: Final = "#d4a72c"

CSS_VARIABLES: Final = {
    "forward": DIRECTION_COLOURS["forward"],
    "backward": DIRECTION_COLOURS["backward"],
    "paused": PAUSED_COLOUR,
}
