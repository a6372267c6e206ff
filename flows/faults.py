"""Named points where a test can hold a real run (to kill it there): BROADSHEET_HOLD_AT=<point>:<marker file>.

At that point the run creates the marker file and sleeps, so a crash-safety test knows exactly where the process
was when it killed it. Unset (always, outside tests), a point costs one dictionary lookup."""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "BROADSHEET_HOLD_AT"
POINTS = ("cleaning", "staging", "loading", "publishing")


def hold(point: str) -> None:
    """Sleep forever at `point` when the environment asks for it (after touching the marker file)."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, marker = spec.partition(":")
    if name != point:
        return
    Path(marker).touch()
    while True:
        time.sleep(60)
