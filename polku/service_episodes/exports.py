"""The KTT claim (tilityshakemus) as background exports (issue 19.4): a claim lists every
participant of half a year. The claim pages' direct downloads call the same functions."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.accounts.roles import Actor, Capability
from polku.core.documents import PDF_MIME, XLSX_MIME, Document, Sheet, pdf_render, xlsx_render
from polku.exports.registry import Progress, export_kind
from polku.service_episodes import selectors


def _claim(actor: Actor, params: Mapping[str, str], view: str) -> tuple[Any, list[Any]]:
    return selectors.claim_get(
        actor=actor, claim_id=int(params.get("claim", "")), now=timezone.now(), view=view
    )


def _filename(claim: Any, extension: str) -> str:
    return f"tilityshakemus-{claim.period_start:%Y%m%d}-{claim.period_end:%Y%m%d}.{extension}"


@export_kind(
    "ktt_claim_pdf",
    title=gettext_lazy("KTT:n tilityshakemus (PDF)"),
    capability=Capability.MANAGE_CLAIMS,
    params=("claim",),
)
def ktt_claim_pdf(actor: Actor, params: Mapping[str, str], progress: Progress) -> Document:
    claim, lines = _claim(actor, params, "services:claim_pdf")
    progress(40)
    content = pdf_render(
        "service_episodes/claim_pdf.html",
        {
            "claim": claim,
            "lines": lines,
            "rates": selectors.claim_rates(claim=claim),
            "organisation": actor.organisation,
        },
    )
    return Document(content=content, filename=_filename(claim, "pdf"), mime=PDF_MIME)


@export_kind(
    "ktt_claim_xlsx",
    title=gettext_lazy("KTT:n tilityshakemus (XLSX)"),
    capability=Capability.MANAGE_CLAIMS,
    params=("claim",),
)
def ktt_claim_xlsx(actor: Actor, params: Mapping[str, str], progress: Progress) -> Document:
    claim, lines = _claim(actor, params, "services:claim_xlsx")
    progress(60)
    sheet = Sheet(
        title=_("Osallistujat"),
        headings=[
            _("Henkilötunnus"),
            _("Sukunimi"),
            _("Etunimet"),
            _("Osallistumispäiviä"),
            _("Korvattavia päiviä"),
            _("Korvaus (€)"),
        ],
        rows=[
            (
                line.client.hetu,
                line.client.last_name,
                line.client.first_names,
                line.attended_days,
                line.reimbursable_days,
                line.amount,
            )
            for line in lines
        ],
        totals=(_("Yhteensä"), "", "", claim.attended_days, claim.reimbursable_days, claim.amount),
    )
    return Document(content=xlsx_render([sheet]), filename=_filename(claim, "xlsx"), mime=XLSX_MIME)
