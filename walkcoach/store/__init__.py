"""Where walkcoach keeps the user's things: folders, profile, plans and history.

Plain Python (no Textual, no sound): the screens and the command line call it, and it
never decides anything about how a session runs.
"""
