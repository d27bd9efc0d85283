from decimal import Decimal

from django.utils import translation

from polku.core.templatetags.numbers import number


def test_figures_use_the_users_language_with_non_breaking_thousands() -> None:
    with translation.override("fi"):
        assert number("124077.18") == "124\xa0077,18"
        assert number("64.8") == "64,8"
        assert number(Decimal(12)) == "12"
        assert number("< 5") == "< 5"  # the small-number mark stays as it is
        assert number(None) is None
    with translation.override("en"):
        assert number("124077.18") == "124,077.18"
