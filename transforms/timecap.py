"""A per-document time cap that works in any thread: a watchdog raises DocumentTimeout inside the capped code.

The exception is delivered with CPython's PyThreadState_SetAsyncExc at the next bytecode boundary, so a
single long C call (one regex match, one lxml parse) finishes first; the regex guards and size caps keep
those short, and this cap bounds everything around them. One watchdog thread serves a whole batch of
documents (starting a timer thread per document cost about 0.5 ms, 5% of a text dump's processing); nothing
outlives the `with watchdog()` block.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(BaseException):
    """A document took longer than its time cap (a BaseException, so no `except Exception` in a stage swallows it)."""


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


class Watchdog:
    """One thread that times the capped blocks of the thread that made it, one block at a time."""

    def __init__(self) -> None:
        self._target = threading.get_ident()
        self._cond = threading.Condition()
        self._deadline: float | None = None
        self._fired = False
        self._stopped = False
        self._thread = threading.Thread(target=self._watch, name="document-time-cap", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        with self._cond:
            while not self._stopped:
                if self._deadline is None:
                    self._cond.wait()
                    continue
                left = self._deadline - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                self._deadline = None
                self._fired = True
                _set_async_exc(self._target, DocumentTimeout)

    @contextmanager
    def cap(self, seconds: float | None) -> Iterator[None]:
        """Run the block with a time cap: past `seconds`, DocumentTimeout is raised in it (None: no cap)."""
        if seconds is None:
            yield
            return
        if threading.get_ident() != self._target:
            raise RuntimeError("a Watchdog caps blocks of the thread that created it only")
        with self._cond:
            self._fired = False
            self._deadline = time.monotonic() + seconds
            self._cond.notify()
        try:
            yield
        finally:
            with self._cond:
                self._deadline = None
                if self._fired:
                    _set_async_exc(self._target, ctypes.py_object())  # drop it if it has not been delivered yet
                    self._fired = False

    def stop(self) -> None:
        """End the watchdog's thread (no block may be capped after)."""
        with self._cond:
            self._stopped = True
            self._deadline = None
            self._cond.notify()
        self._thread.join()


@contextmanager
def watchdog() -> Iterator[Watchdog]:
    """A Watchdog for the blocks of this thread, stopped when the with ends."""
    dog = Watchdog()
    try:
        yield dog
    finally:
        dog.stop()


@contextmanager
def time_cap(seconds: float | None) -> Iterator[None]:
    """Run one block with a time cap (its own watchdog; for a batch, share one `watchdog()`)."""
    if seconds is None:
        yield
        return
    with watchdog() as dog, dog.cap(seconds):
        yield
