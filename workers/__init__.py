"""Everything that touches the outside world (see README: How it works).

Files hoso makes hold citizens' names and ID numbers: every hoso process creates them private to its user
(files 0600, folders 0700). The umask is set here, the one place, because every hoso process imports this
package before it makes a file; the places that create files also give the mode explicitly.

Tesseract runs one page per core: single-threaded, set here, the one place, because OpenMP reads the
variable when the engine's library is loaded, and every hoso process (command line, worker processes,
forked or spawned page processes) imports this package before it loads the engine. OpenCV, read likewise
when it is first imported, runs single-threaded too: its threads gave a page's geometry no speed here (wall
time equal to CPU time) and cost CPU (components, resizing: 0.18 -> 0.16 s of CPU a page before OCR), and
the cores are taken by one page each.
"""

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("OPENCV_FOR_THREADS_NUM", "1")
os.umask(0o077)
