"""Form helpers shared by the apps' views."""

from django import forms


def keep_typed(form: forms.BaseForm, version: int) -> None:
    """After a version conflict: the form keeps what was typed and carries the saved version.

    Nothing was written; saving the form again replaces the other person's version
    knowingly, which is the only way a conflicting edit can land.
    """
    form.data = {**form.data.dict(), "version": str(version)}  # type: ignore[attr-defined]
