"""The logs are append-only in the database itself on PostgreSQL (SPEC C10).

A row-level trigger refuses UPDATE and DELETE on the access, change and disclosure
logs, whoever connects. Only the retention purge may delete rows older than the
retention period: it sets ``polku.retention_purge`` for its own transaction.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TABLES = ("audit_accesslogentry", "audit_changelogentry", "audit_disclosurelogentry")

FUNCTION = """
CREATE OR REPLACE FUNCTION polku_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('polku.retention_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'polku: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION polku_append_only()"
        )


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS polku_append_only()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_disclosure_log")]

    operations = [migrations.RunPython(install, uninstall)]
