"""Create the "Company staff" group: what a staff user of one company needs in the admin and the API.

Staff users with a company and no group are added to it when saved in the
admin (accounts.services.user_add_default_group).
"""

from functools import partial

from django.db import migrations

from accounts.permission_groups import group_create, group_delete

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
        migrations.RunPython(
            partial(group_create, name=GROUP_NAME, permissions=PERMISSIONS),
            partial(group_delete, name=GROUP_NAME),
        ),
    ]
