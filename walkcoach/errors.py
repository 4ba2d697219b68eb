"""The error every part of walkcoach raises for something the user can fix.

Its message is one clear sentence meant for the user: the command line prints it
after ``walkcoach:`` and the screens show it as it is. Programming mistakes stay
ordinary exceptions.
"""

from __future__ import annotations


class WalkcoachError(Exception):
    """A problem to show the user as one clear sentence (its `str`)."""
