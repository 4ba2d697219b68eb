"""A full screen of figures under a title: the recap, the history and one walk's detail.

The screen's content sits in a container of class ``page``; its first line, of class
``page-title``, is set apart from what follows.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import Screen

ResultT = TypeVar("ResultT")


class Page(Screen[ResultT]):
    DEFAULT_CSS = """
    Page .page {
        padding: 0 1;
    }

    Page .page-title {
        height: 1;
        margin-bottom: 1;
    }
    """
