from django.db import migrations


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run in a transaction.
    atomic = False
    dependencies = [("shop", "0002_account_plan")]
    operations = [
        migrations.RunSQL("CREATE INDEX CONCURRENTLY shop_account_email_idx ON shop_account (email)"),
    ]
