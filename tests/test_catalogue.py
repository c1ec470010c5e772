"""The one message catalogue: every Norwegian entry translated, the committed template what the
code and templates hold today, the glossary's terms kept, and the compiled catalogue in use."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

import translations
from tests.conftest import ROOT

PO = translations.catalogue_path("nb")
GLOSSARY = ROOT / "docs" / "glossary.md"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


def catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def entries(found: Catalog) -> dict[object, Message]:
    return {(m.context, m.id): m for m in found if m.id}


def glossary() -> list[tuple[str, tuple[str, ...]]]:
    """(English term, the Norwegian forms the catalogue may use) for each line of the table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("English", "") and not cells[0].startswith("-"):
            rows.append((cells[0], tuple(form.strip() for form in cells[2].split(","))))
    return rows


def test_every_norwegian_entry_is_translated_and_none_is_fuzzy() -> None:
    """A message added to the code but left untranslated (or only guessed at) fails here."""
    nb = catalogue(PO, "nb")
    untranslated = [m.id for m in nb if m.id and not (all(m.string) if m.pluralizable else m.string)]
    fuzzy = [m.id for m in nb if m.id and m.fuzzy]
    assert not untranslated, f"untranslated in {PO.name}: {untranslated}"
    assert not fuzzy, f"fuzzy in {PO.name}: {fuzzy}"
    assert not nb.fuzzy, "the catalogue's header is marked fuzzy"


def test_the_committed_template_is_what_a_fresh_extraction_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make messages` was run after the last string changed: nothing slips past the template."""
    fresh = tmp_path / "fresh.pot"
    monkeypatch.chdir(ROOT)
    CommandLineInterface().run(
        [
            "pybabel",
            "--quiet",
            "extract",
            "--mapping-file",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "--keywords",
            "N_",
            "--output-file",
            str(fresh),
            ".",
        ]
    )
    committed, extracted = entries(catalogue(translations.TEMPLATE)), entries(catalogue(fresh))
    assert set(committed) == set(extracted), (
        f"run `make messages`: new {sorted(map(str, set(extracted) - set(committed)))}, "
        f"gone {sorted(map(str, set(committed) - set(extracted)))}"
    )
    assert {key: m.flags for key, m in committed.items()} == {key: m.flags for key, m in extracted.items()}


def test_the_norwegian_catalogue_holds_exactly_the_template_s_messages() -> None:
    """No message of the template is missing from nb, and nb keeps no stale one."""
    assert set(entries(catalogue(PO, "nb"))) == set(entries(catalogue(translations.TEMPLATE)))


def test_each_translation_keeps_the_placeholders_of_its_message() -> None:
    """A translation that drops or renames a `{name}` or `%(name)s` would fail when it is shown."""
    for message in catalogue(PO, "nb"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, message.id


def test_the_glossary_has_a_line_for_each_of_the_ncp_s_own_terms() -> None:
    """The terms DOMAIN.md names, each with its Norwegian forms."""
    terms = dict(glossary())
    assert {
        "specific instance",
        "submitter",
        "enterprise",
        "NCP",
        "initial assessment",
        "good offices",
        "examination",
        "final statement",
        "follow-up",
        "lead member",
        "chair",
        "secretariat",
        "pause",
        "extension",
        "deadline",
    } <= set(terms)
    assert all(terms.values())


@pytest.mark.parametrize(("term", "forms"), glossary(), ids=[t for t, _ in glossary()])
def test_every_norwegian_message_holding_a_glossary_term_uses_its_norwegian_term(
    term: str, forms: tuple[str, ...]
) -> None:
    """One concept, one word: "initial assessment" is "første vurdering" wherever it is shown."""
    english = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
    wrong = []
    for message in catalogue(PO, "nb"):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and any(english.search(i) for i in ids):
            wrong += [(ids[0], s) for s in strings if not any(form.lower() in s.lower() for form in forms)]
    assert not wrong, f"{term!r} should be one of {forms}: {wrong}"


def test_a_norwegian_catalogue_newer_than_its_compiled_file_is_read_from_the_po(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit to the .po after `make install` shows at once; a fresh .mo is what is read."""
    messages = tmp_path / "nb" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "ncpflow.po").write_bytes(PO.read_bytes().replace(b'msgstr "Frist"', b'msgstr "Tidsfrist"'))
    (messages / "ncpflow.mo").write_bytes(translations.compile_catalogue("nb"))
    later = (messages / "ncpflow.mo").stat().st_mtime + 10
    os.utime(messages / "ncpflow.po", (later, later))  # the .po is the newer
    monkeypatch.setattr(translations, "LOCALE_DIR", tmp_path)
    translations.translator.cache_clear()
    try:
        assert translations.translator("nb").gettext("Deadline") == "Tidsfrist"
        translations.translator.cache_clear()
        compiled = translations.compile_catalogue("nb")
        (messages / "ncpflow.po").unlink()
        (messages / "ncpflow.mo").write_bytes(compiled)
        assert translations.translator("nb").gettext("Deadline") == "Tidsfrist"
    finally:
        monkeypatch.undo()
        translations.translator.cache_clear()
    assert translations.translator("nb").gettext("Deadline") == "Frist"
    assert translations.translator("de").gettext("Deadline") == "Deadline"
