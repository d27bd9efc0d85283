"""Demo stage: the steering group's goals (seed 000 chapter 3), a year of entered figures,
feedback and functional-capacity answers of ~50 clients, three closed months, and the
partner agreements (aiesopimus, seed 002) of last year (evaluated) and this year."""

from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from polku.demo.context import DemoContext
from polku.reports import services
from polku.reports.models import (
    AgreementGoal,
    EnteredFigure,
    FollowUp,
    Goal,
    PartnerAgreement,
    QuestionnaireKind,
    QuestionnaireResponse,
    Target,
)
from polku.reports.periods import add_months
from polku.service_episodes.models import Outcome, ServiceEpisode

# (goal, measures, [(indicator, target 2025, target 2026)]) — seed 000 chapter 3.
GOALS: list[tuple[str, list[str], list[tuple[str, int | Decimal, int | Decimal]]]] = [
    (
        "Työttömille suunnattujen palveluiden monipuolistaminen",
        [
            "Lisätään kuntouttavan työtoiminnan ja työkokeilun paikkoja kaikkiin kunnan yksiköihin",
            "Pohditaan jokaisen velvoitetyöllistettävän kohdalla hänelle parhaiten soveltuva työ",
            "Kehitetään jo olemassa oleviin kuntouttavan työtoiminnan palveluihin uusia sisältöjä",
        ],
        [("clients_per_service", 120, 140), ("ktt_compensation", 20000, 25000)],
    ),
    (
        "Kuntouttavan työtoiminnan palvelun yhdenmukaistaminen",
        [
            "Laaditaan yhteinen ohjeistus kuntouttavan työtoiminnan toteuttamisesta",
            "Tehostetaan yhteydenpitoa kuntouttavan työtoiminnan jakson aikana kaikissa yksiköissä",
            "Laaditaan yhteneväiset lomakkeet ja ohjeistukset niiden käytössä",
        ],
        [("ktt_occupancy", 75, 85), ("feedback_score", 4, Decimal("4.2"))],
    ),
    (
        "Suuremman asiakasmäärän tavoittaminen",
        [
            "Asiakkaiden kutsuminen tapaamiseen joko soittamalla tai kirjeitse",
            "Maksuosuuslistan läpikäyminen kuukausittain yhdessä sosiaalitoimen kanssa",
            "Aktivointiprosessin kehittäminen TE-palveluiden kanssa",
        ],
        [
            ("share_list_contacted", 50, 70),
            ("plans_up_to_date", 80, 90),
            ("unemployment_rate", Decimal("9.5"), Decimal("8.5")),
        ],
    ),
]
WORKSHOPS = {"TyöVarikko": Decimal(12000), "Puisto- ja viheralueyksikkö": Decimal(8000)}
FOLLOW_UP_SITUATIONS = [
    Outcome.WORK,
    Outcome.WORK,
    Outcome.STUDIES,
    Outcome.UNEMPLOYED,
    Outcome.UNEMPLOYED,
    Outcome.EMPLOYMENT_MEASURE,
    Outcome.CONTINUED,
    Outcome.SOCIAL_HEALTH,
]
# Synthetic partners of the kinds seed 002 names (parish, entrepreneurs, foundation,
# vocational college, Kela, TE services); contacts are roles, never persons.
PARTNERS: list[tuple[str, str, list[str]]] = [
    (
        "Esimerkkilän Seurakunta",
        "Diakoniatyön johtaja",
        [
            "Kaksi kuntouttavan työtoiminnan paikkaa diakoniatyössä",
            "Ruoka-avun vapaaehtoistehtävät",
        ],
    ),
    (
        "Esimerkkilän Yrittäjät ry",
        "Toiminnanjohtaja",
        ["Yhteinen rekrytointitapahtuma keväällä", "Viisi työkokeilupaikkaa jäsenyrityksissä"],
    ),
    (
        "Jokilaakson säätiö sr",
        "Palvelupäällikkö",
        ["Osatyökykyisten palvelumalli työhönvalmennukseen", "Alihankintatöitä työpajalle"],
    ),
    (
        "Esimerkkilän ammattiopisto",
        "Opinto-ohjaaja",
        ["Osaamiskartoitus työpajajakson aikana", "Oppisopimuspolku kolmelle asiakkaalle"],
    ),
    (
        "Kansaneläkelaitos, Esimerkkilän palvelupiste",
        "Kuntoutuksen asiantuntija",
        ["Kuntoutustarpeen arvioinnit aktivointitapaamisissa"],
    ),
]
YES, PARTLY, NO = (
    PartnerAgreement.Achieved.YES,
    PartnerAgreement.Achieved.PARTLY,
    PartnerAgreement.Achieved.NO,
)
# Last year's goals as evaluated goal by goal at this year's round, per partner above.
LAST_YEARS_RESULTS: list[list[tuple[str, str]]] = [
    [
        (YES, "Kaksi paikkaa käytössä koko vuoden; neljä asiakasta."),
        (YES, "Kolme asiakasta mukana ruoka-avussa."),
    ],
    [
        (YES, "Tapahtumassa 14 yritystä ja 60 työnhakijaa."),
        (PARTLY, "Kolme työkokeilupaikkaa viiden sijaan."),
    ],
    [
        (YES, "Palvelumalli kuvattu ja käytössä."),
        (YES, "Alihankintatöitä ympäri vuoden."),
    ],
    [
        (NO, "Osaamiskartoitusta ei aloitettu: opettajaresurssi puuttui."),
        (NO, "Oppisopimuksia ei syntynyt."),
    ],
    [(PARTLY, "Arvioinnit tehtiin puolessa aktivointitapaamisista.")],
]
RESPONDENTS = 50
CLOSED_MONTHS = 3


def populate(context: DemoContext) -> str:
    organisation = context.organisation
    if Goal.objects.filter(organisation=organisation).exists():
        return "Goals and monitoring report: already there."
    rng, today = context.rng, context.now.date()
    this_month = today.replace(day=1)
    for order, (title, measures, targets) in enumerate(GOALS):
        goal = Goal.objects.create(
            organisation=organisation, title=title, measures=measures, order=order
        )
        Target.objects.bulk_create(
            Target(goal=goal, indicator=key, year=year, value=Decimal(value))
            for key, last_year, this_year in targets
            for year, value in ((this_month.year - 1, last_year), (this_month.year, this_year))
        )
    figures = []
    for back in range(1, 14):
        month = add_months(this_month, -back)
        rate = (
            Decimal("10.4") - Decimal(13 - back) * Decimal("0.12") + Decimal(month.month % 3) / 10
        )
        figures.append(
            EnteredFigure(
                organisation=organisation,
                kind=EnteredFigure.Kind.UNEMPLOYMENT_RATE,
                month=month,
                value=rate.quantize(Decimal("0.1")),
            )
        )
        for unit, budget in WORKSHOPS.items():
            actual = budget * Decimal(rng.randint(85, 108)) / 100
            figures += [
                EnteredFigure(
                    organisation=organisation,
                    kind=EnteredFigure.Kind.WORKSHOP_BUDGET,
                    month=month,
                    unit=unit,
                    value=budget,
                ),
                EnteredFigure(
                    organisation=organisation,
                    kind=EnteredFigure.Kind.WORKSHOP_ACTUAL,
                    month=month,
                    unit=unit,
                    value=actual.quantize(Decimal("0.01")),
                ),
            ]
    EnteredFigure.objects.bulk_create(figures)
    versions = {
        kind: services.questionnaire_version_current(
            organisation=organisation, kind=kind, now=context.now
        )
        for kind in QuestionnaireKind.values
    }
    worker = context.users.get("valmentaja") or context.caseworkers[0]
    responses = []
    for client in rng.sample(context.clients, min(RESPONDENTS, len(context.clients))):
        level = rng.uniform(2.0, 3.5)
        for step in range(rng.randint(2, 5)):  # measurements about every two months
            day = today - timedelta(days=60 * step + rng.randint(0, 59))
            level_then = max(1.0, level - 0.3 * step + rng.uniform(-0.3, 0.3))
            for kind, version in versions.items():
                answers = {
                    q["key"]: max(1, min(5, round(level_then + rng.uniform(-1, 1))))
                    for q in version.questions
                }
                if kind == QuestionnaireKind.FEEDBACK:
                    answers = {key: min(5, value + 1) for key, value in answers.items()}
                score = Decimal(sum(answers.values())) / len(answers)
                worker_made = step % 2 == 1
                responses.append(
                    QuestionnaireResponse(
                        version=version,
                        client=client,
                        answered_on=day,
                        channel=QuestionnaireResponse.Channel.WORKER
                        if worker_made
                        else QuestionnaireResponse.Channel.LINK,
                        plain_language=rng.random() < 0.2,
                        answers=answers,
                        score=score.quantize(Decimal("0.01")),
                        recorded_by=worker if worker_made else None,
                    )
                )
    QuestionnaireResponse.objects.bulk_create(responses)
    follow_ups = []
    for episode_id, ended_on in ServiceEpisode.objects.filter(
        client__organisation=organisation, ended_on__lte=today - timedelta(days=100)
    ).values_list("id", "ended_on"):
        for months in (3, 6, 12):
            recorded_on = cast("date", ended_on) + timedelta(days=30 * months + 7)
            if recorded_on <= today:
                follow_ups.append(
                    FollowUp(
                        episode_id=episode_id,
                        months=months,
                        situation=rng.choice(FOLLOW_UP_SITUATIONS),
                        recorded_on=recorded_on,
                        recorded_by=worker,
                    )
                )
    FollowUp.objects.bulk_create(follow_ups)
    for back in range(CLOSED_MONTHS, 0, -1):
        services.month_close(
            organisation=organisation,
            month=add_months(this_month, -back),
            user=None,
            now=context.now,
        )
    agreements = _partner_agreements(context)
    return (
        f"Goals and monitoring report: {len(GOALS)} goals, {len(figures)} entered figures, "
        f"{len(responses)} questionnaire answers, {len(follow_ups)} follow-ups, "
        f"{CLOSED_MONTHS} closed months, {agreements} partner agreements."
    )


def _partner_agreements(context: DemoContext) -> int:
    """Last year's round, evaluated goal by goal at this year's signing, and this year's."""
    year = context.now.year
    evaluator = context.users.get("esihenkilo")
    agreements, goals = [], []
    for (partner, contact, texts), results in zip(PARTNERS, LAST_YEARS_RESULTS, strict=True):
        last_year = PartnerAgreement(
            organisation=context.organisation,
            partner=partner,
            year=year - 1,
            signed_on=date(year - 1, 1, 20),
            contact=contact,
            status=PartnerAgreement.Status.ENDED,
            evaluation="Arvioitu yhdessä seuraavalla sopimuskierroksella.",
            achieved=PartnerAgreement.overall_achieved([achieved for achieved, _text in results]),
            evaluated_on=date(year, 1, 15),
            evaluated_by=evaluator,
        )
        this_year = PartnerAgreement(
            organisation=context.organisation,
            partner=partner,
            year=year,
            signed_on=date(year, 1, 20),
            contact=contact,
            status=PartnerAgreement.Status.SIGNED,
        )
        agreements += [last_year, this_year]
        for order, (text, (achieved, evaluation)) in enumerate(zip(texts, results, strict=True)):
            goals.append(
                AgreementGoal(
                    agreement=last_year,
                    order=order,
                    text=text,
                    achieved=achieved,
                    evaluation=evaluation,
                )
            )
            goals.append(AgreementGoal(agreement=this_year, order=order, text=text))
    PartnerAgreement.objects.bulk_create(agreements)
    AgreementGoal.objects.bulk_create(goals)
    return len(agreements)
