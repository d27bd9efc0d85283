"""The bounds of what a person may type or the API may take, enforced in one place.

A date in year 1 or 9999, an integer past the database column, or a NUL character (which
PostgreSQL cannot store) otherwise reach the database or date arithmetic and end as a
500 on a page that shows the value. Three guards share these bounds:

- every Django form ``DateField``/``DateTimeField``/``IntegerField`` validates them
  (``install_form_bounds``, run at start-up: the ModelForms build their fields from the
  models, so a base form class could not reach them all), and ``CharField`` already
  refuses NUL;
- ``InputGuardMiddleware`` refuses NUL anywhere in a request's parameters, and for the
  API also integers and ISO dates out of bounds anywhere in a JSON body, with the API's
  422 JSON (CONTRACTS.md §5);
- pages that show stored dates keep their arithmetic inside ``date.min``/``date.max``
  (``clamp_date``).
"""

import json
import re
from collections.abc import Iterator
from contextlib import suppress
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)
# PostgreSQL ``integer``: the narrowest integer column a submitted number may land in.
SMALLEST_INT, LARGEST_INT = -(2**31), 2**31 - 1
ISO_DATE = re.compile(r"^(\d{4,})-\d{2}-\d{2}([T ][\d:.]+(Z|[+-][\d:]+)?)?$")


def date_message() -> str:
    return _("Päivämäärän pitää olla vuosien 1900–2100 välillä.")


def integer_message() -> str:
    return _("Luku on liian suuri.")


def nul_message() -> str:
    return _("Teksti sisältää merkin, jota ei voi tallentaa (NUL).")


def validate_date(value: date) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValidationError(date_message(), code="date_out_of_range")


def validate_integer(value: object) -> None:
    if type(value) is int and not SMALLEST_INT <= value <= LARGEST_INT:
        raise ValidationError(integer_message(), code="integer_out_of_range")


def install_form_bounds() -> None:
    """Give every form date and integer field the bounds (called once from ``ready``)."""
    forms.DateField.default_validators = [validate_date]
    forms.DateTimeField.default_validators = [validate_date]
    forms.IntegerField.default_validators = [validate_integer]
    # Subclasses of IntegerField that hold no integers keep Django's own validators.
    forms.FloatField.default_validators = []
    forms.DecimalField.default_validators = []


def clamp_date(day: date, days: int) -> date:
    """``day + days`` that stays at ``date.min``/``date.max`` instead of overflowing: a
    stored odd date (year 1 or 9999) never breaks a page that computes with it."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _problems(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _problems(str(key), path)
            yield from _problems(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _problems(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str):
        if "\x00" in value:
            yield path, nul_message()
        else:
            match = ISO_DATE.match(value)
            if match and not FIRST_DATE.year <= int(match.group(1)) <= LAST_DATE.year:
                yield path, date_message()
    elif type(value) is int and not SMALLEST_INT <= value <= LARGEST_INT:
        yield path, integer_message()


def request_problems(request: HttpRequest, api: bool) -> dict[str, list[str]]:
    """Field → messages for what no form or schema of ours may take; empty when fine."""
    fields: dict[str, list[str]] = {}
    found: list[tuple[str, str]] = []
    if "\x00" in request.path:
        found.append(("__all__", nul_message()))
    for name, values in request.GET.lists():
        found += [(name, nul_message()) for value in [name, *values] if "\x00" in value]
    if api:
        for name, values in request.GET.lists():
            found += [(name, msg) for value in values for _path, msg in _problems(value, name)]
        if request.content_type == "application/json" and request.body:
            # The API itself answers a body that is no JSON.
            with suppress(ValueError, RecursionError):
                found += list(_problems(json.loads(request.body), ""))
        elif request.method == "POST":
            for name, values in request.POST.lists():
                found += [(name, nul_message()) for value in [name, *values] if "\x00" in value]
    for name, message in found:
        fields.setdefault(name or "__all__", []).append(message)
    return fields


class InputGuardMiddleware:
    """Refuse a request carrying NUL, or (API) an out-of-bounds number or date, before any
    view runs: the API with its 422 JSON, a page with a 400 page saying why.

    Form fields on pages show their own field errors (``install_form_bounds``); this
    catches what no form field sees (a search's query string, a stray parameter).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path.startswith("/api/")
        fields = request_problems(request, api)
        if not fields:
            return self.get_response(request)  # type: ignore[no-any-return]
        message = next(iter(fields.values()))[0]
        if api:
            return JsonResponse(
                {"code": "invalid", "message": message, "fields": fields}, status=422
            )
        return render(request, "400.html", {"message": message}, status=400)
