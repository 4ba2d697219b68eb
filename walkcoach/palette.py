"""The colours that mean something to a walker, one per direction: the screens and the
command line both paint with these. Plain strings, so any layer may use them."""

from __future__ import annotations

from typing import Final

DIRECTION_COLOURS: Final = {"forward": "#2ea043", "backward": "#e3702d"}
