"""The few visual facts shared by Python and the stylesheet: one colour per direction
(from `walkcoach.palette`, which the command line uses too) and one for a pause."""

from __future__ import annotations

from typing import Final

from walkcoach.palette import DIRECTION_COLOURS

PAUSED_COLOUR: Final = "#d4a72c"

CSS_VARIABLES: Final = {
    "forward": DIRECTION_COLOURS["forward"],
    "backward": DIRECTION_COLOURS["backward"],
    "paused": PAUSED_COLOUR,
}
