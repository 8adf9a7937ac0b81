"""Per-stage timing of one `fazhi run`, read from the Prefect log lines it prints on stderr.

Prefect logs `HH:MM:SS.mmm | INFO | Task run 'NAME-abc' - Finished in state Completed()` when each task
ends. The flow's tasks run one after another, so a stage's time is from the end of the one before
(or the start of the flow) to its own end; the flow's own code between tasks is counted with the task
that follows it. The batch tasks (`extract-batch-N`) run side by side: they are one stage, `extract_batches`,
ending with the last of them.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

LINE = re.compile(r"^(\d\d:\d\d:\d\d\.\d{3}) \| \w+\s*\| (.*)$")
TASK_END = re.compile(r"^Task run '(.+)-[0-9a-f]{3}' - Finished in state")
BATCH_END = re.compile(r"^Task run 'extract-batch-\d+' - Finished in state")
BATCHES = "extract_batches"


def _clock(day: datetime, hms: str) -> float:
    t = datetime.strptime(hms, "%H:%M:%S.%f")
    stamp = day.replace(hour=t.hour, minute=t.minute, second=t.second, microsecond=t.microsecond)
    if stamp < day - timedelta(hours=12):      # the run crossed midnight
        stamp += timedelta(days=1)
    return stamp.timestamp()


def _marks(stderr: str, started_at: float, wall_s: float) -> list[tuple[str, float]]:
    """(stage, when it ended) in order, from the process start to its exit (epoch seconds)."""
    day = datetime.fromtimestamp(started_at)
    marks: list[tuple[str, float]] = [("", started_at)]
    for raw in stderr.splitlines():
        m = LINE.match(raw.strip())
        if not m:
            continue
        at, msg = _clock(day, m.group(1)), m.group(2)
        if msg.startswith("prefect - Starting temporary server"):
            marks.append(("imports", at))
        elif " - Beginning flow run" in msg:
            marks.append(("prefect_api", at))
        elif BATCH_END.match(msg):
            if marks[-1][0] == BATCHES:
                marks.pop()
            marks.append((BATCHES, at))
        elif task := TASK_END.match(msg):
            marks.append((task.group(1), at))
        elif msg.startswith("Flow run") and " - Finished in state" in msg:
            marks.append(("flow_finish", at))
    marks.append(("exit", started_at + wall_s))
    return marks


def stages(stderr: str, started_at: float, wall_s: float) -> dict[str, float]:
    """Seconds per stage: startup (imports + Prefect's temporary API), each task, shutdown."""
    marks = _marks(stderr, started_at, wall_s)
    return {name: round(at - marks[i - 1][1], 2) for i, (name, at) in enumerate(marks) if i > 0}


def stage_at(stderr: str, started_at: float, wall_s: float, offset_s: float) -> str:
    """The stage running `offset_s` seconds after the start (where the memory peaked, say)."""
    for name, at in _marks(stderr, started_at, wall_s)[1:]:
        if started_at + offset_s <= at:
            return name
    return "exit"
