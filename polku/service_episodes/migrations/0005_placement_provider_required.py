"""Every placement has a provider (filled in by 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("service_episodes", "0004_placement_provider"),
    ]

    operations = [
        migrations.AlterField(
            model_name="placement",
            name="provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="placements",
                to="ktt.kttprovider",
                verbose_name="palveluntuottaja",
            ),
        ),
    ]
