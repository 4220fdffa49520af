"""Create the "Company staff" group: what a staff user of one company needs in the admin and the API.

Staff users with a company and no group are added to it when saved in the
admin (accounts.services.user_add_default_group). The permissions are created
here first, because Django creates them only after all migrations have run.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Company staff"

# (app label, model name, actions). Company staff read companies, users, tokens
# and messages, manage clients, and manage sessions including deleting them.
# User accounts, tokens and companies stay with the platform operators.
PERMISSIONS = [
    ("companies", "company", ["view"]),
    ("accounts", "user", ["view"]),
    ("clients", "client", ["view", "add", "change"]),
    ("chat", "chatsession", ["view", "add", "change", "delete"]),
    ("chat", "chatmessage", ["view"]),
    ("knox", "authtoken", ["view"]),
]


def create_group(apps, schema_editor):
    for app_label in {app_label for app_label, _model, _actions in PERMISSIONS}:
        app_config = apps.get_app_config(app_label)
        # create_permissions skips app configs without a models module, which
        # the historical app registry never has.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP_NAME)
    codenames = [
        (app_label, f"{action}_{model}") for app_label, model, actions in PERMISSIONS for action in actions
    ]
    permissions = [
        Permission.objects.using(schema_editor.connection.alias).get(
            content_type__app_label=app_label, codename=codename
        )
        for app_label, codename in codenames
    ]
    group.permissions.add(*permissions)


def delete_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("companies", "0001_initial"),
        ("clients", "0001_initial"),
        ("chat", "0002_postgresql_search"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(create_group, delete_group),
    ]
