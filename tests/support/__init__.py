"""What the tests share, kept out of the test modules so no test module imports another.

builders: plans, walks and histories to test with; pilot: driving the app with a fake
clock and a recording player; fakes: that clock and player; history: a history file
changed, locked or failing as another program or a bad disk would leave it; disk: a
small filesystem of a test's own; cli: the command run in-process; sound and capture:
WAV helpers and real sessions played through ALSA into a file; recognizer: what
pocketsphinx hears in a capture; tmux: real terminals (the end-to-end tests and the
benchmarks).
"""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
"""The repository's root folder."""
