from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import api_token_list, user_by_username
from core.management.base import LocalizedCommand


class Command(LocalizedCommand):
    @property
    def help(self):
        # A property because argparse needs a str, which a lazy translation is not.
        return _("List API tokens by key, user, creation and expiry; tokens themselves cannot be shown.")

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", help=gettext_lazy("Only the tokens of this user."))

    def handle(self, *args, username, **options):
        try:
            user = user_by_username(username) if username else None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        tokens = api_token_list(user=user)
        if not tokens:
            self.stdout.write(_("No API tokens."))
            return
        self.stdout.write("\t".join([_("key"), _("user"), _("created"), _("expires")]))
        for token in tokens:
            expiry = token.expiry.isoformat() if token.expiry else _("never")
            self.stdout.write(
                "\t".join([token.token_key, token.user.get_username(), token.created.isoformat(), expiry])
            )
