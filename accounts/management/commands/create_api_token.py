from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import api_token_create, user_by_username
from core.management.base import LocalizedCommand


class Command(LocalizedCommand):
    @property
    def help(self):
        # A property because argparse needs a str, which a lazy translation is not.
        return _("Create an API token for a user and print it; the token is the last line of the output.")

    def add_arguments(self, parser):
        parser.add_argument("username", help=gettext_lazy("Username of the user the token acts as."))
        parser.add_argument(
            "--expiry-days",
            type=int,
            default=None,
            help=gettext_lazy("Days until the token expires (default: never)."),
        )

    def handle(self, *args, username, expiry_days, **options):
        try:
            user = user_by_username(username)
            token, plain = api_token_create(user=user, expiry_days=expiry_days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        expiry = token.expiry.isoformat() if token.expiry else _("never")
        self.stdout.write(
            _("Created API token %(key)s for %(username)s (expires: %(expiry)s). It is shown only once:")
            % {"key": token.token_key, "username": user.get_username(), "expiry": expiry}
        )
        self.stdout.write(plain)
