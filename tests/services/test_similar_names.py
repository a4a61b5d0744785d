"""The one rule for "the same person by name": same organisation, names ≥ 90 % alike."""

from __future__ import annotations

import pytest

from crm.services import similar_names
from crm.services.similar_names import SAME, SIMILAR, similar_pairs


def _pairs(members: list[tuple[int, str, str]]) -> dict[tuple[int, int], tuple[int, float]]:
    out: dict[tuple[int, int], tuple[int, float]] = {}

    def add(first: int, second: int, reason: int, score: float) -> None:
        out.setdefault((first, second), (reason, score))

    similar_pairs(members, add)
    return out


def _crowd(n: int) -> list[tuple[int, str, str]]:
    """n people at one organisation whose names are far apart (ids 100+)."""
    return [
        (100 + i, "acme", f"Person{i:05d} Q{chr(65 + i % 26)}z{i * 7919 % 10007}") for i in range(n)
    ]


@pytest.mark.parametrize("crowd", [0, similar_names.SMALL_GROUP + 50])
def test_same_and_similar_names_pair_only_at_one_organisation(crowd: int) -> None:
    members = [
        (1, "acme", "Jonathan Smith"),
        (2, "acme", "Smith  jonathan"),  # the same words, another order and case
        (3, "acme", "Jonathon Smith"),  # one letter off
        (4, "globex", "Jonathan Smith"),  # another organisation
        (5, "", "Jonathan Smith"),  # no organisation: never paired by name
        (6, "acme", "Maria Garcia"),
        *_crowd(crowd),  # past SMALL_GROUP the organisation is compared in blocks
    ]
    pairs = _pairs(members)
    assert pairs[(1, 2)] == (SAME, 100.0)
    reason, score = pairs[(1, 3)]
    assert reason == SIMILAR and 90 <= score < 100
    assert not any(4 in p or 5 in p or 6 in p for p in pairs)
    assert all(a < b for a, b in pairs)  # the member listed first comes first
    assert not any(a >= 100 and b >= 100 for a, b in pairs)  # the crowd is not alike


def test_nothing_to_compare() -> None:
    assert _pairs([]) == {}
    assert _pairs([(1, "acme", "Ada Lovelace")]) == {}
