"""Languages: chosen from the browser, by the switcher on every page, remembered per person; right to left for
Arabic and Urdu; money and dates written the language's way; people's own text marked with its language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from coproduce.accounts.models import User
from coproduce.core import email as core_email
from coproduce.core.languages import is_bidi, offered, offered_or_default
from coproduce.core.money import format_pence, parse_pounds, plain_pounds
from coproduce.partnerships.models import Membership
from tests.conftest import signed_in
from tests.factories import OrganisationFactory
from tests.reports.access_open import publish

HTML_TAG = re.compile(r'<html lang="([^"]*)" dir="([^"]*)">')
NON_ENGLISH = ["gd", "pl", "uk", "ar", "ur"]


def html_lang_dir(response: Any) -> tuple[str, str]:
    found = HTML_TAG.search(response.content.decode())
    assert found, "the page has no <html lang dir>"
    return found.group(1), found.group(2)


@pytest.fixture
def anonymous(db: None) -> Client:
    return Client()


@pytest.fixture
def fund(member: Membership) -> dict[str, Any]:
    """A fund with £20,000.50 in it, published as open data."""
    from django.utils import timezone

    from coproduce.fund.models import Contribution

    council = OrganisationFactory(partnership=member.partnership, name="Riverside Council", org_id="GB-LAS-GLG")
    Contribution.objects.create(
        partnership=member.partnership,
        organisation=council,
        kind="money",
        description="Core grant for the year",
        value_pence=2_000_050,
        received_at=timezone.now(),
    )
    publish(member.partnership)
    return {"partnership": member.partnership}


class TestFromTheBrowser:
    @pytest.mark.parametrize(
        ("header", "lang", "direction"),
        [
            ("pl", "pl", "ltr"),
            ("gd", "gd", "ltr"),
            ("uk", "uk", "ltr"),
            ("ar", "ar", "rtl"),
            ("ur", "ur", "rtl"),
            ("pl-PL,pl;q=0.9,en;q=0.5", "pl", "ltr"),
            ("ar-SA", "ar", "rtl"),
            ("en-GB", "en-gb", "ltr"),
        ],
    )
    def test_the_page_is_in_the_browsers_language_and_direction(
        self, anonymous: Client, header: str, lang: str, direction: str
    ) -> None:
        for name in ("core:accessibility", "account_login"):
            response = anonymous.get(reverse(name), headers={"accept-language": header})
            assert response.status_code == 200
            assert html_lang_dir(response) == (lang, direction)
            assert response["Content-Language"] == lang

    @pytest.mark.parametrize("code", NON_ENGLISH)
    def test_the_page_shows_the_catalogues_words(self, anonymous: Client, code: str) -> None:
        import polib  # type: ignore[import-untyped,unused-ignore]

        catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"))
        words = {e.msgid: e.msgstr for e in catalogue if e.msgstr and "fuzzy" not in e.flags}
        sentence = next(
            (m for m in ("Skip to main content", "Change language", "Accessibility statement") if m in words), ""
        )
        if not sentence:
            pytest.skip(f"the {code} catalogue does not translate the page's frame yet")
        page = anonymous.get(reverse("core:accessibility"), headers={"accept-language": code}).content.decode()
        assert words[sentence] in page or escape(words[sentence]) in page

    @pytest.mark.parametrize("header", ["xx", "xx-YY", "fr", "*", "", "zz;q=0.9,qq"])
    def test_a_language_not_offered_falls_back_to_english(self, anonymous: Client, header: str) -> None:
        response = anonymous.get(reverse("core:accessibility"), headers={"accept-language": header})
        assert response.status_code == 200
        assert html_lang_dir(response) == ("en-gb", "ltr")

    def test_right_to_left_pages_load_the_mirrored_design_system(self, anonymous: Client) -> None:
        rtl = anonymous.get(reverse("core:accessibility"), headers={"accept-language": "ar"}).content.decode()
        ltr = anonymous.get(reverse("core:accessibility"), headers={"accept-language": "pl"}).content.decode()
        assert "design-system.rtl.min.css" in rtl and "coproduce/rtl.css" in rtl
        assert "design-system.min.css" not in rtl
        assert "design-system.rtl.min.css" not in ltr and "coproduce/rtl.css" not in ltr

    def test_the_error_page_says_its_language_too(self, anonymous: Client) -> None:
        from django.template.loader import render_to_string

        with translation.override("ur"):
            page = render_to_string("500.html")
        assert '<html lang="ur" dir="rtl">' in page
        assert "design-system.rtl.min.css" in page


class TestSwitcher:
    def test_every_page_has_a_switcher_that_works_without_javascript(self, anonymous: Client) -> None:
        page = anonymous.get(reverse("core:accessibility"), headers={"accept-language": "pl"}).content.decode()
        form = page[page.index('action="/language/"') : page.index("</form>", page.index('action="/language/"'))]
        assert 'method="post"' in page[page.index('action="/language/"') - 60 : page.index('action="/language/"')]
        assert '<label class="cp-language-form__label" for="cp-language">' in form
        assert 'name="csrfmiddlewaretoken"' in form
        assert '<input type="hidden" name="next" value="/accessibility/">' in form
        for language in offered():
            assert f'value="{language.code}" lang="{language.code}"' in form
            assert language.name in form
        assert '<option value="pl" lang="pl" dir="ltr" selected>polski</option>' in form
        assert 'lang="ar" dir="rtl">العربية</option>' in form
        assert 'type="submit"' in form

    def test_signed_out_the_choice_is_kept_in_a_cookie(self, anonymous: Client) -> None:
        response = anonymous.post(reverse("core:language"), {"language": "uk", "next": "/accessibility/"})
        assert response.status_code == 302
        assert response["Location"] == "/accessibility/"
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert cookie.value == "uk"
        assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) > 30 * 24 * 3600
        # The cookie wins over the browser's language from then on.
        page = anonymous.get("/accessibility/", headers={"accept-language": "pl"})
        assert html_lang_dir(page) == ("uk", "ltr")

    def test_signed_in_the_choice_is_saved_with_the_person(self, member: Membership) -> None:
        client = signed_in(member.user)
        response = client.post(reverse("core:language"), {"language": "ar", "next": "/accessibility/"})
        assert response.status_code == 302
        member.user.refresh_from_db()
        assert member.user.language == "ar"

    def test_a_persons_saved_language_beats_the_browsers_and_the_cookies(self, member: Membership) -> None:
        User.objects.filter(pk=member.user.pk).update(language="ur")
        client = signed_in(member.user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "pl"
        page = client.get(reverse("core:accessibility"), headers={"accept-language": "gd"})
        assert html_lang_dir(page) == ("ur", "rtl")
        assert page["Content-Language"] == "ur"

    def test_signing_in_applies_the_saved_language_on_another_device(self, member: Membership) -> None:
        User.objects.filter(pk=member.user.pk).update(language="pl")
        client = Client()  # a new device: no cookie, a browser in English
        assert html_lang_dir(client.get("/accessibility/", headers={"accept-language": "en"}))[0] == "en-gb"
        client.force_login(User.objects.get(pk=member.user.pk))
        assert html_lang_dir(client.get("/accessibility/", headers={"accept-language": "en"}))[0] == "pl"

    def test_a_saved_code_no_longer_offered_is_ignored(self, member: Membership) -> None:
        User.objects.filter(pk=member.user.pk).update(language="fr")
        page = signed_in(member.user).get("/accessibility/", headers={"accept-language": "pl"})
        assert html_lang_dir(page)[0] == "pl"

    @pytest.mark.parametrize("code", ["xx", "", "fr", "en", "PL", "<script>", "ar\x00"])
    def test_a_code_not_offered_gives_english_and_says_so(self, member: Membership, code: str) -> None:
        client = signed_in(member.user)
        response = client.post(reverse("core:language"), {"language": code, "next": "/accessibility/"}, follow=True)
        assert response.status_code in (200, 400)  # a NUL is refused before any view, as everywhere
        if response.status_code == 400:
            return
        assert html_lang_dir(response) == ("en-gb", "ltr")
        assert "That language is not offered here, so pages are shown in English." in response.content.decode()
        member.user.refresh_from_db()
        assert member.user.language == "en-gb"
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"

    @pytest.mark.parametrize(
        "next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "", "\\\\evil.example"]
    )
    def test_it_goes_back_only_to_a_page_of_this_site(self, anonymous: Client, next_url: str) -> None:
        response = anonymous.post(reverse("core:language"), {"language": "pl", "next": next_url})
        assert response.status_code == 302
        assert response["Location"] == reverse("core:landing")

    def test_it_keeps_the_query_of_the_page(self, anonymous: Client) -> None:
        response = anonymous.post(reverse("core:language"), {"language": "pl", "next": "/?all=1"})
        assert response["Location"] == "/?all=1"

    def test_a_get_is_refused(self, anonymous: Client) -> None:
        assert anonymous.get(reverse("core:language")).status_code == 405

    def test_the_form_needs_its_csrf_token(self, db: None) -> None:
        client = Client(enforce_csrf_checks=True)
        assert client.post(reverse("core:language"), {"language": "pl"}).status_code == 403


class TestEmails:
    def test_an_email_is_written_in_the_recipients_language(self) -> None:
        seen: list[str | None] = []

        def spy(*args: Any, **kwargs: Any) -> Any:
            seen.append(translation.get_language())
            return core_email.Email(subject="", body="", html="", from_email="")

        with mock.patch.object(core_email, "_make_email", spy), translation.override("pl"):
            core_email.make_email("x", {}, language="ar")
            core_email.make_email("x", {}, language="")  # not known: the language where it is made
            core_email.make_email("x", {}, language="xx")
        assert seen == ["ar", "pl", "pl"]

    def test_an_allauth_email_to_a_person_is_in_their_saved_language(self, member: Membership) -> None:
        from coproduce.accounts.adapter import AccountAdapter

        User.objects.filter(pk=member.user.pk).update(language="uk")
        with mock.patch("coproduce.accounts.adapter.make_email") as made:
            AccountAdapter().render_mail("account/email/login_code", member.user.email.upper(), {"code": "1"})
        assert made.call_args.kwargs["language"] == "uk"


class TestMoney:
    @pytest.mark.parametrize(
        ("language", "pence", "text"),
        [
            ("en-gb", 125050, "£1,250.50"),
            ("en-gb", 125000, "£1,250"),
            ("en-gb", -5, "-£0.05"),
            ("gd", 125050, "£1,250.50"),
            ("pl", 125050, "1\xa0250,50\xa0£"),
            ("pl", 125000, "1\xa0250\xa0£"),
            ("uk", 125050, "1\xa0250,50\xa0£"),
            ("ar", 125050, "\u200f1,250.50\xa0£"),  # Western digits, as Babel writes Arabic by default
            ("ur", 125050, "£1,250.50"),
            ("xx", 125050, "£1,250.50"),
        ],
    )
    def test_money_is_written_the_languages_way(self, language: str, pence: int, text: str) -> None:
        with translation.override(language):
            assert format_pence(pence) == text
        assert format_pence(pence, locale=language) == text

    @pytest.mark.parametrize("language", ["en-gb", *NON_ENGLISH])
    def test_what_a_form_shows_in_its_box_reads_back_in_every_language(self, language: str) -> None:
        with translation.override(language):
            for pence in (0, 5, 125050, 10**9):
                assert parse_pounds(format_pence(pence, symbol=False)) == pence
                assert plain_pounds(pence) == plain_pounds(pence)

    def test_the_money_filters_follow_the_language(self) -> None:
        template = Template("{% load fund_tags pay_tags %}{{ p|pounds }} {{ p|pence_as_pounds }}")
        with translation.override("pl"):
            assert template.render(Context({"p": 150})) == "1,50\xa0£ 1,50\xa0£"
        with translation.override("en-gb"):
            assert template.render(Context({"p": 150})) == "£1.50 £1.50"

    def test_files_and_open_data_do_not_change_with_the_language(self, fund: dict[str, Any]) -> None:
        url = reverse("fund:open-grants", kwargs={"slug": fund["partnership"].slug})
        english = Client().get(url, headers={"accept-language": "en-GB"})
        assert english.status_code == 200
        assert b"20000.5" in english.content or b"2000050" in english.content  # the £20,000.50 contribution
        for language in NON_ENGLISH:
            assert Client().get(url, headers={"accept-language": language}).content == english.content


class TestDates:
    @pytest.mark.parametrize(
        ("language", "day_month_year", "month_year"),
        [
            ("en-gb", "7 December 2026", "December 2026"),
            ("pl", "7 grudnia 2026", "Grudzień 2026"),
            ("uk", "7 грудня 2026", "Грудень 2026"),
            ("ar", "7 ديسمبر 2026", "ديسمبر 2026"),
            ("ur", "7 دسمبر 2026", "دسمبر 2026"),
            ("gd", "7 An Dùbhlachd 2026", "An Dùbhlachd 2026"),
        ],
    )
    def test_templates_name_the_month_as_the_language_does_beside_a_day(
        self, language: str, day_month_year: str, month_year: str
    ) -> None:
        template = Template('{{ d|date:"j F Y" }}|{{ d|date:"F Y" }}|{{ d|date:"\\F j" }}')
        with translation.override(language):
            shown = template.render(Context({"d": date(2026, 12, 7)}))
        assert shown == f"{day_month_year}|{month_year}|F 7"

    def test_the_localized_date_format_is_the_languages(self) -> None:
        with translation.override("pl"):
            assert date_format(date(2026, 12, 7)) == "7 grudnia 2026"


class TestTextLanguage:
    @pytest.mark.parametrize(
        ("page", "text", "expected"),
        [
            ("en-gb", "pl", ' lang="pl" dir="ltr"'),
            ("en-gb", "ar", ' lang="ar" dir="rtl"'),
            ("en-gb", "", ""),
            ("en-gb", "en-gb", ""),
            ("pl", "pl", ""),
            ("pl", "", ' lang="en" dir="ltr"'),
            ("pl", "en-gb", ' lang="en-gb" dir="ltr"'),
            ("ar", "ur", ' lang="ur" dir="rtl"'),
            ("ar", "ar", ""),
            ("pl", '"><script>', ' lang="en" dir="ltr"'),
        ],
    )
    def test_peoples_text_is_marked_when_its_language_is_not_the_pages(
        self, page: str, text: str, expected: str
    ) -> None:
        template = Template("{% load text_language %}<p{{ language|lang_attr }}>words</p>")
        with translation.override(page):
            assert template.render(Context({"language": text})) == f"<p{expected}>words</p>"

    def test_none_is_english(self) -> None:
        template = Template("{% load text_language %}<p{{ language|lang_attr }}>")
        with translation.override("uk"):
            assert template.render(Context({"language": None})) == '<p lang="en" dir="ltr">'


class TestLanguagesOffered:
    def test_each_is_named_in_itself_and_right_to_left_where_it_is_written_so(self) -> None:
        names = {language.code: language.name for language in offered()}
        assert names == {
            "en-gb": "English",
            "gd": "Gàidhlig",
            "pl": "polski",
            "uk": "Українська",
            "ar": "العربية",
            "ur": "اردو",
        }
        assert [code for code in names if is_bidi(code)] == ["ar", "ur"]
        assert offered_or_default("xx") == "en-gb" and offered_or_default("uk") == "uk"
