"""The rules tree on disk: every *.toml file read, its top-level sections checked and handed to the section
parsers; RulesError, the one error a missing, malformed or inconsistent rule (or model) file raises."""

from __future__ import annotations

import pathlib
import tomllib
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class RulesError(ValueError):
    """A rules file (or model file) is missing, malformed or inconsistent."""


def read_toml(path: pathlib.Path, error: type[ValueError] = RulesError) -> dict[str, Any]:
    """One rules file as a dict; unreadable, invalid or empty files raise `error` naming the file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path.name}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path.name}: invalid TOML: {exc}") from exc
    if not data:
        raise error(f"{path.name}: file is empty")
    return data


def read_sections(
    directory: pathlib.Path,
    parsers: Mapping[str, Callable[[pathlib.Path, Any], T]],
    required: Collection[str],
    error: type[ValueError],
    what: str,
) -> tuple[dict[str, T], tuple[str, ...]]:
    """Every *.toml of a rules directory, each section parsed as it is read: section -> parsed, and the file names.

    A missing or empty directory, an unknown section, a section defined twice or a required section
    missing raises `error`; so do the parsers; `what` names the directory in messages ("rules", ...).
    """
    if not directory.is_dir():
        raise error(f"{what} directory {directory} does not exist")
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise error(f"{what} directory {directory} has no *.toml files")
    parsed: dict[str, T] = {}
    where: dict[str, str] = {}
    for path in paths:
        for section, value in read_toml(path, error).items():
            if section not in parsers:
                raise error(f"{path.name}: [{section}] unknown section; expected one of {', '.join(sorted(parsers))}")
            if section in where:
                raise error(f"{path.name}: [{section}] section already defined in {where[section]}")
            where[section] = path.name
            parsed[section] = parsers[section](path, value)
    missing = sorted(set(required) - set(parsed))
    if missing:
        raise error(f"{what} directory {directory}: missing section(s): {', '.join(missing)}")
    return parsed, tuple(p.name for p in paths)
