"""``python -m fleet.bench``: run the benchmark, as ``scripts/bench`` does."""

import sys

from fleet.bench.command import main

sys.exit(main())
