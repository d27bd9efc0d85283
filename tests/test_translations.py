"""The Swedish and English catalogues translate every Finnish msgid, and safely.

Finnish is the source language: the code's strings are the msgids. These tests read the
.po files with Babel, so they need neither a database nor compiled .mo files.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "polku" / "locale"
LANGUAGES = ["sv", "en"]

# %(name)s, %(count)d, %s, %% ... as Python's %-formatting reads them.
PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)

KEY_MESSAGES = ["Asiakkaat", "Kirjaudu sisään", "Henkilötunnus", "Suostumukset", "Tallenna"]


def _catalog(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def _messages(language: str) -> list[Message]:
    return [message for message in _catalog(language) if message.id]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple | list) else [str(message.id)]


def _strings(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return [str(string or "") for string in message.string]
    return [str(message.string or "")]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _label(message: Message) -> str:
    return _ids(message)[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_exists_and_is_not_empty(language: str) -> None:
    assert _messages(language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_has_a_translation_in_every_plural_form(language: str) -> None:
    untranslated = [
        _label(message)
        for message in _messages(language)
        if not all(string.strip() for string in _strings(message))
    ]

    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_messages_have_as_many_forms_as_the_language_needs(language: str) -> None:
    catalog = _catalog(language)
    wrong = [
        _label(message)
        for message in catalog
        if message.id and message.pluralizable
        if len(_strings(message)) != catalog.num_plurals
    ]

    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_fuzzy(language: str) -> None:
    catalog = _catalog(language)
    fuzzy = [_label(message) for message in _messages(language) if message.fuzzy]

    assert not catalog.fuzzy
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_msgid(language: str) -> None:
    mismatched = [
        (_label(message), string)
        for message in _messages(language)
        for string in _strings(message)
        if _placeholders(string) != _placeholders(_ids(message)[-1])
    ]

    assert mismatched == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_python_format_messages_are_flagged_as_such(language: str) -> None:
    unflagged = [
        _label(message)
        for message in _messages(language)
        if any("%(" in msgid for msgid in _ids(message)) and not message.python_format
    ]

    assert unflagged == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("msgid", KEY_MESSAGES)
def test_key_interface_strings_are_in_the_catalogue(language: str, msgid: str) -> None:
    message = _catalog(language).get(msgid)

    assert message is not None
    assert message.string


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
def test_the_catalogues_hold_every_string_of_the_code_and_templates(tmp_path: Path) -> None:
    """Extract the strings afresh (``makemessages``) in a copy of the project: a string
    added to the code or a template without a translation shows up untranslated there.
    """
    root = LOCALE.parent.parent
    for part in ("polku", "config"):
        shutil.copytree(root / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "manage.py", tmp_path)

    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "sv",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=tests",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        check=True,
    )

    for language in LANGUAGES:
        po_path = tmp_path / "polku" / "locale" / language / "LC_MESSAGES" / "django.po"
        with po_path.open("rb") as po_file:
            fresh = read_po(po_file, locale=language)
        missing = [
            _label(message)
            for message in fresh
            if message.id and (message.fuzzy or not all(_strings(message)))
        ]
        assert missing == [], f"{language}: run makemessages and translate these"
