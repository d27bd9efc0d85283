"""The pay-subsidy claim (maksatushakemus) as background exports (issue 19.4); the claim
pages' direct downloads call the same functions."""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from polku.access import policy
from polku.accounts.roles import Actor, Capability
from polku.core.documents import PDF_MIME, XLSX_MIME, Document, Sheet, pdf_render, xlsx_render
from polku.employment import selectors
from polku.exports.registry import Progress, export_kind


def claim_of(actor: Actor, claim_id: int, view: str) -> tuple[Any, list[Any]]:
    policy.require(actor, Capability.MANAGE_CLAIMS)
    return selectors.claim_get(actor=actor, claim_id=claim_id, now=timezone.now(), view=view)


def _filename(claim: Any, extension: str) -> str:
    return f"palkkatuki-{claim.period_start:%Y%m%d}-{claim.period_end:%Y%m%d}.{extension}"


@export_kind(
    "pay_subsidy_claim_pdf",
    title=gettext_lazy("Palkkatuen maksatushakemus (PDF)"),
    capability=Capability.MANAGE_CLAIMS,
    params=("claim",),
)
def pay_subsidy_claim_pdf(actor: Actor, params: Mapping[str, str], progress: Progress) -> Document:
    claim, lines = claim_of(actor, int(params.get("claim", "")), "employment:claim_pdf")
    progress(40)
    content = pdf_render(
        "employment/claim_pdf.html",
        {"claim": claim, "lines": lines, "organisation": actor.organisation},
    )
    return Document(content=content, filename=_filename(claim, "pdf"), mime=PDF_MIME)


@export_kind(
    "pay_subsidy_claim_xlsx",
    title=gettext_lazy("Palkkatuen maksatushakemus (XLSX)"),
    capability=Capability.MANAGE_CLAIMS,
    params=("claim",),
)
def pay_subsidy_claim_xlsx(actor: Actor, params: Mapping[str, str], progress: Progress) -> Document:
    claim, lines = claim_of(actor, int(params.get("claim", "")), "employment:claim_xlsx")
    progress(60)
    sheet = Sheet(
        title=_("Palkkatuki"),
        headings=[
            _("Henkilötunnus"),
            _("Sukunimi"),
            _("Etunimet"),
            _("Työnantaja"),
            _("Kuukausi"),
            _("Tukipäiviä"),
            _("Tuki (%)"),
            _("Palkkakustannukset (€)"),
            _("Tuki (€)"),
        ],
        rows=[
            (
                line.client.hetu,
                line.client.last_name,
                line.client.first_names,
                line.subsidy.employer.name,
                f"{line.month:%m/%Y}",
                line.days_covered,
                line.subsidy.rate,
                line.wage_costs,
                line.amount,
            )
            for line in lines
        ],
        totals=(_("Yhteensä"), "", "", "", "", "", "", claim.wage_costs, claim.amount),
    )
    return Document(content=xlsx_render([sheet]), filename=_filename(claim, "xlsx"), mime=XLSX_MIME)
