"""The method commands (``coproduce budget``, ``coproduce count``, ``coproduce opinion``): a method of
``coproduce.methods`` run on a file, for anyone who wants to check a result.

They start without Django: ``coproduce.cli`` runs them before any Django set-up, and this package imports only
``coproduce.methods``, the standard library and numpy (an import contract in pyproject.toml keeps it so). Each
command is a module here with ``HELP``, ``add_arguments(parser)`` and ``handle(options, write)``; the Django
management commands of the same names (``coproduce.core.method_command``) use the same three, so
``call_command("budget", ...)`` and ``coproduce help budget`` give the same options and output.

A command that cannot go on raises :class:`CommandFailed` with a one-line reason: printed as
``CommandError: <reason>`` on standard error, exit code 1, as Django prints its command errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any, Protocol, cast

NAMES = ("budget", "count", "opinion")


class CommandFailed(Exception):  # noqa: N818 - the name says what happened, as Django's CommandError does
    """The command cannot go on; the message is one line for the person who ran it."""


class MethodCommand(Protocol):
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def handle(self, options: Mapping[str, Any], write: Callable[[str], None]) -> None: ...


def command(name: str) -> MethodCommand:
    """The module of the method command ``name`` (one of :data:`NAMES`)."""
    if name not in NAMES:
        raise LookupError(name)
    return cast(MethodCommand, importlib.import_module(f"{__name__}.{name}"))


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")


def _django_options(parser: argparse.ArgumentParser) -> None:
    """The options every Django command takes: they change nothing here (no settings are read), but a script
    that passed them keeps working; ``--traceback`` shows where a failure came from, as in Django."""
    parser.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=1, help=argparse.SUPPRESS)
    parser.add_argument("--settings", help=argparse.SUPPRESS)
    parser.add_argument("--pythonpath", help=argparse.SUPPRESS)
    for flag in ("--traceback", "--no-color", "--force-color", "--skip-checks"):
        parser.add_argument(flag, action="store_true", help=argparse.SUPPRESS)


def run(name: str, argv: list[str]) -> int:
    """Run the method command ``name`` with the command-line arguments ``argv``; the process's exit code."""
    method = command(name)
    parser = argparse.ArgumentParser(prog=f"coproduce {name}", description=method.HELP)
    method.add_arguments(parser)
    _django_options(parser)
    options = vars(parser.parse_args(argv))  # usage and exit code 2 for arguments it cannot take
    try:
        method.handle(options, _print)
    except CommandFailed as error:
        if options["traceback"]:
            raise
        sys.stdout.flush()
        sys.stderr.write(f"CommandError: {error}\n")
        return 1
    return 0
