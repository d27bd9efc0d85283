"""Who may provide rehabilitative work activity (KTT), and under which arrangement.

Seed 004 (Kuntaliitto 2023) names three ways the organiser arranges KTT: its own
production, buying it (e.g. a dynamic purchasing system with dozens of third-sector
providers), or a cooperation agreement between the municipality and the wellbeing
county in which the municipality gives the work environment, the county the support,
and no money moves. Act 189/2001 § 6: KTT may not be bought from a company, but the
support and guidance of a participant may (LEGAL.md § 1.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from polku.rules.engine.decision import Decision, Explanation
from polku.rules.engine.ktt_contract import ContractIssue, ProviderScope, ProviderType
from polku.rules.engine.parameters import parameter

LAW = "189/2001 § 6"
SEED_004 = "Kuntaliitto 2023 (seed 004): yhteistyösopimuksessa raha ei liiku"
PUBLIC_BODIES = frozenset({ProviderType.MUNICIPALITY, ProviderType.WELLBEING_COUNTY})


class Arrangement(StrEnum):
    """How the organiser arranges the activity (järjestämistapa)."""

    OWN_PRODUCTION = "own_production"
    PURCHASED = "purchased"
    COOPERATION = "cooperation"


@dataclass(frozen=True, slots=True)
class KttProviderFacts:
    """A provider as the organiser records it."""

    legal_form: ProviderType
    arrangement: Arrangement
    scope: ProviderScope
    reimbursement_share: int  # % of the state reimbursement allocated to the hosting units


@dataclass(frozen=True, slots=True)
class KttProviderResult:
    """``valid`` is False when there is any error; warnings do not invalidate."""

    valid: bool
    errors: tuple[ContractIssue, ...]
    warnings: tuple[ContractIssue, ...]


def allocated_share(arrangement: Arrangement, share: int) -> int:
    """The share of the reimbursement that may go to the units: none in a cooperation."""
    return 0 if arrangement is Arrangement.COOPERATION else share


def decide_ktt_provider(facts: KttProviderFacts, as_of: date) -> Decision[KttProviderResult]:
    """Check that the provider may provide KTT in the way recorded, under the law on ``as_of``.

    Args:
        facts: the provider's legal form, arrangement, scope and reimbursement share.
        as_of: the day the provider is recorded or changed.
    """
    explanation = Explanation()
    errors: list[ContractIssue] = []
    warnings: list[ContractIssue] = []
    _check_company(facts, as_of, explanation, errors, warnings)
    _check_public(facts, explanation, errors)
    _check_share(facts, explanation, errors)
    if not errors:
        explanation.add("Palveluntuottajan tiedot ovat kunnossa.", None)
    return explanation.decide(KttProviderResult(not errors, tuple(errors), tuple(warnings)))


def _check_company(
    facts: KttProviderFacts,
    as_of: date,
    explanation: Explanation,
    errors: list[ContractIssue],
    warnings: list[ContractIssue],
) -> None:
    if facts.legal_form is not ProviderType.COMPANY:
        return
    if facts.scope is ProviderScope.SUPPORT_ONLY:
        explanation.add("Yritys tuottaa vain tukea ja ohjausta: sallittu.", LAW)
        return
    allowed = parameter("ktt.company_provider_allowed", as_of)
    rule = allowed.optional_flag()
    if rule is None:
        warnings.append(
            ContractIssue(
                "company_provider_unverified",
                "Yrityksen käyttämistä työtoiminnan tuottajana tänä ajankohtana ei ole "
                "vahvistettu.",
            )
        )
        explanation.add(warnings[-1].message, allowed.law, allowed)
    elif not rule:
        errors.append(
            ContractIssue(
                "company_provider_not_allowed",
                "Yritykseltä ei saa hankkia kuntouttavaa työtoimintaa; yritys voi tuottaa vain "
                "tukea ja ohjausta.",
            )
        )
        explanation.add(errors[-1].message, allowed.law, allowed)


def _check_public(
    facts: KttProviderFacts, explanation: Explanation, errors: list[ContractIssue]
) -> None:
    if facts.arrangement is Arrangement.PURCHASED or facts.legal_form in PUBLIC_BODIES:
        return
    if facts.arrangement is Arrangement.OWN_PRODUCTION:
        issue = ContractIssue(
            "own_production_not_public",
            "Oma tuotanto on kunnan tai hyvinvointialueen omaa toimintaa; valitse muu "
            "järjestämistapa.",
        )
    else:
        issue = ContractIssue(
            "cooperation_not_public",
            "Yhteistyösopimus tehdään kunnan ja hyvinvointialueen välillä (horisontaalinen "
            "yhteistyö); yhdistykseltä, säätiöltä tai yritykseltä palvelu hankitaan.",
        )
    errors.append(issue)
    explanation.add(issue.message, SEED_004)


def _check_share(
    facts: KttProviderFacts, explanation: Explanation, errors: list[ContractIssue]
) -> None:
    share = facts.reimbursement_share
    if not 0 <= share <= 100:
        errors.append(
            ContractIssue("share_out_of_range", f"Kohdennettava osuus {share} % ei ole 0–100 %.")
        )
        explanation.add(errors[-1].message, None)
    elif allocated_share(facts.arrangement, share) != share:
        errors.append(
            ContractIssue(
                "cooperation_moves_no_money",
                "Yhteistyösopimuksessa raha ei liiku: valtionkorvauksesta ei kohdenneta osuutta "
                "työympäristön antajalle (0 %).",
            )
        )
        explanation.add(errors[-1].message, SEED_004)
