"""Home municipality's share of unemployment benefits (kunnan rahoitusosuus).

Old model, benefit days up to 31.12.2024 (555/1998 as amended in 2014): labour market
subsidy only; the counter of subsidy days paid on the basis of unemployment *before* a
payment period decides the whole period's rate (0 % to 300 days, 50 % from 301, 70 % from
1 001); days paid during employment-promoting services neither cost nor count.

New model, benefit days from 1.1.2025 (TTL 14:3 a–3 b, 385/2023; 555/1998 § 4, 387/2023):
labour market subsidy, basic allowance and the basic-allowance-sized part of the
earnings-related allowance, by payment-day range: 10/20/30/40 % for days 101–700 and from
day 701 50 % for the subsidy and 40 % for the allowances. Each day takes its own range's
rate, so a period crossing a range boundary is split; service days count (partly verified).

Supplements (lapsikorotus, korotusosa), lay-off days and additional days (lisäpäivät) are
state-funded: leave them out of ``amount``. A period that spans a parameter change
(1.1.2025) is split by weekdays, because each day follows the law in force on that day
(LEGAL.md § 1.5, ADDENDUM § 3).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.money import CENT, cents, format_money, percent_of
from polku.rules.engine.parameters import Band, ParameterValue, change_dates, parameter

BASIC_DAILY_AMOUNT = "benefit.basic_daily_amount"
RULE_PARAMETERS = (
    "municipal_share.lms_bands",
    "municipal_share.basic_allowance_bands",
    "municipal_share.earnings_allowance_bands",
    "municipal_share.rate_granularity",
    "municipal_share.counted_benefits",
    "municipal_share.counted_bases",
)
PAYMENT_PERIOD = "payment_period"


class Benefit(StrEnum):
    """Unemployment benefit type."""

    LMS = "lms"
    BASIC_ALLOWANCE = "basic_allowance"
    EARNINGS_ALLOWANCE = "earnings_allowance"


class PaymentBasis(StrEnum):
    """Paid on the basis of unemployment or for days in an employment-promoting service."""

    UNEMPLOYMENT = "unemployment"
    SERVICE = "service"


BENEFIT_TEXTS = {
    Benefit.LMS: "työmarkkinatuki",
    Benefit.BASIC_ALLOWANCE: "peruspäiväraha",
    Benefit.EARNINGS_ALLOWANCE: "ansiopäiväraha",
}


@dataclass(frozen=True, slots=True)
class Payment:
    """One payment period (maksuerä).

    ``basic_part`` is the basic-allowance-sized part of an earnings-related payment; when it
    is missing it is estimated as days × the basic daily amount, capped at ``amount``.
    """

    period_start: date
    period_end: date
    days: int
    amount: Decimal
    benefit: Benefit
    basis: PaymentBasis
    basic_part: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MunicipalShareFacts:
    """Payments in any order and the day counter before the earliest one."""

    payments: tuple[Payment, ...]
    counter_before: int


@dataclass(frozen=True, slots=True)
class ShareLine:
    """The share of one payment, or of the part of it that has one rate.

    ``payment`` is the payment's index in the facts; lines are in chronological order.
    """

    payment: int
    period_start: date
    period_end: date
    days: int
    base: Decimal
    rate: int
    share: Decimal
    counter_after: int


@dataclass(frozen=True, slots=True)
class MunicipalShareResult:
    """The total share and its lines."""

    share: Decimal
    lines: tuple[ShareLine, ...]


@dataclass(frozen=True, slots=True)
class _Part:
    """A payment, or the part of it under one set of rules."""

    index: int
    payment: Payment
    start: date
    end: date
    days: int
    amount: Decimal
    basic_part: Decimal | None


def decide_municipal_share(
    facts: MunicipalShareFacts, as_of: date
) -> Decision[MunicipalShareResult]:
    """Compute the home municipality's share of the given payments.

    Args:
        facts: the payments and the counter of days before the earliest payment.
        as_of: the evaluation date; each day is judged by the law in force on that day.
    """
    explanation = Explanation()
    counter = facts.counter_before
    lines: list[ShareLine] = []
    explanation.add(f"Päiväkertymä ennen ensimmäistä maksua: {counter}.", None)
    order = sorted(range(len(facts.payments)), key=lambda i: facts.payments[i].period_start)
    for index in order:
        for part in _split_at_law_changes(index, facts.payments[index], explanation):
            part_lines = _share_of(part, counter, explanation)
            lines.extend(part_lines)
            counter = part_lines[-1].counter_after
    total = sum((line.share for line in lines), Decimal(0))
    explanation.add(
        f"Kunnan osuus yhteensä {format_money(total)} €; kertymä lopuksi {counter}.",
        None,
    )
    return explanation.decide(MunicipalShareResult(total, tuple(lines)))


def band_rate(bands: tuple[Band, ...], day_number: int) -> int:
    """The rate (%) of payment day number ``day_number`` (0 before the first band)."""
    rate = 0
    for band in bands:
        if band.from_day <= day_number:
            rate = band.rate
    return rate


@dataclass(frozen=True, slots=True)
class _Rules:
    """The municipal-share parameters in force on one day."""

    bands: dict[Benefit, ParameterValue]
    granularity: ParameterValue
    counted_benefits: ParameterValue
    counted_bases: ParameterValue


@functools.lru_cache(maxsize=256)
def _rules_on(day: date) -> _Rules:
    return _Rules(
        bands={
            benefit: parameter(f"municipal_share.{benefit.value}_bands", day) for benefit in Benefit
        },
        granularity=parameter("municipal_share.rate_granularity", day),
        counted_benefits=parameter("municipal_share.counted_benefits", day),
        counted_bases=parameter("municipal_share.counted_bases", day),
    )


def _split_at_law_changes(index: int, payment: Payment, explanation: Explanation) -> list[_Part]:
    names: tuple[str, ...] = RULE_PARAMETERS
    if payment.benefit is Benefit.EARNINGS_ALLOWANCE and payment.basic_part is None:
        names = (*RULE_PARAMETERS, BASIC_DAILY_AMOUNT)
    cuts = change_dates(names, payment.period_start, payment.period_end)
    if not cuts:
        return [
            _Part(
                index,
                payment,
                payment.period_start,
                payment.period_end,
                payment.days,
                payment.amount,
                payment.basic_part,
            )
        ]
    ranges = list(_ranges(payment.period_start, payment.period_end, cuts))
    weights = [_weekdays(start, end) for start, end in ranges]
    days = _allocate_int(payment.days, weights)
    amounts = _allocate_money(payment.amount, days)
    basic_parts: list[Decimal | None] = (
        [None] * len(ranges)
        if payment.basic_part is None
        else list(_allocate_money(payment.basic_part, days))
    )
    explanation.add(
        f"Huom: maksu {index + 1} ({payment.period_start.isoformat()}–"
        f"{payment.period_end.isoformat()}) ylittää muutospäivän "
        f"{', '.join(cut.isoformat() for cut in cuts)}, joten kukin osa arvioidaan omana "
        "päivänään voimassa olevan lain mukaan. Päivät ja euromäärä jaettiin osille "
        "arkipäivien (ma–pe) suhteessa; jakotapa on Polkun laskentatapa, ei lain sanamuoto.",
        None,
    )
    return [
        _Part(index, payment, start, end, part_days, amount, basic_part)
        for (start, end), part_days, amount, basic_part in zip(
            ranges, days, amounts, basic_parts, strict=True
        )
        if part_days or amount
    ]


def _share_of(part: _Part, counter: int, explanation: Explanation) -> list[ShareLine]:
    rules = _rules_on(part.start)
    payment = part.payment
    label = (
        f"Maksu {part.index + 1}: {BENEFIT_TEXTS[payment.benefit]}"
        f"{' (palvelun ajalta)' if payment.basis is PaymentBasis.SERVICE else ''} "
        f"{part.start.isoformat()}–{part.end.isoformat()}, {part.days} pv, "
        f"{format_money(part.amount)} €"
    )
    counted = payment.benefit.value in rules.counted_benefits.strings()
    if payment.basis.value not in rules.counted_bases.strings():
        explanation.add(
            f"{label}: palvelun ajalta maksetut päivät eivät kerrytä laskuria eikä kunta "
            f"maksa niistä; kertymä pysyy {counter}.",
            rules.counted_bases.law,
            rules.counted_bases,
        )
        return [_line(part, part.days, Decimal(0), 0, counter)]
    if not counted:
        explanation.add(
            f"{label}: etuus ei kuulu kunnan rahoitukseen eikä kerrytä laskuria; kertymä "
            f"pysyy {counter}.",
            rules.counted_benefits.law,
            rules.counted_benefits,
            rules.bands[payment.benefit],
        )
        return [_line(part, part.days, Decimal(0), 0, counter)]
    base, base_parameters = _base(part)
    if base_parameters:
        explanation.add(
            f"Huom: maksu {part.index + 1}: ansiopäivärahan perusosan suuruinen osuus "
            f"arvioitiin {part.days} pv × peruspäiväraha {base_parameters[0].value} € = "
            f"{format_money(base)} €; anna basic_part tarkkaa laskentaa varten.",
            "555/1998 § 4 (387/2023)",
            *base_parameters,
        )
    bands = rules.bands[payment.benefit]
    used = [bands, *base_parameters]
    if payment.basis is PaymentBasis.SERVICE or payment.benefit is not Benefit.LMS:
        used.append(
            rules.counted_bases if payment.basis is PaymentBasis.SERVICE else rules.counted_benefits
        )
    if rules.granularity.text() == PAYMENT_PERIOD:
        rate = band_rate(bands.bands(), counter + 1)
        line = _line(part, part.days, base, rate, counter + part.days)
        explanation.add(
            f"{label}: kertymä ennen maksuerää {counter} ratkaisee koko erän osuuden → "
            f"{rate} % perusteesta {format_money(base)} € = {format_money(line.share)} €; "
            f"kertymä {line.counter_after}.",
            bands.law,
            rules.granularity,
            *used,
        )
        return [line]
    segments = list(_segments(bands.bands(), counter, part.days))
    bases = _allocate_money(base, [days for days, _rate in segments])
    lines: list[ShareLine] = []
    for (days, rate), segment_base in zip(segments, bases, strict=True):
        counter += days
        lines.append(_line(part, days, segment_base, rate, counter))
    described = "; ".join(
        f"{line.days} pv × {line.rate} % = {format_money(line.share)} €" for line in lines
    )
    if len(lines) > 1:
        used.append(rules.granularity)
    explanation.add(
        f"{label}: maksupäivät {lines[0].counter_after - lines[0].days + 1}–"
        f"{lines[-1].counter_after}, peruste {format_money(base)} €: {described}.",
        bands.law,
        *used,
    )
    return lines


def _base(part: _Part) -> tuple[Decimal, tuple[ParameterValue, ...]]:
    """The amount the rate applies to, and any parameter used to estimate it."""
    if part.payment.benefit is not Benefit.EARNINGS_ALLOWANCE:
        return part.amount, ()
    if part.basic_part is not None:
        return part.basic_part, ()
    daily = parameter(BASIC_DAILY_AMOUNT, part.start)
    return min(part.amount, cents(daily.money() * part.days)), (daily,)


def _line(part: _Part, days: int, base: Decimal, rate: int, counter_after: int) -> ShareLine:
    return ShareLine(
        payment=part.index,
        period_start=part.start,
        period_end=part.end,
        days=days,
        base=base,
        rate=rate,
        share=percent_of(base, rate),
        counter_after=counter_after,
    )


def _segments(bands: tuple[Band, ...], counter: int, days: int) -> Iterator[tuple[int, int]]:
    """Split days ``counter+1 … counter+days`` at band boundaries: (days, rate) pairs."""
    first, last = counter + 1, counter + days
    boundaries = [band.from_day for band in bands if first < band.from_day <= last]
    for start, end in zip([first, *boundaries], [*boundaries, last + 1], strict=True):
        yield end - start, band_rate(bands, start)


def _ranges(start: date, end: date, cuts: tuple[date, ...]) -> Iterator[tuple[date, date]]:
    for cut in cuts:
        yield start, cut - timedelta(days=1)
        start = cut
    yield start, end


def _weekdays(start: date, end: date) -> int:
    full_weeks, rest = divmod((end - start).days + 1, 7)
    extra = sum(1 for offset in range(rest) if (start + timedelta(days=offset)).weekday() < 5)
    return full_weeks * 5 + extra


def _allocate_int(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` days in proportion to ``weights`` (equally if all weights are zero)."""
    if not any(weights):
        weights = [1] * len(weights)
    return [int(part) for part in _proportional(Decimal(total), weights, Decimal(1))]


def _allocate_money(amount: Decimal, days: list[int]) -> list[Decimal]:
    """Split ``amount`` in proportion to ``days`` to the cent (all to the first if no days)."""
    if not any(days):
        return [amount] + [Decimal(0)] * (len(days) - 1)
    return _proportional(amount, days, CENT)


def _proportional(total: Decimal, weights: list[int], quantum: Decimal) -> list[Decimal]:
    """Parts of ``total`` by ``weights``: rounded running sums differenced.

    Rounding the running sums (half up) rather than each part keeps every part
    non-negative and makes the parts add up to ``total`` exactly.
    """
    weight_sum = sum(weights)
    parts: list[Decimal] = []
    running_weight = 0
    previous = Decimal(0)
    for weight in weights:
        running_weight += weight
        current = (total * running_weight / weight_sum).quantize(quantum, rounding=ROUND_HALF_UP)
        parts.append(current - previous)
        previous = current
    return parts
