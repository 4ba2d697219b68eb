"""Lets `python -m walkcoach` behave exactly like the `walkcoach` command."""

import sys

from walkcoach.cli import main

sys.exit(main())
