"""Permission groups created by migrations, with the permissions each needs.

Django creates permissions only after all migrations have run, so
`group_create` creates the ones it names first.
"""

from django.contrib.auth.management import create_permissions


def group_create(apps, schema_editor, *, name, permissions):
    """Create (or complete) group `name` with `permissions`: (app label, model name, actions) triples."""
    database = schema_editor.connection.alias
    for app_label in {app_label for app_label, _model, _actions in permissions}:
        app_config = apps.get_app_config(app_label)
        # create_permissions skips app configs without a models module, which
        # the historical app registry never has.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps, using=database)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.using(database).get_or_create(name=name)
    group.permissions.add(
        *[
            Permission.objects.using(database).get(content_type__app_label=app_label, codename=f"{action}_{model}")
            for app_label, model, actions in permissions
            for action in actions
        ]
    )


def group_delete(apps, schema_editor, *, name):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=name).delete()
