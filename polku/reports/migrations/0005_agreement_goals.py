"""Each agreed goal of a partner agreement becomes its own row, to be evaluated on its own.

The goals listed in the agreement's JSON become rows in the same order. An agreement
evaluated before as a whole keeps its overall result and text; its goals have no result
of their own (nothing is invented for them).
"""

import django.db.models.deletion
from django.db import migrations, models


def goals_to_rows(apps, schema_editor):
    PartnerAgreement = apps.get_model("reports", "PartnerAgreement")
    AgreementGoal = apps.get_model("reports", "AgreementGoal")
    AgreementGoal.objects.bulk_create(
        AgreementGoal(agreement=agreement, order=order, text=text[:500])
        for agreement in PartnerAgreement.objects.all()
        for order, text in enumerate(
            str(goal).strip() for goal in agreement.goals or [] if str(goal).strip()
        )
    )


def rows_to_goals(apps, schema_editor):
    PartnerAgreement = apps.get_model("reports", "PartnerAgreement")
    for agreement in PartnerAgreement.objects.prefetch_related("agreed_goals"):
        agreement.goals = [goal.text for goal in agreement.agreed_goals.order_by("order")]
        agreement.save(update_fields=["goals"])


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_target_and_figure_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgreementGoal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="järjestys")),
                ("text", models.CharField(max_length=500, verbose_name="tavoite")),
                (
                    "achieved",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("yes", "Toteutui"),
                            ("partly", "Toteutui osittain"),
                            ("no", "Ei toteutunut"),
                        ],
                        max_length=8,
                        verbose_name="toteutuminen",
                    ),
                ),
                ("evaluation", models.TextField(blank=True, verbose_name="arvio")),
                (
                    "agreement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agreed_goals",
                        to="reports.partneragreement",
                    ),
                ),
            ],
            options={
                "verbose_name": "aiesopimuksen tavoite",
                "verbose_name_plural": "aiesopimuksen tavoitteet",
                "ordering": ["order", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agreement", "order"), name="agreement_goal_order"
                    )
                ],
            },
        ),
        migrations.RunPython(goals_to_rows, rows_to_goals),
        migrations.RemoveField(model_name="partneragreement", name="goals"),
    ]
