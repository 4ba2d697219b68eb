"""walkcoach's screens and dialogs, one per module."""
