"""Keeps libasound from writing to the terminal.

libasound reports errors by printing straight to file descriptor 2, which is where
Textual draws the screen, so one "cannot find card" line would corrupt a session.
Installing a handler that ignores them is the library's own way to silence it.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
# The C side keeps only a raw pointer to the handler: this reference keeps it alive.
_handler: Any = None


def _ignore(*_args: object) -> None:
    return None


def silence_alsa_errors() -> bool:
    """Installs a no-op ALSA error handler once per process.

    Returns True when the handler is in place, False when libasound is absent (then
    there is nothing to silence). Safe to call from any thread, any number of times.
    """
    global _handler
    with _lock:
        if _handler is not None:
            return True
        import ctypes  # only here: importing walkcoach.sound stays light

        try:
            libasound = ctypes.CDLL("libasound.so.2")
        except OSError:
            return False
        # void handler(const char *file, int line, const char *function, int err,
        #              const char *fmt, ...); the variadic tail is never read.
        handler_type = ctypes.CFUNCTYPE(
            None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
        )
        handler = handler_type(_ignore)
        libasound.snd_lib_error_set_handler(handler)
        _handler = handler
        return True
