from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from polku.accounts.models import Membership, User
from polku.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new REST API bearer token for USERNAME (stored only as a hash)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--organisation", help="slug of the organisation the token acts in (default: first)"
        )

    def handle(self, *args: object, **options: str | None) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        memberships = Membership.objects.filter(user=user).select_related("organisation")
        if options["organisation"]:
            memberships = memberships.filter(organisation__slug=options["organisation"])
        membership = memberships.order_by("organisation__name").first()
        if membership is None:
            raise CommandError("the user has no role in that organisation")
        token = api_token_create(
            user=user, organisation=membership.organisation, now=timezone.now()
        )
        self.stdout.write(token)
