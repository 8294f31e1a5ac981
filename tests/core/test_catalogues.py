"""The message catalogues: one for every language offered, each compiled ``.mo`` committed beside its ``.po`` and
saying the same (a fresh machine has no ``msgfmt`` to compile them), and each valid for ``msgfmt``."""

from __future__ import annotations

import shutil
import subprocess  # nosec B404 - msgfmt, a fixed program with fixed arguments
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.utils.translation import to_locale

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(code: str, suffix: str) -> Path:
    return LOCALE / to_locale(code) / "LC_MESSAGES" / f"django.{suffix}"


def entries(found: Any) -> dict[tuple[str, str], Any]:
    """What a catalogue translates: (context, message) to the translation or its plural forms."""
    result: dict[tuple[str, str], Any] = {}
    for entry in found:
        if not entry.msgid or "fuzzy" in entry.flags or entry.obsolete:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
            if any(forms):
                result[(entry.msgctxt or "", entry.msgid)] = forms
        elif entry.msgstr:
            result[(entry.msgctxt or "", entry.msgid)] = entry.msgstr
    return result


def test_every_language_offered_has_a_catalogue() -> None:
    assert LANGUAGES == ["gd", "pl", "uk", "ar", "ur"]
    for code in LANGUAGES:
        assert catalogue(code, "po").is_file(), f"no catalogue for {code}"
        assert catalogue(code, "mo").is_file(), f"{code}'s catalogue is not compiled (coproduce compilemessages)"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_header_names_the_language_and_its_plural_forms(code: str) -> None:
    po = polib.pofile(str(catalogue(code, "po")))
    # A fuzzy header is left out when compiled, and with it the plural forms and the character set.
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == code
    assert "nplurals=" in po.metadata["Plural-Forms"]
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_says_what_its_source_says(code: str) -> None:
    po = polib.pofile(str(catalogue(code, "po")))
    mo = polib.mofile(str(catalogue(code, "mo")))
    assert entries(mo) == entries(po), (
        f"locale/{code}: the .mo is not the compiled .po; run `cd src/coproduce && uv run coproduce compilemessages`"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
@pytest.mark.parametrize("code", LANGUAGES)
def test_msgfmt_finds_nothing_wrong(code: str, tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed program, our own file
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(catalogue(code, "po"))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
