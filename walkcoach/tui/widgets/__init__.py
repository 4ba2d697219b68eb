"""Widgets shared by walkcoach's screens."""
