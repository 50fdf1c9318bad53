"""A GIN index on the search index's combined ``title || body`` vector, on PostgreSQL.

modelsearch indexes ``title`` and ``body`` each with GIN, but its search filters on ``(title || body) @@ query``,
an expression neither index covers, so every search read the whole index table. A no-op on other databases.
"""

from django.db import migrations

INDEX = "website_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    quote = schema_editor.quote_name
    sql = f"CREATE INDEX IF NOT EXISTS {quote(INDEX)} ON {quote(table)} USING gin ((title || body))"  # nosec B608: names
    schema_editor.execute(sql)  # are our constant and the model's table, quoted; no value comes from outside


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    dependencies = [
        ("wagtailsearch", "0010_add_text_fields"),
        ("website", "0006_domain_slug_from_name"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
