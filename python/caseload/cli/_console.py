"""The one way the ``caseload`` command writes to the console.

Team names, ids and file names come from input files; a name holding a
terminal escape (``\\x1b[2J``) or a carriage return could clear or rewrite the
console when printed raw. ``console_text`` applies the core's rule
(``_core.terminal_safe``: control characters other than newline become visible
escapes), and ``safe_console`` routes every ``print`` and ``write`` of a command
through it while the command runs.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Iterator, TextIO

from .. import _core

__all__ = ["console_text", "safe_console"]


def console_text(text: str) -> str:
    """``text`` with control characters (other than newline) escaped for a terminal."""
    return _core.terminal_safe(str(text))


class _SafeStream:
    """A text stream that escapes what is written to it, delegating everything else."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(console_text(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_console() -> Iterator[None]:
    """Escapes control characters in everything written to stdout and stderr inside the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
