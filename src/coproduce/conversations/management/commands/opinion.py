"""``coproduce opinion FOLDER``: the opinion map of a Pol.is export (``coproduce.method_commands.opinion``)."""

from coproduce.core.method_command import MethodManagementCommand


class Command(MethodManagementCommand):
    name = "opinion"
