"""Closed months keep their figures; only the explanation of "Tilanne palvelun
päättyessä" loses the internal reference "(seed 002:n luokitus)" it was stored with."""

from django.db import migrations

OLD = "(seed 002:n luokitus)."
NEW = "palvelun jälkeen: työhön, koulutukseen, toiseen palveluun tai muuhun tilanteeseen."


def plain_definition(apps, schema_editor):  # type: ignore[no-untyped-def]
    MonthSnapshot = apps.get_model("reports", "MonthSnapshot")
    for snapshot in MonthSnapshot.objects.filter(values__outcomes_at_exit__isnull=False):
        value = snapshot.values["outcomes_at_exit"]
        definition = value.get("definition", "")
        if OLD in definition:
            value["definition"] = definition.replace(OLD, NEW)
            snapshot.save(update_fields=["values"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_agreement_goals")]
    operations = [migrations.RunPython(plain_definition, migrations.RunPython.noop)]
