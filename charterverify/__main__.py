"""`python -m charterverify` is the same as `verify`."""

import sys

from .cli import main

sys.exit(main())
