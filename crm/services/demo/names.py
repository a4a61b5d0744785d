"""Name lists and phone patterns, taken once from Faker and phonenumbers.

Calling Faker once per row costs tens of microseconds, which is seconds at 100,000
people; reading its provider tables once and drawing from them with our own seeded
`random.Random` is a hundred times faster and just as realistic. Faker's weights are
kept where a locale has them, so common names stay common.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import phonenumbers


@dataclass(frozen=True)
class Names:
    """One weighted list: names[i] drawn with cumulative weight cum[i]."""

    names: tuple[str, ...]
    cum: tuple[float, ...]


@dataclass(frozen=True)
class LocaleNames:
    female: Names
    male: Names
    last_female: Names
    last_male: Names


def _names(value: object) -> Names | None:
    if isinstance(value, dict):
        items = [(str(k), float(w)) for k, w in value.items()]
    elif isinstance(value, Sequence) and not isinstance(value, str):
        items = [(str(k), 1.0) for k in value]
    else:
        return None
    # Drop odd entries ("'s Gravensande") that would make poor email local parts.
    items = [(k, w) for k, w in items if k[:1].isalpha()]
    if len(items) < 10:  # pl_PL ships a placeholder list of one name
        return None
    return Names(tuple(k for k, _ in items), tuple(accumulate(w for _, w in items)))


def _pick(provider: type, *attrs: str) -> Names | None:
    for attr in attrs:
        found = _names(getattr(provider, attr, None))
        if found is not None:
            return found
    return None


@cache
def locale_names(locale: str) -> LocaleNames:
    """The name lists of one Faker locale, falling back to generic English ones."""
    try:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    except (ImportError, AttributeError):
        provider = importlib.import_module("faker.providers.person.en").Provider
    if locale == "ja_JP":  # romanised, so that names tokenise for search and make emails
        female = _pick(provider, "first_romanized_names_female")
        male = _pick(provider, "first_romanized_names_male")
        last = _pick(provider, "last_romanized_names")
        last_f = last_m = last
    else:
        female = _pick(provider, "first_names_female", "first_names")
        male = _pick(provider, "first_names_male", "first_names")
        last_f = _pick(provider, "last_names_female", "last_names")
        last_m = _pick(provider, "last_names_male", "last_names")
    if None in (female, male, last_f, last_m):
        return locale_names("en") if locale != "en" else _english()
    return LocaleNames(female, male, last_f, last_m)  # type: ignore[arg-type]


def _english() -> LocaleNames:
    provider = importlib.import_module("faker.providers.person.en").Provider
    first = _names(provider.first_names)
    last = _names(provider.last_names)
    assert first is not None and last is not None
    return LocaleNames(first, first, last, last)


@cache
def ascii_slug(text: str, sep: str = "") -> str:
    """'Zoë Müller' -> 'zoemuller': the part of a name that can go into an address."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = ["".join(c for c in w if c.isalnum()) for w in folded.lower().split()]
    return sep.join(w for w in words if w) or "member"


@cache
def phone_pattern(region: str) -> tuple[str, int]:
    """(prefix, free digits) of valid mobile numbers in a region, from its example number.

    Only the last five digits vary, which keeps the operator prefix that makes a number
    valid (checked for every region in the tests); the result is already E.164.
    """
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        example = phonenumbers.example_number(region)
    assert example is not None, region
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    return e164[:-5], 5
