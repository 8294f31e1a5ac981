"""Reading and writing ranked ballots as PrefLib ``.soi`` files (strict orders, incomplete), the format of the
PrefLib library of preference data (https://preflib.org, the format of 2022). A file is::

    # FILE NAME: almond.soi
    # TITLE: Almond ward
    # DATA TYPE: soi
    # NUMBER ALTERNATIVES: 3
    # NUMBER VOTERS: 7
    # NUMBER UNIQUE ORDERS: 2
    # ALTERNATIVE NAME 1: Kevin LANG
    # ALTERNATIVE NAME 2: Norrie WORK
    # ALTERNATIVE NAME 3: Louise YOUNG
    # NUMBER SEATS: 2
    5: 1,3
    2: 2

Each order line is ``count: a,b,...``: ``count`` voters ranked alternative ``a`` first, ``b`` second, and so on
(alternatives numbered from 1, as candidates are in BLT). PrefLib has no number of seats; this module writes one
in the comment line ``# NUMBER SEATS`` (other readers pass over it as a comment) and reads it back when present,
so a ranked decision exports and imports as ``.soi`` or BLT (:mod:`coproduce.methods.blt`) alike. Other metadata
lines are kept only as far as the :class:`~coproduce.methods.blt.Election` holds them (the title).

Reading is bounded: at most :data:`MAX_ALTERNATIVES` alternatives and :data:`MAX_COUNT` voters behind one line,
numbers written in ASCII digits only. Every malformed file raises one :class:`PreflibError` naming the line.
"""

from __future__ import annotations

from coproduce.methods.blt import Ballot, Election

__all__ = ["MAX_ALTERNATIVES", "MAX_COUNT", "PreflibError", "read_soi", "write_soi"]

MAX_ALTERNATIVES = 10_000  # far more candidates than any ballot paper holds
MAX_COUNT = 1_000_000_000  # voters behind one order line


class PreflibError(ValueError):
    """A malformed ``.soi`` file: ``line`` is the 1-based line number (0 when the file as a whole is wrong)."""

    def __init__(self, line: int, reason: str, *, name: str = "") -> None:
        self.line = line
        self.reason = reason
        self.name = name
        where = f"{name}: " if name else ""
        super().__init__(f"{where}line {line}: {reason}" if line else f"{where}{reason}")


_NUMBERED = ("NUMBER ALTERNATIVES", "NUMBER VOTERS", "NUMBER UNIQUE ORDERS", "NUMBER SEATS")


def _whole(text: str, line: int, what: str, *, name: str, maximum: int) -> int:
    """``text`` as a whole number from 0 to ``maximum``, in ASCII digits only."""
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit():
        raise PreflibError(line, f"{what} {text[:40]!r} is not a whole number.", name=name)
    if len(text) > len(str(maximum)) or int(text) > maximum:
        raise PreflibError(line, f"{what} {text[:40]} is more than {maximum:,}.", name=name)
    return int(text)


def read_soi(text: str, *, name: str = "", seats: int | None = None) -> Election:
    """The election in the PrefLib ``.soi`` ``text``, for ``seats`` seats (default: the file's ``# NUMBER SEATS``
    line, else 1). Raises :class:`PreflibError` naming the line (and ``name``, the file's name) if malformed."""
    meta: dict[str, tuple[int, str]] = {}  # key -> (line, value)
    names: dict[int, tuple[int, str]] = {}  # alternative -> (line, name)
    orders: list[tuple[int, int, tuple[int, ...]]] = []  # (line, count, order)
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            key, colon, value = line[1:].partition(":")
            key = key.strip().upper()
            if not colon:
                continue  # a plain comment
            if key.startswith("ALTERNATIVE NAME "):
                which = _whole(key[17:], number, "the alternative number", name=name, maximum=MAX_ALTERNATIVES)
                if which in names:
                    raise PreflibError(number, f"alternative {which} is named twice.", name=name)
                names[which] = (number, value.strip())
            elif key in meta:
                raise PreflibError(number, f"{key} is given twice.", name=name)
            else:
                meta[key] = (number, value.strip())
            continue
        count_text, colon, order_text = line.partition(":")
        if not colon:
            raise PreflibError(
                number, "an order line must be 'count: a,b,...' (a count, a colon, the order).", name=name
            )
        count = _whole(count_text, number, "the count", name=name, maximum=MAX_COUNT)
        order: list[int] = []
        if order_text.strip():
            for token in order_text.split(","):
                if "{" in token or "}" in token:
                    raise PreflibError(number, "equal rankings ({...}) are not strict orders (.soi).", name=name)
                choice = _whole(token, number, "the alternative", name=name, maximum=MAX_ALTERNATIVES)
                if choice in order:
                    raise PreflibError(number, f"alternative {choice} is ranked twice.", name=name)
                order.append(choice)
        orders.append((number, count, tuple(order)))
    if not meta and not names and not orders:
        raise PreflibError(0, "the file is empty.", name=name)
    numbers: dict[str, tuple[int, int]] = {}
    for key in _NUMBERED:
        if key in meta:
            at, value = meta[key]
            limit = MAX_ALTERNATIVES if key in ("NUMBER ALTERNATIVES", "NUMBER SEATS") else MAX_COUNT * 1000
            numbers[key] = (at, _whole(value, at, key, name=name, maximum=limit))
    if "NUMBER ALTERNATIVES" not in numbers:
        raise PreflibError(0, "the '# NUMBER ALTERNATIVES:' line is missing.", name=name)
    at, size = numbers["NUMBER ALTERNATIVES"]
    if size < 1:
        raise PreflibError(at, "there must be at least one alternative.", name=name)
    data_type = meta.get("DATA TYPE")
    if data_type and data_type[1].lower() != "soi":
        raise PreflibError(data_type[0], f"the data type is {data_type[1]!r}, not 'soi'.", name=name)
    for which, (named_at, _) in sorted(names.items()):
        if not 1 <= which <= size:
            raise PreflibError(named_at, f"alternative {which} is named but there are {size} alternatives.", name=name)
    missing = [which for which in range(1, size + 1) if which not in names]
    if missing:
        raise PreflibError(at, f"alternative {missing[0]} has no '# ALTERNATIVE NAME' line.", name=name)
    for order_at, _, ranking in orders:
        for choice in ranking:
            if not 1 <= choice <= size:
                raise PreflibError(order_at, f"there is no alternative {choice} (they are 1 to {size}).", name=name)
    if "NUMBER VOTERS" in numbers:
        at, voters = numbers["NUMBER VOTERS"]
        counted = sum(count for _, count, _ in orders)
        if voters != counted:
            raise PreflibError(at, f"NUMBER VOTERS is {voters} but the order lines count {counted}.", name=name)
    if "NUMBER UNIQUE ORDERS" in numbers:
        at, unique = numbers["NUMBER UNIQUE ORDERS"]
        distinct = len({ranking for _, _, ranking in orders})
        if unique != distinct:
            raise PreflibError(at, f"NUMBER UNIQUE ORDERS is {unique} but there are {distinct}.", name=name)
    if seats is None:
        seats = numbers["NUMBER SEATS"][1] if "NUMBER SEATS" in numbers else 1
    if not 1 <= seats <= size:
        seats_at = numbers["NUMBER SEATS"][0] if "NUMBER SEATS" in numbers else 0
        raise PreflibError(seats_at, f"the number of seats must be between 1 and {size}, not {seats}.", name=name)
    title = meta.get("TITLE", (0, ""))[1]
    return Election(
        tuple(names[which][1] for which in range(1, size + 1)),
        seats,
        tuple(Ballot(count, ranking) for _, count, ranking in orders),
        title=title,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_soi(election: Election, *, file_name: str = "") -> str:
    """``election`` as PrefLib ``.soi`` text; :func:`read_soi` reads it back to an equal election. Names and the
    title are written on one line each (line breaks become spaces). Withdrawn candidates (a BLT notion PrefLib
    does not have) cannot be written: :class:`PreflibError`."""
    if election.withdrawn:
        raise PreflibError(0, "a .soi file cannot say that a candidate withdrew; remove them first.")
    distinct = len({ballot.ranking for ballot in election.ballots})
    lines = [
        f"# FILE NAME: {_one_line(file_name)}",
        f"# TITLE: {_one_line(election.title)}",
        "# DATA TYPE: soi",
        f"# NUMBER ALTERNATIVES: {len(election.candidates)}",
        f"# NUMBER VOTERS: {sum(ballot.weight for ballot in election.ballots)}",
        f"# NUMBER UNIQUE ORDERS: {distinct}",
    ]
    lines.extend(f"# ALTERNATIVE NAME {n}: {_one_line(name)}" for n, name in enumerate(election.candidates, 1))
    lines.append(f"# NUMBER SEATS: {election.seats}")
    lines.extend(f"{ballot.weight}: {','.join(str(n) for n in ballot.ranking)}" for ballot in election.ballots)
    return "\n".join(lines) + "\n"
