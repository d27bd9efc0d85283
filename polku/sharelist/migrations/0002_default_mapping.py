"""The default column profile ``polku`` (CONTRACTS.md §3), editable in the admin."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

ALIASES = {
    "henkilotunnus": ["henkilotunnus", "henkilötunnus", "hetu"],
    "sukunimi": ["sukunimi"],
    "etunimet": ["etunimet", "etunimi"],
    "etuus": ["etuus", "etuuslaji"],
    "maksupaiva": ["maksupaiva", "maksupäivä"],
    "jakso_alku": ["jakso_alku", "jakso alkaa", "alkupäivä"],
    "jakso_loppu": ["jakso_loppu", "jakso päättyy", "loppupäivä"],
    "paivat": ["paivat", "päivät", "maksetut päivät"],
    "maksettu_eur": ["maksettu_eur", "maksettu €", "maksettu"],
    "kuntaosuus_pros": ["kuntaosuus_pros", "kuntaosuus %"],
    "kuntaosuus_eur": ["kuntaosuus_eur", "kuntaosuus €", "kuntaosuus"],
    "kertyneet_paivat": ["kertyneet_paivat", "kertyneet päivät", "kertymä"],
}


def create_default(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    mapping = apps.get_model("sharelist", "ColumnMapping")
    mapping.objects.get_or_create(
        organisation=None,
        name="polku",
        defaults={
            "description": "Polun oletusprofiili (CONTRACTS.md §3)",
            "aliases": ALIASES,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("sharelist", "0001_share_list")]

    operations = [migrations.RunPython(create_default, migrations.RunPython.noop)]
