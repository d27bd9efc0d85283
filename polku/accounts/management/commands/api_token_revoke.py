from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polku.accounts.models import ApiToken
from polku.accounts.services import api_token_revoke


class Command(BaseCommand):
    help = (
        "Revoke a REST API token by the first characters it was shown with (PREFIX), "
        "or every token of a user with --user USERNAME."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", nargs="?", help="the token's first 8 characters")
        parser.add_argument("--user", help="revoke all of this user's tokens")

    def handle(self, *args: object, **options: str | None) -> None:
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        elif options["prefix"]:
            tokens = tokens.filter(prefix=options["prefix"][:8])
            if tokens.count() > 1:
                raise CommandError("several tokens begin so; revoke them with --user")
        else:
            raise CommandError("give a token's PREFIX or --user USERNAME")
        now = timezone.now()
        revoked = sum(api_token_revoke(token=token, revoked_by=None, now=now) for token in tokens)
        if not revoked:
            raise CommandError("no such token in use")
        self.stdout.write(f"revoked {revoked} token(s)")
