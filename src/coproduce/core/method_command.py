"""A Django management command that runs a method command of ``coproduce.method_commands``.

``coproduce budget`` and ``coproduce opinion`` start without Django (``coproduce.cli`` runs them first); the
management commands of the same names give ``call_command`` and ``coproduce help`` the same options and output.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.method_commands import CommandFailed, MethodCommand, command


class MethodManagementCommand(BaseCommand):
    """Set ``name`` to the method command's name (one of ``coproduce.method_commands.NAMES``)."""

    name: str
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    @property
    def method(self) -> MethodCommand:
        return command(self.name)

    @property
    def help(self) -> str:  # type: ignore[override]
        return self.method.HELP

    def add_arguments(self, parser: CommandParser) -> None:
        self.method.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.method.handle(options, self.stdout.write)
        except CommandFailed as error:
            raise CommandError(str(error)) from None
