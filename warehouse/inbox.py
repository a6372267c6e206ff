"""Find the dumps of an inbox without ever leaving it, and tell which files changed since the warehouse saw them."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from transforms.decode import detect_format

# why a discovered path is not read; each becomes a quarantine row (stage "discover")
OUTSIDE = "symlink_outside_inbox"
LOOP = "symlink_loop"
DANGLING = "dangling_symlink"
UNREADABLE_FOLDER = "unreadable_folder"


@dataclass(frozen=True, slots=True)
class InboxFile:
    """One discovered path (relative to the inbox): its size and mtime, or why it is not read."""

    path: str
    size: int
    mtime_ns: int
    problem: str | None = None
    detail: str = ""


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def _entry(full: str, rel: str, root: str) -> InboxFile | None:
    """A file (or a symlink to one) found while walking; None for what is not a dump."""
    if os.path.islink(full):
        st = os.lstat(full)
        try:
            target = os.path.realpath(full, strict=True)
        except FileNotFoundError:
            return InboxFile(rel, st.st_size, st.st_mtime_ns, DANGLING, f"link to {os.readlink(full)}")
        except OSError as exc:  # ELOOP
            return InboxFile(rel, st.st_size, st.st_mtime_ns, LOOP, f"{type(exc).__name__}: {exc.strerror}")
        if not _inside(target, root):
            return InboxFile(rel, st.st_size, st.st_mtime_ns, OUTSIDE, "link leaves the inbox")
        if not os.path.isfile(target):
            return None  # a link to a folder inside the inbox: its files are found where they are
    try:
        st = os.stat(full)
    except OSError:
        return InboxFile(rel, 0, 0)  # vanished: the reader turns it into an unreadable_file row
    return InboxFile(rel, st.st_size, st.st_mtime_ns)


def discover(inbox: str | Path) -> list[InboxFile]:
    """Every dump under the inbox, recursively, sorted by path. Symlinks are never followed out of the inbox, and
    links that leave it, loop or dangle, and folders that cannot be listed, are returned with a problem."""
    root = os.path.realpath(inbox)
    if not os.path.isdir(root):
        raise NotADirectoryError(f"inbox {inbox} is not a directory")
    found: list[InboxFile] = []

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            rel = os.path.relpath(folder, root)
            found.append(InboxFile(Path(rel).as_posix(), 0, 0, UNREADABLE_FOLDER,
                                   f"{type(exc).__name__}: {exc.strerror}"))
            return
        for e in entries:
            rel = Path(os.path.relpath(e.path, root)).as_posix()
            if e.is_dir(follow_symlinks=False):
                walk(e.path)
            elif e.is_symlink() and os.path.isdir(e.path):
                target = os.path.realpath(e.path)
                if not _inside(target, root):
                    st = e.stat(follow_symlinks=False)
                    found.append(InboxFile(rel, st.st_size, st.st_mtime_ns, OUTSIDE, "folder link leaves the inbox"))
            elif detect_format(e.name):
                entry = _entry(e.path, rel, root)
                if entry is not None:
                    found.append(entry)

    walk(root)
    return sorted(found, key=lambda f: f.path)


def unchanged(files: list[InboxFile], known: Mapping[str, tuple[int, int, str | None, str | None]]
              ) -> tuple[list[InboxFile], int]:
    """The files to read (new, or size/mtime differ from what the warehouse recorded), and how many are skipped.

    `known`: path -> (bytes, mtime_ns, sha256, problem). A file that could not be read is tried again, and a link
    that was broken is looked at again once discovery finds it whole."""
    todo = []
    for f in files:
        seen = known.get(f.path)
        if (seen is not None and f.mtime_ns and seen[0] == f.size and seen[1] == f.mtime_ns
                and seen[3] in (None, f.problem, "file_too_large")):
            continue
        todo.append(f)
    return todo, len(files) - len(todo)
