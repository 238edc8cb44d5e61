"""The progress callback the long stages report to (scan, the index, the semantic search):
``progress(stage, done, total)``. The command line draws it as bars; the library is silent."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def quiet(stage: str, done: int, total: int) -> None:
    """The default: report to no one."""
    return None
