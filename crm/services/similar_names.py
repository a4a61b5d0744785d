"""Names of one organisation that are the same or nearly the same person's.

Shared by the Find duplicates tool (people in Rapport) and the import (records of one
batch): both call a pair a duplicate on the same rule, so what an import lets through
is not found again by the tool a minute later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

NAME_CUTOFF = 90
SMALL_GROUP = 256  # organisations up to this size: every pair, in one C call
MAX_BLOCK = 2000  # blocks larger than this are compared by exact name only
SAME, SIMILAR = 2, 3  # reason codes handed to `add`, as the duplicates service numbers them

AddPair = Callable[[int, int, int, float], None]


def similar_pairs(members: Iterable[tuple[int, str, str]], add: AddPair) -> None:
    """Pairs at one organisation with the same name, or names rapidfuzz finds similar.

    `members` are (id, organisation, name); the organisation is compared as given
    (the callers casefold it) and empty ones are never paired. `add(first, second,
    reason, score)` gets each pair at least once, `first` the member listed earlier.
    Names are compared as their sorted words (token_sort_ratio).
    """
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for m in members:
        if m[1]:
            groups.setdefault(m[1], []).append(m)
    for group in groups.values():
        if len(group) > 1:
            _group(group, add)


def _group(group: list[tuple[int, str, str]], add: AddPair) -> None:
    keys = [" ".join(sorted(name.casefold().split())) for _, _, name in group]
    if len(group) <= SMALL_GROUP:
        _compare([m[0] for m in group], keys, add)
        return
    # A big organisation: only within blocks of names that share their first two or
    # their last two letters. Two names within 10 % of each other rarely differ at
    # both ends, and blocking turns a 7,000-person organisation's 24 million
    # comparisons into thousands.
    exact: dict[str, int] = {}
    blocks: dict[str, tuple[list[int], list[str]]] = {}
    for (pid, _org, _name), key in zip(group, keys, strict=True):
        first = exact.setdefault(key, pid)
        if first != pid:
            add(first, pid, SAME, 100.0)
            continue
        for block in ("<" + key[:2], ">" + key[-2:]):
            ids, names = blocks.setdefault(block, ([], []))
            ids.append(pid)
            names.append(key)
    for ids, names in blocks.values():
        if 2 <= len(ids) <= MAX_BLOCK:
            _compare(ids, names, add)


def _compare(ids: list[int], keys: list[str], add: AddPair) -> None:
    import numpy as np
    from rapidfuzz import fuzz, process

    scores = process.cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF)
    n = len(keys)
    # Mostly the diagonal (a name against itself): filtered here rather than by
    # np.triu, which costs more than the comparisons of a small organisation.
    for k in np.flatnonzero(scores).tolist():
        a, b = divmod(k, n)
        if a < b:
            same = keys[a] == keys[b]
            score = 100.0 if same else round(float(scores[a, b]), 1)
            add(ids[a], ids[b], SAME if same else SIMILAR, score)
