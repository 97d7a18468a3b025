"""The ``caseload`` command: a demo on the bundled sample, health checks from CSV files, and one
subcommand per capability.

Each subcommand lives in its own module here and registers itself with ``add_parser(sub)``; this
module puts them together, gives every parser the project's error format, and turns a
``CaseloadError`` or ``OSError`` into a message and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, Optional, Sequence

from .. import __version__, core_version
from .._errors import CaseloadError
from . import allocate, demo, forecast, health_check, league
from ._console import safe_console

PROG = "caseload"


class _Parser(argparse.ArgumentParser):
    """argparse with the project's error format and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{PROG}: error: {message}\n")


def _cmd_version(args: argparse.Namespace) -> int:
    print(f"caseload {__version__} (core {core_version()})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``caseload`` command."""
    p = _Parser(prog=PROG, description="Safe, weighted social-work caseloads: health checks and a demo.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    # The order here is the order `caseload --help` lists them in.
    demo.add_parser(sub)
    health_check.add_parser(sub)
    league.add_parser(sub)
    allocate.add_parser(sub)
    forecast.add_parser(sub)

    v = sub.add_parser("version", help="print the version")
    v.set_defaults(func=_cmd_version)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point; returns the exit status (0 ok, 2 error)."""
    args = build_parser().parse_args(argv)
    with safe_console():  # names from input files must not drive the terminal
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except CaseloadError as e:
        print(f"{PROG}: error: {e.message}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
