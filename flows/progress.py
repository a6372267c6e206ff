"""Progress reporting from the flow body to whoever runs it (the CLI draws Rich progress bars)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (stage, done, total) -> None; unset when the flow runs from a deployment, where nobody watches.
ProgressHook = Callable[[str, int, int], None]
_HOOK: ContextVar[ProgressHook | None] = ContextVar("broadsheet_progress", default=None)


def report_progress(stage: str, done: int, total: int) -> None:
    """Tell the watcher, if any, that `done` of `total` units of a stage are finished."""
    hook = _HOOK.get()
    if hook is not None:
        hook(stage, done, total)


@contextmanager
def watching(hook: ProgressHook) -> Iterator[None]:
    """Route the progress of flows run inside this block to `hook`."""
    token = _HOOK.set(hook)
    try:
        yield
    finally:
        _HOOK.reset(token)
