"""The method commands (``coproduce budget``, ``coproduce opinion``) start without Django and behave as the
Django management commands of the same names."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands

from coproduce.method_commands import NAMES
from coproduce.methods.blt import read_blt
from coproduce.methods.preflib import write_soi

DATA = Path(__file__).resolve().parent / "data"
ASSEN = DATA / "pabulib" / "Netherlands_Assen_2024.pb"
BREXIT = DATA / "polis" / "opendata" / "brexit-consensus"
ALMOND = DATA / "stv" / "edinburgh_2022_ward1.blt"
SHETLAND = DATA / "stv" / "shetland_2017_ward2.blt"

# Runs the command as `coproduce` does, then reports on standard error which Django modules were imported.
PROBE = """
import json, sys
from coproduce.cli import main
code = main(["coproduce", *sys.argv[1:]])
sys.stdout.flush()
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith(("django.", "coproduce.settings")))
print("LOADED " + json.dumps({"code": code, "modules": loaded}), file=sys.stderr)
"""


def probe(*args: str) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COPRODUCE_", "DJANGO_", "DATABASE_"))}
    # Settings that cannot be read: a command that reads them fails.
    env["DJANGO_SETTINGS_MODULE"] = "no.such.settings"
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    report = next(line for line in done.stderr.splitlines() if line.startswith("LOADED "))
    return done, json.loads(report.removeprefix("LOADED "))


@pytest.mark.parametrize(
    ("args", "key"), [(("budget", str(ASSEN), "--json"), "selected"), (("opinion", str(BREXIT), "--json"), "groups")]
)
def test_a_method_command_imports_no_django_and_reads_no_settings(args: tuple[str, ...], key: str) -> None:
    done, report = probe(*args)
    assert report == {"code": 0, "modules": []}, done.stderr
    assert key in json.loads(done.stdout)


def test_a_failing_method_command_imports_no_django_either(tmp_path: Path) -> None:
    done, report = probe("budget", str(tmp_path / "missing.pb"))
    assert report == {"code": 1, "modules": []}
    assert done.stdout == ""
    assert done.stderr.splitlines()[0].startswith("CommandError: ") and "cannot be read" in done.stderr


def command_line(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-m", "coproduce.cli", *args], capture_output=True, text=True, timeout=120, check=False
    )


def without_time(text: str) -> list[str]:
    return [line.split("; computed in")[0] for line in text.splitlines() if not line.startswith("Time: ")]


@pytest.mark.parametrize(
    "args",
    [
        ("budget", str(ASSEN)),
        ("budget", str(ASSEN), "--rule", "greedy"),
        ("budget", str(ASSEN), "--completion", "none", "--tie-break", "id"),
        ("opinion", str(BREXIT)),
        ("count", str(SHETLAND)),
        ("count", str(SHETLAND), "--method", "irv"),
        ("count", str(SHETLAND), "--method", "schulze"),
    ],
)
def test_the_command_line_prints_what_the_management_command_prints(args: tuple[str, ...]) -> None:
    out = io.StringIO()
    call_command(*args, stdout=out)
    done = command_line(*args)
    assert done.returncode == 0, done.stderr
    assert without_time(done.stdout) == without_time(out.getvalue())


def test_wrong_arguments_give_the_usage_and_exit_code_2() -> None:
    done = command_line("budget", str(ASSEN), "--rule", "lottery")
    assert done.returncode == 2 and done.stdout == ""
    assert "usage: " in done.stderr and "invalid choice: 'lottery'" in done.stderr


def test_the_options_every_django_command_takes_are_still_accepted() -> None:
    done = command_line("budget", str(ASSEN), "--json", "-v", "0", "--no-color")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["selected"]


def test_a_failure_with_traceback_shows_where_it_came_from(tmp_path: Path) -> None:
    done = command_line("budget", str(tmp_path / "missing.pb"), "--traceback")
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "cannot be read" in done.stderr


def test_every_method_command_is_also_a_management_command() -> None:
    commands = get_commands()
    assert {name: commands.get(name) for name in NAMES} == {
        "budget": "coproduce.fund",
        "count": "coproduce.core",
        "opinion": "coproduce.conversations",
    }


def test_count_prints_the_elected_in_order_and_json_with_numbers_quota_and_stages() -> None:
    done = command_line("count", str(ALMOND))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("Elected (4):")
    assert [line.split('"')[0].split()[-1] for line in lines[at + 1 : at + 5]] == ["LANG", "WORK", "YOUNG", "YOUNIE"]
    assert lines[0] == "Election: Ward 1 - Almond" and lines[1].startswith("Stage 1: first preferences counted")
    document = json.loads(command_line("count", str(ALMOND), "--json").stdout)
    assert document["elected_numbers"] == [6, 7, 8, 9]
    assert document["elected"][0] == 'Kevin LANG "Scottish Liberal Democrats"'
    assert document["quota"] == 2782
    assert len(document["stages"]) == 8
    assert document["stages"][1]["totals"]['Kevin LANG "Scottish Liberal Democrats"'] == 2782
    assert isinstance(document["seconds"], float)


def test_count_by_other_methods_and_seats() -> None:
    assert json.loads(command_line("count", str(ALMOND), "--method", "irv", "--json").stdout)["elected_numbers"] == [6]
    schulze = json.loads(command_line("count", str(ALMOND), "--method", "schulze", "--json").stdout)
    assert schulze["elected_numbers"] == [6] and schulze["quota"] is None
    one_seat = json.loads(command_line("count", str(ALMOND), "--seats", "1", "--json").stdout)
    assert one_seat["elected_numbers"] == [6] and one_seat["quota"] == 13_909 // 2 + 1


def test_count_reads_a_preflib_soi_file_to_the_same_result(tmp_path: Path) -> None:
    soi = tmp_path / "almond.soi"
    soi.write_text(write_soi(read_blt(ALMOND)), encoding="utf-8")
    from_soi = json.loads(command_line("count", str(soi), "--json").stdout)
    from_blt = json.loads(command_line("count", str(ALMOND), "--json").stdout)
    assert from_soi["elected_numbers"] == from_blt["elected_numbers"] == [6, 7, 8, 9]
    assert from_soi["stages"] == from_blt["stages"]


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        (
            "bad.soi",
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n1: 1,3\n",
            "bad.soi: line 4",
        ),
        ("bad.soi", "", "bad.soi: the file is empty"),
    ],
)
def test_count_bad_soi_is_one_line_and_exit_code_1(tmp_path: Path, name: str, text: str, words: str) -> None:
    bad = tmp_path / name
    bad.write_text(text)
    done = command_line("count", str(bad))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"CommandError: {words}")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "args", "words"),
    [
        ("3 1\n1 2 0\n", (), "bad.blt: line 2: the ballots do not end with a line holding only 0"),
        ("", (), "bad.blt: the file is empty"),
        ("2 1\n1 1 0\n0\nA\nB\n", ("--method", "irv", "--seats", "2"), "--seats applies to --method stv only"),
    ],
)
def test_count_bad_input_is_one_line_and_exit_code_1(
    tmp_path: Path, text: str, args: tuple[str, ...], words: str
) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text(text)
    done = command_line("count", str(bad), *args)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"CommandError: {words}")
    assert len(done.stderr.splitlines()) == 1
