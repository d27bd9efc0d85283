"""Every placement gets a KTT provider (seed 004).

Existing placements are given the provider their kind implies: the organisation's own
units and workshop its own production; the other public body's units a cooperation
agreement; associations and foundations a purchase from themselves; companies a
purchase of support and guidance only (a company may not provide the work activity).
No reimbursement share is assumed: the organisation records what it has agreed.
The column becomes required in the next migration: on PostgreSQL the rows written here
must be committed (their deferred foreign-key checks run) before the table is altered.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

OWN_UNITS = {
    "wellbeing_county": {"workshop", "wellbeing_county_unit"},
}
MUNICIPAL_OWN_UNITS = {"workshop", "municipal_unit"}
PUBLIC_UNIT_FORMS = {"municipal_unit": "municipality", "wellbeing_county_unit": "wellbeing_county"}


def _provider_fields(placement, organisation):
    own_units = OWN_UNITS.get(organisation.kind, MUNICIPAL_OWN_UNITS)
    if placement.kind in own_units:
        own_form = "wellbeing_county" if organisation.kind == "wellbeing_county" else "municipality"
        return f"{organisation.name}, oma tuotanto", {
            "arrangement": "own_production",
            "legal_form": own_form,
            "scope": "work_activity",
        }
    if placement.kind in PUBLIC_UNIT_FORMS:
        return f"{placement.name} (yhteistyösopimus)", {
            "arrangement": "cooperation",
            "legal_form": PUBLIC_UNIT_FORMS[placement.kind],
            "scope": "work_activity",
            "notes": "Työympäristö yksiköltä, tuki ja ohjaus järjestäjältä; raha ei liiku.",
        }
    return placement.name, {
        "arrangement": "purchased",
        "legal_form": placement.kind,
        "scope": "support_only" if placement.kind == "company" else "work_activity",
    }


def give_every_placement_a_provider(apps, schema_editor):
    Placement = apps.get_model("service_episodes", "Placement")
    KttProvider = apps.get_model("ktt", "KttProvider")
    now = timezone.now()
    for placement in Placement.objects.select_related("organisation").filter(provider=None):
        name, fields = _provider_fields(placement, placement.organisation)
        provider, _created = KttProvider.objects.get_or_create(
            organisation_id=placement.organisation_id,
            name=name,
            defaults={**fields, "created_at": now, "updated_at": now},
        )
        placement.provider = provider
        placement.save(update_fields=["provider"])


class Migration(migrations.Migration):

    dependencies = [
        ("ktt", "0001_ktt_providers_and_work_evaluations"),
        ("service_episodes", "0003_ktt_contract_decider"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="provider",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="ktt.kttprovider",
                verbose_name="palveluntuottaja",
            ),
        ),
        migrations.RunPython(give_every_placement_a_provider, migrations.RunPython.noop),
    ]
