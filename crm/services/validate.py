"""Checks of single values, shared by every service that takes user input.

phonenumbers and email-validator are imported on first use: together they cost
about 35 ms, which start-up does not need to pay.
"""

from __future__ import annotations

import math
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def email(address: str) -> tuple[str | None, str | None]:
    """(normalised address, None) or (None, message)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        info = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        return None, str(exc)
    return info.normalized, None


def phone(number: str, region: str | None) -> tuple[str | None, str | None]:
    """(E.164 number, None) or (None, message)."""
    import phonenumbers

    raw = number.strip()
    try:
        parsed = phonenumbers.parse(raw, None if raw.startswith("+") else region)
    except phonenumbers.NumberParseException:
        hint = "" if region else " (start it with + and the country code)"
        return None, f"“{raw}” is not a phone number{hint}"
    if not phonenumbers.is_valid_number(parsed):
        return None, f"“{raw}” is not a valid phone number"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None


def time_zone(name: str) -> str | None:
    """None when valid (or empty), else a message."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: "America" is a folder of zones, and very long names are refused by the OS.
        return f"“{name}” is not a time zone (use a name such as Europe/Berlin)"
    return None


def field_value(kind: str, raw: str, choices: list[str]) -> tuple[str, float | None, str | None]:
    """Custom field value → (text to store, number to sort by, error)."""
    raw = raw.strip()
    if not raw:
        return "", None, None
    if kind == "number":
        try:
            num = float(raw.replace(",", ""))
        except ValueError:
            return raw, None, f"“{raw}” is not a number"
        if not math.isfinite(num):  # "inf" and "nan" parse, but sort and show as nonsense
            return raw, None, f"“{raw}” is not a number"
        return (str(int(num)) if num.is_integer() else str(num)), num, None
    if kind == "date":
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            return raw, None, f"“{raw}” is not a date (use YYYY-MM-DD)"
        return day.isoformat(), float(day.toordinal()), None
    if kind == "choice" and raw not in choices:
        return raw, None, f"“{raw}” is not one of: {', '.join(choices)}"
    return raw, None, None
