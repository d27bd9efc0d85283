"""The documents that can be made in the background: each app registers its own in its
``exports.py`` with ``export_kind``; the same function serves the direct download."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django_stubs_ext import StrOrPromise

from polku.accounts.roles import Actor, Capability
from polku.core.documents import Document

Progress = Callable[[int], None]
Renderer = Callable[[Actor, Mapping[str, str], Progress], Document]


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: StrOrPromise
    capability: Capability  # asked when the job is queued; the renderer checks access again
    params: tuple[str, ...]  # the request values the document is made from
    render: Renderer


KINDS: dict[str, ExportKind] = {}


def export_kind(
    name: str, *, title: StrOrPromise, capability: Capability, params: tuple[str, ...] = ()
) -> Callable[[Renderer], Renderer]:
    """Register ``render`` as the document ``name``."""

    def register(render: Renderer) -> Renderer:
        if name in KINDS:
            raise ImproperlyConfigured(f"export kind {name} registered twice")
        KINDS[name] = ExportKind(
            name=name, title=title, capability=capability, params=params, render=render
        )
        return render

    return register


def no_progress(percent: int) -> None:
    """The progress of a document made while the user waits for the response."""
