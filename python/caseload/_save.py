"""The one ``save()`` of every result (health check, allocation plan, league table).

The format follows the file's extension; the text is written by the core's atomic file writer (a temporary
file renamed into place), so a failed or interrupted save never leaves a half-written report. Returns the path.
"""

from __future__ import annotations

import os
from typing import Callable, Mapping, Union

from . import _core
from ._errors import CaseloadError

__all__ = ["save_by_extension", "write_text"]


def write_text(path: Union[str, "os.PathLike[str]"], text: str) -> str:
    """Writes `text` to `path` with the core's atomic writer (temporary file, fsync, rename; the file keeps its
    permissions, a symbolic link is followed); returns the path. CaseloadError("io") names the path and gives
    the system's reason when it cannot be written, and the old file is then left as it was."""
    p = os.fspath(path)
    _core.write_text_file(p, text)
    return p


def save_by_extension(path: Union[str, "os.PathLike[str]"], writers: Mapping[str, Callable[[], str]]) -> str:
    """Writes ``writers[ext]()`` to `path` (ext: ".html", ".htm", ".json", ".csv") atomically; returns the path.

    Raises CaseloadError("invalid_argument") for another extension and CaseloadError("io") when the file
    cannot be written (the folder does not exist, no permission, ...).
    """
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower()
    writer = writers.get(".html" if ext == ".htm" else ext)
    if writer is None:
        known = ", ".join(sorted(writers))
        raise CaseloadError("invalid_argument", f"{p}: unknown report format {ext!r}: the file name must end in {known}")
    _core.write_text_file(p, writer())
    return p
