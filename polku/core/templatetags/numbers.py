"""``{{ value|number }}``: a figure in the user's language (124 077,18 in Finnish).

Snapshot values are kept as strings ("124077.18"), so the filter keeps the decimals
the value has and groups thousands with the locale's separator (a non-breaking space
in Finnish and Swedish, so a figure never breaks over two lines). Text such as the
small-number mark "< 5" is shown as it is.
"""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import gettext

register = template.Library()


@register.filter
def number(value: object) -> object:
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        figure = Decimal(str(value))
    except InvalidOperation:
        return value
    exponent = figure.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(figure, places, use_l10n=True, force_grouping=True)


@register.filter
def in_language(value: object) -> object:
    """A stored word from a code list ("Asiantuntija", a participant's role) in the user's
    language when the catalogue knows it; free text the catalogue does not know stays
    as it was written."""
    if not isinstance(value, str) or not value:
        return value
    return gettext(value)
