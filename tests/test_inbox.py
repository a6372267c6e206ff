"""File discovery never leaves the inbox and accounts for every path it does not read; size+mtime skipping."""

import os
from pathlib import Path

import pytest

from warehouse.inbox import DANGLING, LOOP, OUTSIDE, UNREADABLE_FOLDER, InboxFile, discover, unchanged


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:*:19000:0:99999:7:::")
    root = tmp_path / "inbox"
    (root / "sub").mkdir(parents=True)
    (root / "story.txt").write_text("A story.")
    (root / "sub" / "page.html").write_text("<p>x</p>")
    (root / "notes.pdf").write_text("not a dump")
    os.symlink(outside / "secret.txt", root / "passwd.txt")  # leaves the inbox
    os.symlink(root / "story.txt", root / "alias.txt")  # stays inside: read like any file
    os.symlink(root / "b.txt", root / "a.txt")  # a.txt -> b.txt -> a.txt
    os.symlink(root / "a.txt", root / "b.txt")
    os.symlink(root / "nowhere.txt", root / "gone.txt")
    os.symlink(outside, root / "elsewhere")  # a folder outside: never walked
    os.symlink(root, root / "sub" / "up")  # a folder link back inside: not followed, no endless walk
    return root


def test_discovery_reads_inside_and_names_every_link_it_will_not_follow(inbox):
    found = {f.path: f.problem for f in discover(inbox)}
    assert found == {
        "story.txt": None, "sub/page.html": None, "alias.txt": None,
        "passwd.txt": OUTSIDE, "a.txt": LOOP, "b.txt": LOOP, "gone.txt": DANGLING, "elsewhere": OUTSIDE,
    }
    assert not any("secret" in p for p in found)


def test_an_unreadable_folder_is_listed_with_its_reason(inbox, monkeypatch):
    real = os.scandir
    locked = str(inbox / "sub")

    def scandir(path):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = {f.path: (f.problem, f.detail) for f in discover(inbox)}
    assert found["sub"] == (UNREADABLE_FOLDER, "PermissionError: Permission denied")
    assert "sub/page.html" not in found


def test_a_missing_inbox_is_an_error(tmp_path):
    with pytest.raises(NotADirectoryError):
        discover(tmp_path / "nope")


def test_unchanged_files_are_skipped_by_size_and_mtime_and_problems_are_looked_at_again():
    files = [InboxFile("same.txt", 10, 5), InboxFile("grown.txt", 11, 5), InboxFile("touched.txt", 10, 6),
             InboxFile("new.txt", 1, 1), InboxFile("was_unreadable.txt", 10, 5),
             InboxFile("link_fixed.txt", 10, 5), InboxFile("still_dangling.txt", 3, 5, DANGLING)]
    known = {"same.txt": (10, 5, "h", None), "grown.txt": (10, 5, "h", None), "touched.txt": (10, 5, "h", None),
             "was_unreadable.txt": (10, 5, None, "unreadable_file"), "link_fixed.txt": (10, 5, None, DANGLING),
             "still_dangling.txt": (3, 5, None, DANGLING)}
    todo, skipped = unchanged(files, known)
    assert [f.path for f in todo] == ["grown.txt", "touched.txt", "new.txt", "was_unreadable.txt", "link_fixed.txt"]
    assert skipped == 2
