"""A mypy plugin: calling a typed factory_boy factory gives its model.

factory_boy's factories are generic (``class MembershipFactory(DjangoModelFactory[Membership])``), so
``MembershipFactory.create()`` is already typed as a ``Membership``; but the usual short form,
``MembershipFactory(...)``, goes through factory_boy's metaclass, which mypy does not follow, and would be
typed as an instance of the factory class. This plugin types that call as ``create()`` is typed: the model,
or ``Any`` for a factory that does not name its model in brackets. It runs only under mypy (see
``[tool.mypy]`` in pyproject.toml), never in the tests.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.maptype import map_instance_to_supertype
from mypy.nodes import TypeInfo
from mypy.plugin import FunctionContext, Plugin
from mypy.types import AnyType, Instance, Type, TypeOfAny, get_proper_type

BASE_FACTORY = "factory.base.BaseFactory"


def _model_of_factory(ctx: FunctionContext) -> Type:
    made = get_proper_type(ctx.default_return_type)
    if not isinstance(made, Instance):
        return ctx.default_return_type
    base = next((info for info in made.type.mro if info.fullname == BASE_FACTORY), None)
    if base is None:
        return ctx.default_return_type
    (model,) = map_instance_to_supertype(made, base).args
    return model if not isinstance(get_proper_type(model), AnyType) else AnyType(TypeOfAny.implementation_artifact)


class FactoryCallPlugin(Plugin):
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        symbol = self.lookup_fully_qualified(fullname)
        if symbol is not None and isinstance(symbol.node, TypeInfo) and symbol.node.has_base(BASE_FACTORY):
            return _model_of_factory
        return None


def plugin(version: str) -> type[Plugin]:
    return FactoryCallPlugin
