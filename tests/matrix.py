"""The access matrix's vocabulary, shared by the per-app matrix modules.

Each business app that adds URLs or API operations has ``<app>/tests/access_matrix.py``
with ``PAGES`` and ``API_OPERATIONS`` (same shapes as below) and, when its URLs
take object ids, ``def objects(world: World) -> dict[str, int]`` that creates those
objects for ``world.client`` and returns the URL keyword arguments. The central
``tests/test_access_matrix.py`` discovers them, so a new URL without an entry fails.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from polku.accounts.models import Organisation, User
from polku.accounts.roles import Capability
from polku.clients.models import Client

ANYONE = None  # any signed-in role


@dataclass(frozen=True)
class Page:
    """Who may use one URL or API operation, and how the test calls it.

    ``client_specific``: the URL reaches ``world.client`` (or an object of it), so a
    worker of another organisation must get 404. ``kwargs``: names of URL keyword
    arguments taken from ``World.ids`` (``client_id`` is added when client-specific);
    ``"claim_id=pay_claim_id"`` fills the URL's ``claim_id`` from ``World.ids["pay_claim_id"]``
    where two apps use the same URL argument name. ``under_task``: ``world.client`` is one
    the task covers, so the page opens without a care relationship.
    """

    capability: Capability | None
    method: str = "get"
    data: Callable[["World"], Any] = field(default=lambda world: {})
    client_specific: bool = False
    kwargs: tuple[str, ...] = ()
    leads_to_login: bool = False  # logging out ends at the login page by design
    # Reached under a task of ``access.policy`` (no care relationship): only for the
    # clients the task covers, e.g. the clerk's expense allowance of a KTT participant.
    under_task: bool = False
    query: Callable[["World"], dict[str, Any]] | None = None  # GET parameters for API lists
    multipart: bool = False  # an API upload: ``data`` is sent as a form with files
    # Objects only their owner reaches (a background export): made for the signed-in user,
    # returning URL keyword arguments like ``objects`` does.
    own: Callable[["World", User], dict[str, int]] | None = None

    def url_kwargs(self, world: "World", user: User | None = None) -> dict[str, int]:
        """The URL's keyword arguments; an ``own`` object is made for ``user`` (by default
        ``world.worker``), the one who will ask for the page."""
        kwargs: dict[str, int] = {"client_id": world.client.pk} if self.client_specific else {}
        for entry in self.kwargs:
            name, _, key = entry.partition("=")
            kwargs[name] = world.ids[key or name]
        if self.own is not None:
            kwargs.update(self.own(world, user or world.worker))
        return kwargs


@dataclass
class World:
    organisation: Organisation
    client: Client
    worker: User
    ids: dict[str, int] = field(default_factory=dict)

    def build(self, builders: "list[Callable[[World], dict[str, int]]]") -> "World":
        """Create every app's objects; two apps must not claim the same id name."""
        for build in builders:
            ids = build(self)
            clash = set(ids) & set(self.ids)
            assert not clash, f"{build.__module__} reuses id names {sorted(clash)}"
            self.ids.update(ids)
        return self
