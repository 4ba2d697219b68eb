"""walkcoach: a terminal interval coach for forward and backward treadmill walking."""

__version__ = "0.1.0"
