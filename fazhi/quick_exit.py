"""Leave a finished `fazhi run` without the interpreter's teardown.

After the summary is printed, Python would join the remaining threads (Prefect drains its log and event
queues), run the exit handlers (Prefect stops its temporary API server, logging flushes) and then tear down every module and object one by one: with Prefect, Great
Expectations, pandas and a run's frames loaded that teardown alone takes 1.5-3 s and does nothing a
finished run needs (the warehouse is committed and closed, files are closed).
"""
from __future__ import annotations

import atexit
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

CONSOLE_SCRIPT = "fazhi"


def exit_now(code: int) -> NoReturn:
    """Run the exit handlers, flush, and end the process with `code`; a plain SystemExit when `fazhi` is not
    the program (a test or a notebook calling the command in-process must not be ended)."""
    if Path(sys.argv[0]).name != CONSOLE_SCRIPT:
        raise SystemExit(code)
    sys.stdout.flush()
    sys.stderr.flush()
    threading._shutdown()       # as at a normal exit: join threads, drain Prefect's log and event queues
    atexit._run_exitfuncs()     # then the exit handlers: Prefect stops its temporary API server
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
