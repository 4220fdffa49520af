from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.services import api_token_revoke, user_by_username
from core.management.base import LocalizedCommand


class Command(LocalizedCommand):
    @property
    def help(self):
        # A property because argparse needs a str, which a lazy translation is not.
        return _("Revoke one API token by the start of its key, or every token of a user.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "token_key",
            nargs="?",
            help=gettext_lazy("The token key shown by list_api_tokens, or its first characters (at least 4)."),
        )
        target.add_argument("--user", help=gettext_lazy("Revoke every token of the user with this username."))

    def handle(self, *args, token_key, user, **options):
        try:
            if user:
                count = api_token_revoke(user=user_by_username(user))
            else:
                count = api_token_revoke(token_key=token_key)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        message = ngettext("Revoked %(count)d API token.", "Revoked %(count)d API tokens.", count)
        self.stdout.write(message % {"count": count})
