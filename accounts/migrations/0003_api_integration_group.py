"""Create the "API integration" group: what a company's chat front end or back-office system needs.

Give it to the user that owns a company's API token (`create_api_token`).
It reads the company and its users, manages clients and sessions, and reads
and appends messages; it has no admin access, which needs is_staff.
"""

from functools import partial

from django.db import migrations

from accounts.permission_groups import group_create, group_delete

GROUP_NAME = "API integration"

PERMISSIONS = [
    ("companies", "company", ["view"]),
    ("accounts", "user", ["view"]),
    ("clients", "client", ["view", "add", "change", "delete"]),
    ("chat", "chatsession", ["view", "add", "change", "delete"]),
    ("chat", "chatmessage", ["view", "add"]),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_company_staff_group"),
        ("chat", "0004_chat_sessions_company_id_index"),
    ]

    operations = [
        migrations.RunPython(
            partial(group_create, name=GROUP_NAME, permissions=PERMISSIONS),
            partial(group_delete, name=GROUP_NAME),
        ),
    ]
