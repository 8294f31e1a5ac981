"""``coproduce budget FILE.pb``: the outcome of a Pabulib election (``coproduce.method_commands.budget``)."""

from coproduce.core.method_command import MethodManagementCommand


class Command(MethodManagementCommand):
    name = "budget"
