"""Django forms rendered with the Scottish Government Design System (SGDS).

``FORM_RENDERER = "coproduce.core.forms_rendering.SGFormRenderer"`` in settings.

* Templates come through the project's ``TEMPLATES`` (``TemplatesSetting``), so the overrides in
  ``templates/forms/`` and ``templates/django/forms/widgets/`` win over Django's own.
* ``forms/form.html`` and ``forms/field.html`` lay out each field as an SGDS question: label (or legend for
  radios and checkboxes), hint, error message, widget.
* Ids follow Django's own scheme, so the ``aria-describedby`` and ``aria-invalid`` attributes that Django
  puts on the widget point at real elements: the hint is ``<auto_id>_helptext`` and the error message is
  ``<auto_id>_error`` (for a field ``email``: ``id_email_helptext``, ``id_email_error``). For radios and
  checkboxes Django leaves ``aria-describedby`` off the inputs and the field template puts it on the
  ``<fieldset>``.
* The SGDS classes on the widgets themselves (``ds_input``, ``ds_input--error``, ``ds_select``,
  ``ds_checkbox__input``...) are added here, in :meth:`SGFormRenderer.render`, rather than written into each
  widget template: the widget's ``attrs`` dict is the only place where a class given in Python
  (``attrs={"class": ...}``) and the error state (Django's ``aria-invalid``) are both known, and a template
  cannot merge two ``class`` attributes without writing the attribute twice.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import TemplatesSetting

_WIDGETS = "django/forms/widgets/"

# widget template -> (class always added, class added when the field has errors)
_INPUT = ("ds_input", "ds_input--error")
WIDGET_CLASSES: dict[str, tuple[str, str]] = {
    **{
        f"{_WIDGETS}{name}.html": _INPUT
        for name in (
            "input",
            "text",
            "email",
            "password",
            "url",
            "number",
            "tel",
            "search",
            "date",
            "time",
            "datetime",
            "color",
        )
    },
    f"{_WIDGETS}textarea.html": _INPUT,
    f"{_WIDGETS}select.html": ("ds_select", "ds_select--error"),
    f"{_WIDGETS}checkbox.html": ("ds_checkbox__input", ""),
    f"{_WIDGETS}file.html": ("ds_file-upload__input", "ds_file-upload__input--error"),
    f"{_WIDGETS}clearable_file_input.html": ("ds_file-upload__input", "ds_file-upload__input--error"),
}

# widgets whose options each get a class: template -> option class
OPTION_CLASSES: dict[str, str] = {
    f"{_WIDGETS}radio.html": "ds_radio__input",
    f"{_WIDGETS}checkbox_select.html": "ds_checkbox__input",
}


def _add_class(attrs: dict[str, Any], *classes: str) -> None:
    existing = str(attrs.get("class") or "").split()
    wanted = [c for c in classes if c and c not in existing]
    if wanted:
        attrs["class"] = " ".join([*wanted, *existing])


class SGFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if isinstance(widget, dict) and isinstance(widget.get("attrs"), dict):
            # Widget.get_context() builds a fresh attrs dict for every render, so changing it is safe.
            attrs = widget["attrs"]
            invalid = attrs.get("aria-invalid") in ("true", True)
            if template_name in WIDGET_CLASSES:
                base, error = WIDGET_CLASSES[template_name]
                _add_class(attrs, base, error if invalid else "")
            elif template_name in OPTION_CLASSES:
                for _group, options, _index in widget.get("optgroups", ()):
                    for option in options:
                        _add_class(option.setdefault("attrs", {}), OPTION_CLASSES[template_name])
        return super().render(template_name, context, request)
