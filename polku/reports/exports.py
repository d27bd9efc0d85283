"""The monthly report as background exports (issue 19.4); the report page's direct
downloads call the same functions."""

from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from polku.accounts.roles import Actor, Capability
from polku.core.documents import PDF_MIME, XLSX_MIME, Document, Sheet, pdf_render, xlsx_render
from polku.exports.registry import Progress, export_kind
from polku.reports import report_selectors
from polku.reports.periods import add_months, parse_month


def monthly_report_of(actor: Actor, params: Mapping[str, str]) -> report_selectors.MonthlyReport:
    """The report of ``params["month"]`` (YYYY-MM), by default the last full month."""
    default = add_months(timezone.localdate().replace(day=1), -1)
    month = parse_month(params.get("month"), default)
    return report_selectors.monthly_report(actor=actor, month=month)


@export_kind(
    "monthly_report_pdf",
    title=gettext_lazy("Kuukausiseuranta (PDF)"),
    capability=Capability.VIEW_REPORTS,
    params=("month",),
)
def monthly_report_pdf(actor: Actor, params: Mapping[str, str], progress: Progress) -> Document:
    report = monthly_report_of(actor, params)
    progress(40)
    content = pdf_render("reports/monthly_pdf.html", {"report": report})
    return Document(content=content, filename=f"seuranta-{report.month:%Y-%m}.pdf", mime=PDF_MIME)


@export_kind(
    "monthly_report_xlsx",
    title=gettext_lazy("Kuukausiseuranta (XLSX)"),
    capability=Capability.VIEW_REPORTS,
    params=("month",),
)
def monthly_report_xlsx(actor: Actor, params: Mapping[str, str], progress: Progress) -> Document:
    report = monthly_report_of(actor, params)
    progress(60)
    headings = [
        _("Mittari"),
        _("Yksikkö"),
        _("Kuukausi"),
        _("Edellinen kuukausi"),
        _("Vuosi sitten"),
    ]
    sheets = [
        Sheet(
            title=_("Mittarit"),
            headings=headings,
            rows=[
                [
                    line.title,
                    line.unit,
                    line.current["value"],
                    line.previous["value"],
                    line.year_ago["value"],
                ]
                for line in report.lines
            ],
        )
    ]
    sheets.extend(
        Sheet(
            title=chart.title,
            headings=[_("Luokka"), chart.unit],
            rows=[[row["label"], row["value"]] for row in chart.rows],
        )
        for chart in report.charts
    )
    sheets.append(_partner_sheet(report))
    return Document(
        content=xlsx_render(sheets), filename=f"seuranta-{report.month:%Y-%m}.xlsx", mime=XLSX_MIME
    )


def _partner_sheet(report: report_selectors.MonthlyReport) -> Sheet:
    """One row per agreed goal: this year's agreements and last year's, evaluated this year."""
    return Sheet(
        title=_("Aiesopimukset"),
        headings=[
            _("Yhteistyötaho"),
            _("Tila"),
            _("Sovittu tavoite"),
            pgettext("goal achieved", "Toteutuminen"),
            _("Arvioitu"),
            _("Vuosi"),
            _("Tavoitteen toteutuminen"),
            _("Tavoitteen arvio"),
        ],
        rows=[
            [
                agreement.partner,
                agreement.get_status_display(),
                goal.text,
                agreement.get_achieved_display(),
                agreement.evaluated_on,
                agreement.year,
                goal.get_achieved_display(),
                goal.evaluation,
            ]
            for agreement in [*report.partners, *report.partner_evaluations]
            for goal in agreement.agreed_goals.all()
        ],
    )
