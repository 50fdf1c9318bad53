from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("learning", "0011_private_session_photos")]

    operations = [migrations.RemoveField(model_name="sessionphoto", name="image")]
