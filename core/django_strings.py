"""Strings of Django 6.1's admin that its Spanish catalog leaves untranslated.

Marked here so that `makemessages` copies them into this project's catalog,
which Django reads before its own (LOCALE_PATHS comes first).
TODO: remove an entry once Django's Spanish catalog translates it.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = [
    gettext_noop("Run"),  # admin/actions.html, the button that runs an action
    gettext_noop("- Select an option -"),  # the empty choice of select widgets
    gettext_noop("Search %(name)s"),  # admin/search_form.html, hidden heading
]
