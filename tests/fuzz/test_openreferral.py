"""Fuzz: reading an Open Referral UK directory raises nothing but ``DirectoryImportError`` for any file,
however hostile: changed as text, or as JSON (values swapped for hostile ones, keys dropped, nesting added).
Seeded with the demo partnership's directory in tests/data. The reader needs no database."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.links import link_target
from coproduce.support.openreferral import DirectoryImportError, ServiceRecord, read_directory
from tests.fuzz.mutations import FUZZ, HOSTILE, mutated

SEED = (Path(__file__).resolve().parent.parent / "data" / "openreferral" / "riverside-services.json").read_text(
    encoding="utf-8"
)
PAGE = json.loads(SEED)

_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "//evil.example",
            "https://",
            "x" * 100_000,
            "[" * 40 + "]" * 40,
            "not-a-uuid",
            "active",
            "https://example.org/" + "a" * 300,
        ]
    ),
    st.text(max_size=30),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.builds(list),  # a new object each time: the document is changed in place
    st.builds(dict),
    st.builds(lambda: [[[[[[[[[[]]]]]]]]]]),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


@st.composite
def hostile_documents(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 3)) == 0:  # changed as text
        return draw(mutated([SEED])).encode()
    document: Any = copy.deepcopy(draw(st.sampled_from([PAGE, PAGE["contents"][0], PAGE["contents"][2]])))
    for _ in range(draw(st.integers(1, 6))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "drop", "nest"]))
        if action == "replace":
            parent[path[-1]] = draw(_values)
        elif action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "nest":
            parent[path[-1]] = [parent[path[-1]]] * draw(st.integers(1, 3))
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()


def test_the_seed_reads() -> None:
    records = read_directory(SEED.encode())
    assert len(records) == len(PAGE["contents"]) and all(record.fields["name"] for record in records)


def _read(data: bytes) -> list[ServiceRecord] | DirectoryImportError:
    try:
        return read_directory(data)
    except DirectoryImportError as error:
        return error


@FUZZ
@given(hostile_documents())
def test_any_file_reads_or_gives_a_directory_import_error(data: bytes) -> None:
    records = _read(data)
    if isinstance(records, DirectoryImportError):
        assert records.problems and all(isinstance(p, str) and len(p) < 400 for p in records.problems)
        return
    for record in records:
        url = record.fields["url"]
        assert not url or link_target(url, same_site=False) == url
        assert all("\x00" not in value for value in record.fields.values() if isinstance(value, str))
