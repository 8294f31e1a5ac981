"""Every piece of text people read can be translated: in templates (checked with Django's own lexer, see
tests/core/translatable.py) and in Python, where a message id must be a constant string so that
`makemessages` finds it and the catalogue's translation is the one used."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.core.translatable import template_files, untranslated_text

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "coproduce"

# Text in a template that is not for reading: (path from the package, the text as reported).
NOT_FOR_READING = {
    # allauth's block naming the kind of code, a value for the code, not a word on the page.
    ("templates/account/confirm_login_code.html", "0 0 login"),
}

# The functions whose first argument (the second for the p- forms) is a message id.
_MESSAGE_FUNCTIONS = {
    "gettext": (0,),
    "gettext_lazy": (0,),
    "_": (0,),
    "ngettext": (0, 1),
    "ngettext_lazy": (0, 1),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def test_the_checker_finds_unmarked_text_and_leaves_marked_text() -> None:
    source = (
        '{% load i18n %}<h1>{% translate "Ideas" %}</h1>\n'
        "<p>Share an idea</p>\n"
        "{% blocktranslate trimmed with name=person.name %}Hello {{ name }}{% endblocktranslate %}\n"
        '<img src="x.png" alt="A map">{% comment %}not read{% endcomment %}\n'
        '<input type="submit" value="Save"><button name="choice" value="agree">{{ label }}</button>\n'
        "<script>var x = 'not read';</script><pre>date,value</pre><td>{{ total }} £</td>\n"
        '<h{{ level }} class="ds_title">{{ title }}</h{{ level }}><p title="{% translate "Menu" %}">…</p>\n'
        '{% block layout_class %}ds_layout--article  cp-paper{% endblock %}<span lang="en">(Language)</span>\n'
        "<span>Not marked</span><span><span lang='en-gb'>English</span> after</span>\n"
    )
    found = [(item.line, item.text) for item in untranslated_text(source)]
    assert found == [(2, "Share an idea"), (4, "alt=A map"), (5, "value=Save"), (9, "Not marked"), (9, "after")]


def test_every_template_marks_the_text_people_read() -> None:
    found = [
        str(item)
        for path in template_files(PACKAGE)
        for item in untranslated_text(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE)))
        if (item.path, item.text) not in NOT_FOR_READING
    ]
    assert not found, "Text not marked for translation ({% translate %} or {% blocktranslate %}):\n" + "\n".join(found)


def _python_files() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def test_message_ids_are_constant_strings() -> None:
    """`gettext(f"…")` or `gettext("…" + x)` gives makemessages nothing to find and the catalogue nothing
    to match: the placeholders are named in the message and filled after translation."""
    wrong = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _called_name(node) in _MESSAGE_FUNCTIONS:
                for index in _MESSAGE_FUNCTIONS[_called_name(node)]:
                    if index < len(node.args):
                        argument = node.args[index]
                        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                            where = path.relative_to(PACKAGE)
                            wrong.append(f"{where}:{node.lineno}: {ast.unparse(argument)[:80]}")
    assert not wrong, "\n".join(wrong)
