"""The consent gate: nothing leaves the organisation without consent and an agreement.

Before a referral or a document goes to another organisation the client must have a
valid consent naming a matching party (SPEC §1, C1; LEGAL.md §4.4) and a data-sharing
agreement between the two organisations must be in force. Every disclosure that
passes the gate is written to the disclosure log (luovutusloki, 703/2023 § 11).
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from polku.accounts.models import DataSharingAgreement, Organisation
from polku.clients.models import Client, Consent

Party = Consent.Party

# Which consent parties cover a referral to each target, besides a consent naming the
# receiving organisation itself.
KIND_PARTIES: dict[str, frozenset[str]] = {
    "adult_social_work": frozenset({Party.SOCIAL_SERVICES, Party.WELLBEING_COUNTY}),
    "health_check": frozenset({Party.HEALTH_SERVICES, Party.WELLBEING_COUNTY}),
    "sote_team": frozenset({Party.WELLBEING_COUNTY}),
    "substance_abuse": frozenset({Party.HEALTH_SERVICES, Party.WELLBEING_COUNTY}),
    "mental_health": frozenset({Party.HEALTH_SERVICES, Party.WELLBEING_COUNTY}),
    "kela_rehabilitation": frozenset({Party.KELA}),
    "typ": frozenset({Party.EMPLOYMENT_AUTHORITY, Party.KELA}),
    "work_ability_team": frozenset({Party.WELLBEING_COUNTY, Party.HEALTH_SERVICES}),
    "work_ability_coordinator": frozenset({Party.WELLBEING_COUNTY, Party.HEALTH_SERVICES}),
    "concern_notification": frozenset({Party.SOCIAL_SERVICES, Party.WELLBEING_COUNTY}),
    # A document (the work-ability summary) sent to another organisation.
    "document": frozenset({Party.WELLBEING_COUNTY, Party.HEALTH_SERVICES, Party.SOCIAL_SERVICES}),
    # The work evaluation (työarvio) sent to the doctor for a work-ability assessment.
    "work_evaluation": frozenset({Party.HEALTH_SERVICES, Party.WELLBEING_COUNTY}),
}


class ConsentRequired(ValueError):
    """The disclosure is refused: a consent or the data-sharing agreement is missing."""

    code = "consent_required"

    def __init__(self, message: str, *, missing: str) -> None:
        super().__init__(message)
        self.message = message
        self.missing = missing  # "consent" or "agreement"


def _party_names(parties: Iterable[str], recipient: Organisation) -> str:
    labels = [str(Party(party).label) for party in sorted(parties)]
    labels.append(_("nimetty organisaatio: %(name)s") % {"name": recipient.name})
    return ", ".join(labels)


def matching_consent(
    *, consents: Iterable[Consent], parties: frozenset[str], recipient: Organisation, on: date
) -> Consent | None:
    """The first consent valid on ``on`` that names one of ``parties`` or the recipient."""
    for consent in consents:
        if not consent.is_valid_on(on):
            continue
        if consent.party in parties and not (
            consent.party == Party.WELLBEING_COUNTY
            and recipient.kind != Organisation.Kind.WELLBEING_COUNTY
        ):
            return consent
        named = consent.party == Party.ORGANISATION
        if named and consent.party_name.strip().casefold() == recipient.name.casefold():
            return consent
    return None


def agreement_in_force(*, provider_id: int, recipient_id: int, on: date) -> bool:
    return DataSharingAgreement.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        provider_id=provider_id,
        recipient_id=recipient_id,
        valid_from__lte=on,
    ).exists()


def disclosure_gate(*, client: Client, recipient: Organisation, purpose: str, on: date) -> Consent:
    """The consent that allows disclosing ``client``'s data for ``purpose`` to ``recipient``.

    ``purpose`` is a key of ``KIND_PARTIES`` (a referral kind or ``"document"``).

    Raises:
        ConsentRequired: no valid matching consent, or no data-sharing agreement in force;
            the message says which consent or agreement is missing.
    """
    parties = KIND_PARTIES[purpose]
    consent = matching_consent(
        consents=client.consents.all(), parties=parties, recipient=recipient, on=on
    )
    if consent is None:
        raise ConsentRequired(
            _(
                "Tietoja ei voi luovuttaa organisaatiolle %(recipient)s: asiakkaalta puuttuu "
                "voimassa oleva suostumus. Kirjaa ensin suostumus, jonka osapuolena on jokin "
                "näistä: %(parties)s."
            )
            % {"recipient": recipient.name, "parties": _party_names(parties, recipient)},
            missing="consent",
        )
    if not agreement_in_force(provider_id=client.organisation_id, recipient_id=recipient.pk, on=on):
        raise ConsentRequired(
            _(
                "Tietoja ei voi luovuttaa organisaatiolle %(recipient)s: organisaatioiden "
                "välillä ei ole voimassa olevaa tietojenluovutussopimusta."
            )
            % {"recipient": recipient.name},
            missing="agreement",
        )
    return consent
