"""The registry of audit event codes: every change-history row names one of these."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Event:
    code: str
    label: Promise
    # Recorded even while the client's processing is restricted (GDPR art. 18): setting
    # and lifting the restriction, and opening a record to read it.
    allowed_while_restricted: bool = False


REGISTRY: dict[str, Event] = {}


def register(code: str, label: Promise, *, allowed_while_restricted: bool = False) -> Event:
    if code in REGISTRY:
        raise ValueError(f"duplicate audit event code {code}")
    REGISTRY[code] = event = Event(code, label, allowed_while_restricted)
    return event


CLIENT_CREATED = register("clients.client.created", _("Asiakas lisätty"))
CLIENT_UPDATED = register("clients.client.updated", _("Asiakkaan tiedot muutettu"))
RESPONSIBLE_WORKER_ASSIGNED = register(
    "clients.responsible_worker.assigned", _("Vastuutyöntekijä vaihdettu")
)
CONSENT_GIVEN = register("clients.consent.given", _("Suostumus kirjattu"))
CONSENT_WITHDRAWN = register("clients.consent.withdrawn", _("Suostumus peruttu"))
CARE_ASSIGNMENT_STARTED = register("clients.care_assignment.started", _("Asiakassuhde alkoi"))
CARE_ASSIGNMENT_ENDED = register("clients.care_assignment.ended", _("Asiakassuhde päättyi"))
PROCESSING_RESTRICTED = register(
    "clients.processing.restricted",
    _("Tietojen käsittelyä rajoitettu"),
    allowed_while_restricted=True,
)
PROCESSING_RESTRICTION_LIFTED = register(
    "clients.processing.restriction_lifted",
    _("Käsittelyn rajoitus poistettu"),
    allowed_while_restricted=True,
)
RETENTION_APPLIED = register("audit.retention.applied", _("Säilytysajat toteutettu"))
BREAK_GLASS_GRANTED = register(
    "access.break_glass.granted", _("Perusteltu poikkeuskäyttö"), allowed_while_restricted=True
)
API_TOKEN_CREATED = register("accounts.api_token.created", _("API-avain luotu"))
SECOND_FACTOR_ENROLLED = register(
    "accounts.second_factor.enrolled", _("Kaksivaiheinen tunnistautuminen otettu käyttöön")
)
SECOND_FACTOR_VERIFIED = register(
    "accounts.second_factor.verified", _("Kirjautuminen vahvistettu toisella tekijällä")
)
SECOND_FACTOR_RESET = register(
    "accounts.second_factor.reset", _("Kaksivaiheinen tunnistautuminen nollattu")
)
API_TOKEN_REVOKED = register("accounts.api_token.revoked", _("API-avain peruttu"))
SINGLE_SIGN_ON = register(
    "accounts.single_sign_on.signed_in", _("Kirjautuminen kunnan tunnistuspalvelulla")
)
DEMO_DATA_LOADED = register("demo.data.loaded", _("Esittelyaineisto luotu"))
PLAN_CREATED = register("plans.plan.created", _("Suunnitelma laadittu"))
PLAN_UPDATED = register("plans.plan.updated", _("Suunnitelmaa muutettu"))
PLAN_REVIEWED = register("plans.plan.reviewed", _("Suunnitelma tarkistettu"))
PLAN_PARTICIPANT_ADDED = register("plans.participant.added", _("Suunnitelman osallistuja lisätty"))
PLAN_PARTICIPANT_REMOVED = register(
    "plans.participant.removed", _("Suunnitelman osallistuja poistettu")
)
PLAN_SIGNED = register("plans.participant.signed", _("Suunnitelma allekirjoitettu"))
PLAN_INTERRUPTED = register("plans.plan.interrupted", _("Suunnitelma keskeytynyt"))
PLAN_REPLACED = register("plans.plan.replaced", _("Suunnitelma korvattu"))
REFERRAL_SENT = register("referrals.referral.sent", _("Lähete lähetetty"))
REFERRAL_ACKNOWLEDGED = register("referrals.referral.acknowledged", _("Lähete vastaanotettu"))
REFERRAL_OUTCOME_RECORDED = register("referrals.referral.outcome", _("Lähetteen tulos kirjattu"))
TEAM_BOOKING_CREATED = register("referrals.team_booking.created", _("Sote-tiimin aika varattu"))
TEAM_BOOKING_UPDATED = register(
    "referrals.team_booking.updated", _("Sote-tiimin varaus päivitetty")
)
MEETING_CREATED = register("referrals.meeting.created", _("Tapaaminen sovittu"))
MEETING_UPDATED = register("referrals.meeting.updated", _("Tapaaminen päivitetty"))
CALENDAR_FEED_CREATED = register("referrals.calendar_feed.created", _("Kalenteritilaus luotu"))
CALENDAR_FEED_REVOKED = register("referrals.calendar_feed.revoked", _("Kalenteritilaus peruttu"))
WORK_ABILITY_SUMMARY_SAVED = register(
    "referrals.work_ability_summary.saved", _("Työkyvyn tuen koonti tallennettu")
)
DOCUMENT_DISCLOSED = register("referrals.document.disclosed", _("Asiakirja luovutettu"))
SERVICE_TYPE_CREATED = register("services.service_type.created", _("Palvelu lisätty valikkoon"))
PLACEMENT_CREATED = register("services.placement.created", _("Työtoimintapaikka lisätty"))
PLACEMENT_UPDATED = register("services.placement.updated", _("Työtoimintapaikan tiedot muutettu"))
SERVICE_EPISODE_STARTED = register("services.episode.started", _("Palvelu alkoi"))
SERVICE_EPISODE_ENDED = register("services.episode.ended", _("Palvelu päättyi"))
KTT_CONTRACT_CREATED = register("services.ktt.created", _("KTT-sopimus laadittu"))
KTT_CONTRACT_DECIDED = register("services.ktt.decided", _("KTT-päätös tehty"))
KTT_CONTRACT_SIGNED = register("services.ktt.signed", _("KTT-sopimus allekirjoitettu"))
KTT_CONTRACT_EXTENDED = register("services.ktt.extended", _("KTT-sopimusta jatkettu"))
KTT_CONTRACT_INTERRUPTED = register("services.ktt.interrupted", _("KTT keskeytetty"))
KTT_EVALUATION_HELD = register("services.ktt.evaluated", _("KTT:n loppuarviointi pidetty"))
KTT_PROVIDER_CREATED = register("ktt.provider.created", _("KTT:n tuottaja lisätty"))
KTT_PROVIDER_UPDATED = register("ktt.provider.updated", _("KTT:n tuottajan tiedot muutettu"))
WORK_EVALUATION_SAVED = register("ktt.work_evaluation.saved", _("Työarvio tallennettu"))
WORK_EVALUATION_SENT = register("ktt.work_evaluation.sent", _("Työarvio lähetetty lääkärille"))
ATTENDANCE_RECORDED = register("services.attendance.recorded", _("Läsnäolot kirjattu"))
GROUP_CREATED = register("services.group.created", _("Ryhmä perustettu"))
GROUP_MEMBER_ADDED = register("services.group.member_added", _("Liitetty ryhmään"))
GROUP_SESSION_ADDED = register("services.group.session_added", _("Ryhmän kokoontuminen kirjattu"))
ALLOWANCE_RECORDED = register(
    "services.allowance.recorded", _("Kulukorvaus / toimintaraha laskettu")
)
CLAIM_CREATED = register("services.claim.created", _("Tilityshakemus laadittu"))
SHARE_LIST_IMPORTED = register("sharelist.list.imported", _("Kuntaosuuslista tuotu"))
SHARE_LIST_CONTACT_OWNER_ASSIGNED = register(
    "sharelist.contact_owner.assigned", _("Kuntaosuuslistan yhteydenottaja sovittu")
)
SHARE_LIST_REVIEW_ASSIGNED = register(
    "sharelist.review.assigned", _("Kuntaosuuslistan kuukausikokouksen päätös kirjattu")
)
SHARE_LIST_CONTACT_RECORDED = register(
    "sharelist.contact.recorded", _("Yhteydenottoyritys kirjattu")
)
SHARE_LIST_CHECKED = register("sharelist.list.checked", _("Kuntaosuuslista tarkistettu"))
SHARE_LIST_PREVIEW_EXPIRED = register(
    "sharelist.list.expired", _("Vahvistamaton kuntaosuuslista poistettu säilytysajan jälkeen")
)
EMPLOYER_CREATED = register("employment.employer.created", _("Työnantaja lisätty"))
EMPLOYER_UPDATED = register("employment.employer.updated", _("Työnantajan tiedot muutettu"))
EMPLOYER_CONTACT_ADDED = register(
    "employment.contact.added", _("Työnantajan yhteyshenkilö lisätty")
)
OBLIGATION_RECORDED = register(
    "employment.obligation.recorded", _("Työllistämisvelvoitteen ilmoitus kirjattu")
)
OBLIGATION_REFUSED = register(
    "employment.obligation.refused", _("Työllistämisvelvoitetta ei synny")
)
OBLIGATION_UPDATED = register(
    "employment.obligation.updated", _("Työllistämisvelvoitteen vaiheet päivitetty")
)
PAY_SUBSIDY_APPLIED = register("employment.subsidy.applied", _("Palkkatukea haettu"))
PAY_SUBSIDY_DECIDED = register("employment.subsidy.decided", _("Palkkatukipäätös kirjattu"))
PAY_SUBSIDY_CLAIM_CREATED = register(
    "employment.claim.created", _("Palkkatuen maksatushakemus laadittu")
)
SUBSIDY_BUDGET_SET = register("employment.budget.set", _("Palkkatuen talousarvio kirjattu"))
REPORT_MONTH_CLOSED = register("reports.month.closed", _("Seurantakuukausi suljettu"))
REPORT_SNAPSHOT_CORRECTED = register(
    "reports.snapshot.corrected", _("Suljetun kuukauden luku korjattu")
)
QUESTIONNAIRE_VERSION_CREATED = register(
    "reports.questionnaire.version_created", _("Kyselyn versio laadittu")
)
QUESTIONNAIRE_LINK_CREATED = register(
    "reports.questionnaire.link_created", _("Kyselyn kertakäyttölinkki luotu")
)
QUESTIONNAIRE_ANSWERED = register("reports.questionnaire.answered", _("Kyselyyn vastattu"))
FOLLOW_UP_RECORDED = register("reports.follow_up.recorded", _("Jälkiseuranta kirjattu"))
GOAL_CREATED = register("reports.goal.created", _("Tavoite lisätty"))
GOAL_UPDATED = register("reports.goal.updated", _("Tavoitetta muutettu"))
TARGET_SET = register("reports.target.set", _("Tavoitearvo kirjattu"))
ENTERED_FIGURE_SET = register("reports.figure.set", _("Seurantaluku kirjattu"))
PARTNER_AGREEMENT_CREATED = register("reports.partner_agreement.created", _("Aiesopimus lisätty"))
PARTNER_AGREEMENT_UPDATED = register(
    "reports.partner_agreement.updated", _("Aiesopimusta muutettu")
)
PARTNER_AGREEMENT_EVALUATED = register(
    "reports.partner_agreement.evaluated", _("Aiesopimus arvioitu")
)
EXPORT_REQUESTED = register("exports.export.requested", _("Tuloste pyydetty"))
EXPORT_FINISHED = register("exports.export.finished", _("Tuloste muodostettu tai epäonnistui"))
