"""The one exception type of caseload."""

from __future__ import annotations

__all__ = ["CaseloadError"]


class CaseloadError(Exception):
    """Raised by every caseload call that fails.

    Attributes:
        code: the error category, one of ``"invalid_argument"``, ``"parse"``,
            ``"not_found"``, ``"duplicate"``, ``"limit_exceeded"``, ``"io"``,
            ``"internal"``, ``"out_of_memory"``, ``"cancelled"`` (the C++
            ``ErrorCode`` names).
        message: what went wrong, naming the record and the field, e.g.
            ``worker "W17": contracted_hours must be in (0, 60], got -0.2``.

    An operation that raises leaves every object it was given unchanged.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"CaseloadError({self.code!r}, {self.message!r})"

    def __reduce__(self):  # keep code and message through pickling (multiprocessing)
        return (type(self), (self.code, self.message))
