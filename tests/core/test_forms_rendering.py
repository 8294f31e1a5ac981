"""Forms render as Scottish Government Design System questions, with labels, hints and errors tied to
their fields, and the site's templates hold together (base layout, error pages, allauth pages)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import loader
from django.urls import reverse

from coproduce.core.forms_rendering import SGFormRenderer
from tests.conftest import present, signed_in

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parents: list[Element]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parents = list(parents)
        self.text = ""

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()


class StrictParser(HTMLParser):
    """Collects elements and fails on what a validator would reject here: a closing tag that does not
    match, an element left open, a repeated attribute or id, an inline style or event handler."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[Element] = []
        self.elements: list[Element] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.problems.append(f"<{tag}> repeats an attribute: {names}")
        for name in names:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag}> has {name}=, which the CSP forbids")
        element = Element(tag, dict(attrs), self.stack)
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"</{tag}> closes a void element")
            return
        if not self.stack or self.stack[-1].tag != tag:
            self.problems.append(f"</{tag}> does not match <{self.stack[-1].tag if self.stack else '-'}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def parse(html: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(html)
    parser.close()
    if parser.stack:
        parser.problems.append(f"left open: {[e.tag for e in parser.stack]}")
    ids = [i for e in parser.elements if (i := e.attrs.get("id"))]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        parser.problems.append(f"repeated ids: {repeated}")
    assert not parser.problems, parser.problems
    return parser


def by_id(doc: StrictParser, id_: str) -> Element:
    found = [e for e in doc.elements if e.attrs.get("id") == id_]
    assert found, f"no element with id {id_!r}"
    return found[0]


def text(element: Element) -> str:
    return " ".join(element.text.split())


def assert_labelled_and_described(doc: StrictParser) -> None:
    """Every control has a label (or, for a radio or checkbox list, its own label inside a fieldset with
    a legend); every label points at a real control; every aria-describedby names real elements."""
    ids = {e.attrs["id"]: e for e in doc.elements if e.attrs.get("id")}
    for label in (e for e in doc.elements if e.tag == "label"):
        target = label.attrs.get("for")
        assert target and target in ids, f"label {text(label)!r} points at {target!r}"
        assert ids[target].tag in {"input", "select", "textarea"}
    labelled = {e.attrs["for"] for e in doc.elements if e.tag == "label"}
    for control in doc.elements:
        if control.tag not in {"input", "select", "textarea"} or control.attrs.get("type") in {"hidden", "submit"}:
            continue
        assert control.attrs.get("id") in labelled, f"{control.tag} {control.attrs.get('name')} has no label"
        if control.attrs.get("type") in {"radio", "checkbox"} and control.attrs.get("name") in {"colour", "days"}:
            fieldsets = [p for p in control.parents if p.tag == "fieldset"]
            assert fieldsets, f"{control.attrs['name']} is not in a fieldset"
            assert any(e.tag == "legend" and fieldsets[0] in e.parents for e in doc.elements)
    for element in doc.elements:
        for ref in (element.attrs.get("aria-describedby") or "").split():
            assert ref in ids, f"aria-describedby of <{element.tag}> names missing id {ref!r}"


class EverythingForm(forms.Form):
    name = forms.CharField(label="Your name", help_text="A first name is fine.", max_length=80)
    email = forms.EmailField(label="Email address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    about = forms.CharField(label="About you", widget=forms.Textarea, required=False)
    area = forms.ChoiceField(label="Area", choices=[("", "Choose an area"), ("n", "North"), ("s", "South")])
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("b", "Blue")], widget=forms.RadioSelect, help_text="Pick one."
    )
    days = forms.MultipleChoiceField(
        label="Days", choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
    )
    agree = forms.BooleanField(label="I agree", help_text="You must agree to go on.")
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    nickname = forms.CharField(label="Nickname", required=False, widget=forms.TextInput(attrs={"class": "extra"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") == "clash":
            raise forms.ValidationError("These answers do not fit together.")
        return data


def test_the_project_uses_the_design_system_renderer() -> None:
    assert settings.FORM_RENDERER == "coproduce.core.forms_rendering.SGFormRenderer"
    renderer = get_default_renderer()
    assert isinstance(renderer, SGFormRenderer)
    assert renderer.form_template_name == "forms/form.html"
    assert renderer.field_template_name == "forms/field.html"


def test_an_unbound_form_renders_valid_labelled_sgds_markup() -> None:
    html = str(EverythingForm())
    doc = parse(html)
    assert_labelled_and_described(doc)

    assert by_id(doc, "id_name").classes == ["ds_input"]
    assert by_id(doc, "id_email").attrs["type"] == "email"
    assert "ds_input" in by_id(doc, "id_email").classes
    assert by_id(doc, "id_password").attrs["type"] == "password"
    assert "ds_input" in by_id(doc, "id_password").classes
    assert by_id(doc, "id_about").tag == "textarea"
    assert "ds_input" in by_id(doc, "id_about").classes
    area = by_id(doc, "id_area")
    assert area.tag == "select"
    assert "ds_select" in area.classes
    assert "ds_select-wrapper" in area.parents[-1].classes
    # A class given in Python is kept, and the attribute is written once (the parser checks that).
    assert by_id(doc, "id_nickname").classes == ["ds_input", "extra"]

    # Label and hint for a text field; Django's aria-describedby points at the hint.
    label = next(e for e in doc.elements if e.tag == "label" and e.attrs.get("for") == "id_name")
    assert "ds_label" in label.classes
    assert text(label) == "Your name"
    hint = by_id(doc, "id_name_helptext")
    assert "ds_hint-text" in hint.classes
    assert text(hint) == "A first name is fine."
    assert by_id(doc, "id_name").attrs["aria-describedby"] == "id_name_helptext"
    assert "(optional)" in text(next(e for e in doc.elements if e.tag == "label" and e.attrs.get("for") == "id_about"))

    # Radios: a fieldset with a legend, each option an SGDS radio with its own label; the hint is named
    # by the fieldset.
    red = by_id(doc, "id_colour_0")
    assert red.attrs["type"] == "radio"
    assert "ds_radio__input" in red.classes
    assert "ds_radio" in red.parents[-1].classes
    fieldset = next(p for p in red.parents if p.tag == "fieldset")
    assert fieldset.attrs["aria-describedby"] == "id_colour_helptext"
    legend = next(e for e in doc.elements if e.tag == "legend" and fieldset in e.parents)
    assert text(legend) == "Colour"

    # Checkbox list: the same shape, with SGDS checkboxes.
    monday = by_id(doc, "id_days_0")
    assert monday.attrs["type"] == "checkbox"
    assert "ds_checkbox__input" in monday.classes
    assert "ds_checkbox" in monday.parents[-1].classes
    assert any("ds_checkboxes" in p.classes for p in monday.parents)
    assert any(p.tag == "fieldset" for p in monday.parents)

    # A single checkbox: one SGDS checkbox, label after the box, no fieldset.
    agree = by_id(doc, "id_agree")
    assert agree.attrs["type"] == "checkbox"
    assert "ds_checkbox__input" in agree.classes
    assert "ds_checkbox" in agree.parents[-1].classes
    assert not any(p.tag == "fieldset" for p in agree.parents)
    assert agree.attrs["aria-describedby"] == "id_agree_helptext"

    # No errors yet.
    assert "ds_question--error" not in html
    assert "aria-invalid" not in html
    # The hidden field is rendered, without a question around it.
    token = by_id(doc, "id_token")
    assert token.attrs["type"] == "hidden"
    assert not any("ds_question" in p.classes for p in token.parents)


def test_errors_sit_next_to_their_fields_and_are_announced_with_them() -> None:
    form = EverythingForm(data={"name": "clash", "email": "not an email", "area": "", "days": ["sun"]})
    assert not form.is_valid()
    html = str(form)
    doc = parse(html)
    assert_labelled_and_described(doc)

    email = by_id(doc, "id_email")
    assert email.attrs["aria-invalid"] == "true"
    assert email.classes[:2] == ["ds_input", "ds_input--error"]
    assert email.attrs["aria-describedby"] == "id_email_error"
    message = by_id(doc, "id_email_error")
    assert "ds_question__error-message" in message.classes
    assert "Enter a valid email address." in text(message)
    question = next(p for p in reversed(email.parents) if "ds_question" in p.classes)
    assert "ds_question--error" in question.classes

    # Hint first, then the error, both named by the input.
    assert by_id(doc, "id_password").attrs["aria-describedby"] == "id_password_error"
    assert "ds_select--error" in by_id(doc, "id_area").classes

    # Radios and checkboxes: the fieldset is described by the hint and the error.
    colour_fieldset = next(p for p in by_id(doc, "id_colour_0").parents if p.tag == "fieldset")
    assert colour_fieldset.attrs["aria-describedby"] == "id_colour_helptext id_colour_error"
    assert "Select a valid choice." in text(by_id(doc, "id_days_error"))
    assert by_id(doc, "id_agree").attrs["aria-describedby"] == "id_agree_helptext id_agree_error"

    # The error for the whole form is shown above the fields.
    assert html.index("These answers do not fit together.") < html.index('id="id_name"')
    # Optional fields without errors stay as they were.
    assert "ds_input--error" not in by_id(doc, "id_about").classes


def test_the_error_summary_links_each_error_to_its_field() -> None:
    form = EverythingForm(data={"name": "clash", "email": "x"})
    assert not form.is_valid()
    html = loader.render_to_string("includes/error_summary.html", {"form": form})
    doc = parse(html)
    summary = next(e for e in doc.elements if "ds_error-summary" in e.classes)
    assert summary.attrs["role"] == "alert"
    assert summary.attrs["tabindex"] == "-1"
    assert "autofocus" not in summary.attrs
    assert "There is a problem" in text(summary)
    links = {e.attrs["href"]: text(e) for e in doc.elements if e.tag == "a"}
    assert links["#id_email"] == "Enter a valid email address."
    assert "#id_colour_0" in links  # radios: the first option
    assert "#id_days_0" in links
    assert "#id_agree" in links
    assert "#id_area" in links
    # The form-wide error is plain text, first.
    items = [e for e in doc.elements if e.tag == "li"]
    assert text(items[0]) == "These answers do not fit together."
    assert not any(e.tag == "a" and items[0] in e.parents for e in doc.elements)
    # Every link goes to a control the form renders.
    form_doc = parse(str(form))
    for href in links:
        by_id(form_doc, present(href)[1:])


def test_no_error_summary_without_errors() -> None:
    assert loader.render_to_string("includes/error_summary.html", {"form": EverythingForm()}).strip() == ""


def test_the_500_page_renders_with_no_request_or_context() -> None:
    html = loader.get_template("500.html").render()
    doc = parse(html)
    assert 'href="/static/vendor/sgds/css/design-system.min.css"' in html
    assert "Sorry, something went wrong" in html
    assert any(e.tag == "main" and e.attrs.get("id") == "main-content" for e in doc.elements)


@pytest.mark.django_db
class TestPages:
    def test_a_missing_page_is_plain_and_valid(self, client: Any) -> None:
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        doc = parse(html)
        assert "Page not found" in html
        assert "may not have access" in html
        assert 'href="#main-content"' in html
        assert by_id(doc, "main-content").tag == "main"
        assert re.search(r"<html lang=\"en", html)
        assert "GNU Affero General Public License v3.0 or later" in html

    def test_the_sign_in_page_uses_the_design_system_and_links_errors_to_fields(self, client: Any) -> None:
        page = client.get(reverse("account_login"))
        doc = parse(page.content.decode())
        assert_labelled_and_described(doc)
        assert "ds_input" in by_id(doc, "id_login").classes
        response = client.post(reverse("account_login"), {"login": "", "password": ""})
        assert response.status_code == 200
        html = response.content.decode()
        doc = parse(html)
        assert_labelled_and_described(doc)
        assert "<title>Error: " in html
        assert 'href="#id_login"' in html
        assert by_id(doc, "id_login").attrs["aria-invalid"] == "true"
        assert "ds_error-summary" in html

    def test_the_header_marks_the_current_section_and_offers_sign_out(self, coordinator: Any) -> None:
        client = signed_in(coordinator.user)
        html = client.get(
            reverse("partnerships:people", kwargs={"slug": coordinator.partnership.slug})
        ).content.decode()
        doc = parse(html)
        current = [e for e in doc.elements if e.tag == "a" and e.attrs.get("aria-current") == "page"]
        assert {text(e) for e in current} >= {"People", coordinator.partnership.name}
        assert "Audit log" in html  # coordinators see the coordinator sections
        sign_out = next(
            e for e in doc.elements if e.tag == "form" and e.attrs.get("action") == reverse("account_logout")
        )
        assert sign_out.attrs["method"] == "post"
        assert 'name="csrf-token"' in html

    def test_members_do_not_see_coordinator_sections(self, member: Any) -> None:
        client = signed_in(member.user)
        html = client.get(reverse("partnerships:home", kwargs={"slug": member.partnership.slug})).content.decode()
        parse(html)
        assert "Audit log" not in html
        assert "Invitations" not in html

    @pytest.mark.parametrize("name", ["core:accessibility", "core:privacy"])
    def test_the_statements_render(self, client: Any, name: str) -> None:
        response = client.get(reverse(name))
        assert response.status_code == 200
        parse(response.content.decode())
