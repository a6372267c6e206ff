"""A per-document time cap that works in any thread: a timer raises DocumentTimeout inside the capped code.

The exception is delivered with CPython's PyThreadState_SetAsyncExc at the next bytecode boundary, so a
single long C call (one regex match, one lxml parse) finishes first; the regex guards and size caps keep
those short, and this cap bounds everything around them. Nothing is kept between calls.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(BaseException):
    """A document took longer than its time cap (a BaseException, so no `except Exception` in a stage swallows it)."""


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)


@contextmanager
def time_cap(seconds: float | None) -> Iterator[None]:
    """Run the block with a time cap: past `seconds`, DocumentTimeout is raised in it (None: no cap)."""
    if seconds is None:
        yield
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, DocumentTimeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                _set_async_exc(target, ctypes.py_object())  # drop it if it has not been delivered yet
