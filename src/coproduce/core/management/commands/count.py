"""``coproduce count FILE.blt``: count a ranked-ballot election (``coproduce.method_commands.count``)."""

from coproduce.core.method_command import MethodManagementCommand


class Command(MethodManagementCommand):
    name = "count"
