"""``python -m caseload.cli``: the installed ``caseload`` script's code path, also from a source checkout."""

import sys

from . import main

sys.exit(main())
