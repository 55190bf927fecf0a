"""``python -m course.cli``: the ``course`` command without its console script."""

import sys

from course.cli import main

sys.exit(main())
