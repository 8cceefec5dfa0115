"""Keys that decide what a rebuild makes again: equal cables give equal keys, any change to a field a page
shows gives another key, and where a body waits on disk does not count."""
from __future__ import annotations

import pickle
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta

import pytest

from conftest import SEEDS, parse_path
from generator.cable.model import Block, Cable
from generator.keys import key_bytes
from generator.messages import Message
from generator.render import Row
from generator.textstore import pack


@pytest.fixture(scope="module")
def cable() -> Cable:
    (c, _), = parse_path(SEEDS / "000_c1d0512e85371ab3.txt")  # 06MOSCOW1171
    return c


def _other(value: object) -> object:
    """A different value of the same kind as `value`."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + " (edited)"
    if isinstance(value, datetime):
        return value + timedelta(minutes=1)
    if isinstance(value, date):
        return value + timedelta(days=1)
    if value is None:
        return "added"
    if isinstance(value, tuple) and value and isinstance(value[0], Block):
        return (replace(value[0], text=value[0].text + " (edited)"), *value[1:])
    if isinstance(value, tuple):
        return (*value, Message("edit", "an added warning", "x.txt") if value and isinstance(value[0], Message) else "X")
    raise AssertionError(f"no other value for {value!r}")


def test_equal_cables_have_equal_keys_whichever_objects_hold_their_values(cable):
    copy = pickle.loads(pickle.dumps(cable))  # equal values, none of them the same objects
    assert copy is not cable and key_bytes(copy) == key_bytes(cable)
    assert key_bytes(copy, bodies=False) == key_bytes(cable, bodies=False)


def test_a_change_to_any_field_of_a_cable_changes_its_key(cable):
    before = key_bytes(cable)
    for f in fields(Cable):
        if f.name == "text_ref":
            continue
        edited = replace(cable, **{f.name: _other(getattr(cable, f.name))})
        assert key_bytes(edited) != before, f.name


def test_a_stored_body_counts_by_its_digest_not_where_it_waits(cable):
    packed, _ = pack(cable)
    ref = packed.text_ref
    assert ref is not None and packed.blocks == ()
    here, there = replace(packed, text_ref=replace(ref, offset=0)), replace(packed, text_ref=replace(ref, offset=4096))
    assert key_bytes(here) == key_bytes(there)
    other_body = replace(packed, text_ref=replace(ref, digest="0" * len(ref.digest)))
    assert key_bytes(other_body) != key_bytes(here)
    assert key_bytes(other_body, bodies=False) == key_bytes(here, bodies=False)  # without bodies: metadata only
    assert key_bytes(replace(packed, subject="Another"), bodies=False) != key_bytes(here, bodies=False)


def test_keys_of_cables_inside_other_values_count_their_fields_too(cable):
    job = ("cable.html", "cable/2006/02/06MOSCOW1171.html", {"cable": cable, "refs": []})
    edited = ("cable.html", "cable/2006/02/06MOSCOW1171.html", {"cable": replace(cable, origin="Embassy Kyiv"), "refs": []})
    assert key_bytes(job) != key_bytes(edited)


def test_a_listing_row_counts_by_every_field_and_by_value(cable):
    row = Row(cable.reference_id, "cable/2006/02/06MOSCOW1171.html", "2006-02-03", cable.subject or "",
              cable.origin or "", cable.classification or "")
    copy = Row(*(pickle.loads(pickle.dumps(v)) for v in (row.ref_id, row.path, row.created, row.subject, row.origin,
                                                          row.classification)))
    assert key_bytes(copy) == key_bytes(row) and key_bytes([row, copy]) == key_bytes([copy, row])
    for f in fields(Row):
        assert key_bytes(replace(row, **{f.name: getattr(row, f.name) + " (edited)"})) != key_bytes(row), f.name
    assert key_bytes((row,)) != key_bytes((replace(row, subject=None),))


@dataclass(frozen=True)
class _OneField:
    anchor: str


def test_a_dataclass_of_one_field_keys_by_its_value():
    assert key_bytes(_OneField("para-6")) == key_bytes(_OneField("para-" + "6"))
    assert key_bytes(_OneField("para-6")) != key_bytes(_OneField("para-7"))
