"""Everything that touches the outside world (see README: How it works).

Tesseract runs one page per core: single-threaded, set here, the one place, because OpenMP reads the
variable when the engine's library is loaded, and every hoso process (command line, worker processes,
forked or spawned page processes) imports this package before it loads the engine.
"""

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
