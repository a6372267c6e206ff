"""No process outlives `broadsheet run`: the ephemeral Prefect server, pool or Dask workers go with it.

The command becomes the leader of its own process group, so its children share a group that can be signalled as
one. On SIGTERM or SIGHUP it stops the whole group; at exit (normal, Ctrl+C) it stops whatever children are left;
and a tiny watcher process kills the group when the command itself dies (kill -9, or its parent dying first,
through the kernel's parent-death signal)."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1

# The watcher: asks the kernel for SIGTERM when its parent (the command) dies, then kills the group.
WATCHER = """
import ctypes, os, signal, sys
parent = int(sys.argv[1])
def reap(*_):
    os.killpg(os.getpgrp(), signal.SIGKILL)
signal.signal(signal.SIGTERM, reap)
try:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
except Exception:
    pass
if os.getppid() != parent:
    reap()
while True:
    signal.pause()
"""


def _set_parent_death_signal(sig: int) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the watcher still covers kill -9
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig)


def _stop_group(sig: int) -> None:
    """Signal every other process of our group (we ignore the signal meanwhile)."""
    old = signal.signal(sig, signal.SIG_IGN) if sig != signal.SIGKILL else None
    try:
        os.killpg(os.getpgrp(), sig)
    except ProcessLookupError:
        pass
    finally:
        if old is not None:
            signal.signal(sig, old)


def _on_terminate(signum: int, _frame: object) -> None:
    _stop_group(signal.SIGTERM)
    time.sleep(0.5)
    os.killpg(os.getpgrp(), signal.SIGKILL)  # includes this process: nothing is left


_guarded = False


def rearm() -> None:
    """Put our SIGTERM handler back where a Prefect flow run has put its own (the flow body calls this): Prefect's
    would wait for every running batch before the process ends."""
    if _guarded and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_terminate)


def guard_process_group() -> None:
    """Make this process a group leader whose children die with it (see the module docstring)."""
    if os.getpgrp() != os.getpid():
        try:
            os.setpgid(0, 0)
        except OSError:
            return  # a session leader elsewhere: leave the group alone rather than signal someone else's
    global _guarded
    _guarded = True
    _set_parent_death_signal(signal.SIGTERM)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_terminate)
    watcher = subprocess.Popen([sys.executable, "-S", "-c", WATCHER, str(os.getpid())], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)

    def at_exit() -> None:
        watcher.kill()  # first, or its parent-death reaping would take this process along before it exits
        watcher.wait()
        _stop_group(signal.SIGTERM)

    atexit.register(at_exit)


@contextmanager
def shared_api_server(timeout: int = 120) -> Iterator[None]:
    """With no PREFECT_API_URL set, one temporary Prefect server for the run, shared with every worker process
    through the environment (otherwise each spawned worker starts a server of its own, ~200 MB and 13 s each)."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, temporary_settings

    current = os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()
    if current:  # a server is configured (or a test harness runs one): hand its address to the workers
        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = current
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
        return
    server = SubprocessASGIServer()
    server.start(timeout=timeout)
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()
