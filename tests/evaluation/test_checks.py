"""The plain checks on words: phone numbers and emails in free text, and questions that ask too much."""

from __future__ import annotations

import pytest

from coproduce.evaluation.checks import question_warning_keys, question_warnings, text_flags


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 07700 900123",
        "my number is 07700900123 thanks",
        "+44 7700 900 123",
        "+447700900123",
        "(0131) 496 0000",
        "0131-496-0000",
        "0044 131 496 0000",
        "ring 0131 4960000 any time",
        "07700.900.123",
    ],
)
def test_phone_numbers_are_flagged(text: str) -> None:
    assert text_flags(text) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@example.org",
        "write to me: j_doe+eval@mail.example.co.uk",
        "jane (at) example (dot) org",
        "JANE@EXAMPLE.ORG",
    ],
)
def test_emails_are_flagged(text: str) -> None:
    assert text_flags(text) == ["email"]


def test_both_are_flagged_in_order() -> None:
    assert text_flags("jane@example.org or 07700 900123") == ["phone", "email"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The staff were kind and listened. Keep the Tuesday drop-in!",
        "It took 3 weeks to get seen, then 2 more.",
        "The bus at 10.15 was late; room 12 on floor 2.",
        "I have 2 kids aged 4 and 7",
        "Opened in 2019, came 12 times",
        "a reference like 12345",
        "the price was £1,200",
        "look at @coproduce on social media",
    ],
)
def test_ordinary_text_is_not_flagged(text: str) -> None:
    assert text_flags(text) == []


def test_accepted_false_alarms() -> None:
    """Cautious by design: a long number starting with 0 looks like a phone number. A coordinator looks and
    shows it."""
    assert text_flags("my case number 0123456789") == ["phone"]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("What is your name?", ["name"]),
        ("Please give your full name", ["name"]),
        ("What are you called?", ["name"]),
        ("What is your postcode?", ["address"]),
        ("Which street do you live on?", ["address"]),
        ("Where do you live?", ["address"]),
        ("What is your date of birth?", ["age"]),
        ("How old are you?", ["age"]),
        ("Your age", ["age"]),
        ("What is your DOB?", ["age"]),
        ("Do you have a health condition?", ["health"]),
        ("Did your illness affect you?", ["health"]),
        ("Do you have a disability?", ["health"]),
        ("What was the diagnosis?", ["health"]),
        ("Are you on any medication?", ["health"]),
        ("Are you pregnant?", ["health"]),
        ("How is your mental health?", ["health"]),
        ("What is your religion?", ["belief"]),
        ("What is your ethnicity?", ["belief"]),
        ("What is your immigration status?", ["belief"]),
        ("What is your National Insurance number?", ["number"]),
        ("Can we have your phone number?", ["contact"]),
        ("Your email please", ["contact"]),
        ("Have the police been involved?", ["record"]),
        ("What is your name and postcode?", ["name", "address"]),
    ],
)
def test_questions_asking_too_much_are_warned(text: str, keys: list[str]) -> None:
    assert question_warning_keys(text) == keys
    reasons = question_warnings(text)
    assert len(reasons) == len(keys)
    assert all(reason.endswith(".") for reason in reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Was the room warm enough?",
        "Would you recommend this service to a friend?",
        "Did the crèche make it easier to come?",
        "Was the transport help useful?",
        "Did you get the money advice you hoped for?",
        "Were the times right for you?",
        "Was the page easy to read?",
        "Did staff explain things clearly?",
    ],
)
def test_ordinary_questions_are_not_warned(text: str) -> None:
    assert question_warnings(text) == []


def test_accepted_false_warnings() -> None:
    """Some innocent wording is warned too; the coordinator ticks that she checked it and keeps it."""
    assert question_warning_keys("Did staff name the next step?") == ["name"]
    assert question_warning_keys("Were the conditions in the hall good?") == ["health"]
    assert question_warning_keys("Do you have faith in the service?") == ["belief"]
