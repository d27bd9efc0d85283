"""The question/answer contract of ``rules evaluate`` (CONTRACTS.md § 2).

``answer`` turns one JSON question ``{"question", "as_of", "facts"}`` into
``{"question", "as_of", "result", "explanation"}`` or, when the question cannot be
answered, ``{"question", "as_of", "error": {"code", "message"}}``. Error codes:
``invalid_question`` (not an object), ``unknown_question``, ``invalid_as_of``,
``missing_fact``, ``invalid_fact`` and ``no_rule_in_force`` (the date is outside the
parameters' validity). ``answer_all`` answers a list and reports whether any failed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from polku.rules.engine.activation_plan import (
    ActivationPlanFacts,
    MainIncome,
    decide_activation_plan,
)
from polku.rules.engine.calendar import DeadlineUnit
from polku.rules.engine.deadlines import DeadlineFacts, decide_deadline
from polku.rules.engine.decision import Decision
from polku.rules.engine.errors import FactError
from polku.rules.engine.fact_reader import FactReader, parse_iso_date
from polku.rules.engine.ktt_allowance import KttAllowanceFacts, decide_ktt_allowance
from polku.rules.engine.ktt_contract import (
    KttContractFacts,
    ProviderScope,
    ProviderType,
    decide_ktt_contract,
)
from polku.rules.engine.ktt_provider import Arrangement, KttProviderFacts, decide_ktt_provider
from polku.rules.engine.ktt_reimbursement import KttReimbursementFacts, decide_ktt_reimbursement
from polku.rules.engine.ktt_reimbursement_allocation import (
    AllocationFacts,
    AllocationUnit,
    AttendedDay,
    decide_reimbursement_allocation,
)
from polku.rules.engine.municipal_share import (
    Benefit,
    MunicipalShareFacts,
    Payment,
    PaymentBasis,
    decide_municipal_share,
)
from polku.rules.engine.obligated_employment import (
    ObligatedEmploymentFacts,
    decide_obligated_employment,
)
from polku.rules.engine.parameters import ParameterNotInForce
from polku.rules.engine.pay_subsidy import (
    EmployerType,
    PaySubsidyAmountFacts,
    PaySubsidyBasis,
    PaySubsidyFacts,
    decide_pay_subsidy,
    decide_pay_subsidy_amount,
)
from polku.rules.engine.plan_review import (
    InterruptionEvent,
    InterruptionFacts,
    PlanReviewFacts,
    PlanType,
    decide_interruption_possible,
    decide_plan_review_due,
)
from polku.rules.engine.serialization import decision_json
from polku.rules.engine.typ_target_group import TypFacts, decide_typ_target_group

Handler = Callable[[FactReader, date], Decision[Any]]


def _activation_plan(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_activation_plan(
        ActivationPlanFacts(
            birth_date=facts.date("birth_date"),
            main_income=facts.choice("main_income", MainIncome),
            lms_days_total=facts.integer("lms_days_total"),
            lms_days_last_12_months=facts.integer("lms_days_last_12_months"),
            lms_days_after_max_period=facts.integer("lms_days_after_max_period"),
            daily_allowance_max_period_exhausted=facts.boolean(
                "daily_allowance_max_period_exhausted"
            ),
            social_assistance_months=facts.integer("social_assistance_months"),
            has_employment_plan=facts.boolean("has_employment_plan"),
            job_search_discussion_held=facts.boolean("job_search_discussion_held"),
        ),
        as_of,
    )


def _typ_target_group(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_typ_target_group(
        TypFacts(
            birth_date=facts.date("birth_date"),
            lms_days_total=facts.integer("lms_days_total"),
            continuous_unemployment_months=facts.integer("continuous_unemployment_months"),
        ),
        as_of,
    )


def _obligated_employment(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_obligated_employment(
        ObligatedEmploymentFacts(
            birth_date=facts.date("birth_date"), max_period_end=facts.date("max_period_end")
        ),
        as_of,
    )


def _ktt_contract(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_ktt_contract(
        KttContractFacts(
            start=facts.date("start"),
            end=facts.date("end"),
            days_per_week=facts.integer("days_per_week"),
            hours_per_day=facts.number("hours_per_day"),
            provider_type=facts.choice("provider_type", ProviderType),
            provider_scope=facts.optional_choice(
                "provider_scope", ProviderScope, ProviderScope.WORK_ACTIVITY
            ),
        ),
        as_of,
    )


def _ktt_provider(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_ktt_provider(
        KttProviderFacts(
            legal_form=facts.choice("legal_form", ProviderType),
            arrangement=facts.choice("arrangement", Arrangement),
            scope=facts.choice("scope", ProviderScope),
            reimbursement_share=facts.integer("reimbursement_share"),
        ),
        as_of,
    )


def _ktt_reimbursement(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_ktt_reimbursement(KttReimbursementFacts(facts.dates("attendance")), as_of)


def _ktt_reimbursement_allocation(facts: FactReader, as_of: date) -> Decision[Any]:
    units = tuple(_allocation_unit(item) for item in facts.objects("units"))
    known = {unit.unit for unit in units}
    if len(known) < len(units):
        raise facts.invalid("units", "sama yksikkö useaan kertaan")
    participants = tuple(
        tuple(_attended_day(day, known) for day in participant.objects("attendance"))
        for participant in facts.objects("participants")
    )
    return decide_reimbursement_allocation(AllocationFacts(units, participants), as_of)


def _allocation_unit(item: FactReader) -> AllocationUnit:
    share = item.integer("share_percent")
    if share > 100:
        raise item.invalid("share_percent", "enintään 100")
    return AllocationUnit(item.text("unit"), item.choice("arrangement", Arrangement), share)


def _attended_day(item: FactReader, known: set[str]) -> AttendedDay:
    unit = item.optional_text("unit")
    if unit is not None and unit not in known:
        raise item.invalid("unit", "yksikköä ei ole units-luettelossa")
    return AttendedDay(item.date("day"), unit)


def _ktt_allowance(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_ktt_allowance(
        KttAllowanceFacts(facts.dates("attendance"), facts.boolean("unemployment_benefit")), as_of
    )


def _plan_review_due(facts: FactReader, as_of: date) -> Decision[Any]:
    made_on = facts.date("made_on")
    last_review_on = facts.optional_date("last_review_on")
    if last_review_on is not None and last_review_on < made_on:
        raise facts.invalid("last_review_on", "tarkistus ei voi olla ennen suunnitelman laatimista")
    return decide_plan_review_due(
        PlanReviewFacts(facts.choice("plan_type", PlanType), made_on, last_review_on), as_of
    )


def _interruption_possible(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_interruption_possible(
        InterruptionFacts(
            event_type=facts.choice("event_type", InterruptionEvent),
            event_start=facts.date("event_start"),
        ),
        as_of,
    )


def _municipal_share(facts: FactReader, as_of: date) -> Decision[Any]:
    payments = tuple(_payment(item) for item in facts.objects("payments"))
    return decide_municipal_share(
        MunicipalShareFacts(payments, facts.integer("counter_before")), as_of
    )


def _payment(item: FactReader) -> Payment:
    start, end = item.date("period_start"), item.date("period_end")
    if end < start:
        raise item.invalid("period_end", "jakson loppu on ennen alkua")
    days = item.integer("days", minimum=1)
    if days > (end - start).days + 1:
        raise item.invalid("days", "päiviä on enemmän kuin jaksossa kalenteripäiviä")
    return Payment(
        period_start=start,
        period_end=end,
        days=days,
        amount=item.money("amount"),
        benefit=item.choice("benefit", Benefit),
        basis=item.choice("basis", PaymentBasis),
        basic_part=item.optional_money("basic_part"),
    )


def _pay_subsidy(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_pay_subsidy(
        PaySubsidyFacts(
            start=facts.date("start"),
            basis=facts.choice("basis", PaySubsidyBasis),
            employer_type=facts.choice("employer_type", EmployerType),
            birth_date=facts.date("birth_date"),
            unemployed_months_of_last_28=_months_of(facts, "unemployed_months_of_last_28", 28),
            unemployed_months_of_last_14=facts.optional_integer("unemployed_months_of_last_14"),
            long_term_unemployed=facts.optional_boolean("long_term_unemployed"),
        ),
        as_of,
    )


def _pay_subsidy_amount(facts: FactReader, as_of: date) -> Decision[Any]:
    days_in_month = facts.integer("days_in_month", minimum=28)
    if days_in_month > 31:
        raise facts.invalid("days_in_month", "enintään 31")
    days_covered = facts.integer("days_covered")
    if days_covered > days_in_month:
        raise facts.invalid("days_covered", "enintään days_in_month")
    return decide_pay_subsidy_amount(
        PaySubsidyAmountFacts(
            wage_costs=facts.money("wage_costs"),
            rate=facts.integer("rate"),
            monthly_cap=facts.optional_money("monthly_cap"),
            days_covered=days_covered,
            days_in_month=days_in_month,
        ),
        as_of,
    )


def _months_of(facts: FactReader, name: str, window: int) -> int:
    months = facts.integer(name)
    if months > window:
        raise facts.invalid(name, f"enintään {window}")
    return months


def _working_day_deadline(facts: FactReader, as_of: date) -> Decision[Any]:
    return decide_deadline(
        DeadlineFacts(
            event_date=facts.date("event_date"),
            count=facts.integer("count"),
            unit=facts.choice("unit", DeadlineUnit),
        ),
        as_of,
    )


QUESTIONS: Mapping[str, Handler] = MappingProxyType(
    {
        "activation_plan": _activation_plan,
        "typ_target_group": _typ_target_group,
        "obligated_employment": _obligated_employment,
        "ktt_contract": _ktt_contract,
        "ktt_reimbursement": _ktt_reimbursement,
        "ktt_reimbursement_allocation": _ktt_reimbursement_allocation,
        "ktt_provider": _ktt_provider,
        "ktt_allowance": _ktt_allowance,
        "plan_review_due": _plan_review_due,
        "interruption_possible": _interruption_possible,
        "municipal_share": _municipal_share,
        "pay_subsidy": _pay_subsidy,
        "pay_subsidy_amount": _pay_subsidy_amount,
        "working_day_deadline": _working_day_deadline,
    }
)


def answer(question: Mapping[str, Any]) -> dict[str, Any]:
    """Answer one question of the ``rules evaluate`` contract; never raises on bad input.

    Args:
        question: ``{"question": NAME, "as_of": "YYYY-MM-DD", "facts": {...}}`` as parsed JSON.

    Returns:
        The answer with ``result`` and ``explanation``, or with ``error``.
    """
    if not isinstance(question, Mapping):
        return _error(None, None, "invalid_question", "Kysymyksen on oltava JSON-objekti.")
    name = question.get("question")
    raw_as_of = question.get("as_of")
    handler = QUESTIONS.get(name) if isinstance(name, str) else None
    if handler is None:
        known = ", ".join(QUESTIONS)
        return _error(
            name, raw_as_of, "unknown_question", f"Tuntematon kysymys {name!r}; tunnetut: {known}."
        )
    as_of = parse_iso_date(raw_as_of)
    if as_of is None:
        return _error(
            name, raw_as_of, "invalid_as_of", "as_of on annettava päivämääränä muodossa VVVV-KK-PP."
        )
    facts = question.get("facts", {})
    if not isinstance(facts, Mapping):
        return _error(name, raw_as_of, "invalid_fact", "facts on annettava JSON-objektina.")
    try:
        decision = handler(FactReader(facts), as_of)
    except FactError as error:
        return _error(name, raw_as_of, error.code, error.message)
    except ParameterNotInForce as error:
        return _error(name, raw_as_of, "no_rule_in_force", str(error))
    result, explanation = decision_json(decision)
    return {"question": name, "as_of": raw_as_of, "result": result, "explanation": explanation}


def answer_all(questions: Any) -> tuple[list[dict[str, Any]], bool]:
    """Answer a JSON list of questions in order.

    Returns:
        The answers and whether any of them is an error. Input that is not a list gets a
        single ``invalid_input`` error answer.
    """
    if not isinstance(questions, list):
        return [
            _error(None, None, "invalid_input", "Syötteen on oltava JSON-lista kysymyksiä.")
        ], True
    answers = [answer(question) for question in questions]
    return answers, any("error" in item for item in answers)


def _error(name: object, as_of: object, code: str, message: str) -> dict[str, Any]:
    return {"question": name, "as_of": as_of, "error": {"code": code, "message": message}}
