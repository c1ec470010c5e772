"""The handbook use case (`app.handbook`): the procedure in force with config's [timelines], an
older version by `version=`, the history worded from `procedure diff`, the files it writes, and
every message it words translated into Norwegian bokmål."""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from states import handbook as states_handbook
from tests.conftest import ROOT, make_settings
from tests.dbdump import dump
from tests.helpers import OECD, open_one
from translations import translator
from workflow import handbook
from workflow.bootstrap import Services, bootstrap
from workflow.clock import FixedClock

# Messages whose Norwegian is the English on purpose: none.
SAME_IN_NB: frozenset[str] = frozenset()


@pytest.fixture
def app_for(database_url: str, clock: FixedClock) -> Iterator[Any]:
    """Applications on the one database, each with its own config sections."""
    made: list[Services] = []

    def build(**sections: Any) -> Services:
        services = bootstrap(make_settings(database_url, **sections), clock=clock)
        made.append(services)
        return services

    yield build
    for services in made:
        services.close()


def _four_months(tmp_path: Path, ident: str = "oecd-2023") -> Path:
    """oecd-2023 as a test definition (its id `ident`), version 7-test, with the initial
    assessment at 4 months."""
    path = tmp_path / f"{ident}.toml"
    text = OECD.text.replace('version = "6"', 'version = "7-test"', 1).replace(
        'id = "oecd-2023"', f'id = "{ident}"', 1
    )
    text = text.replace(
        'basis = "received"\nduration = "3mo"\nopen_in = ["received", "initial_assessment"]',
        'basis = "received"\nduration = "4mo"\nopen_in = ["received", "initial_assessment"]',
    )
    assert text.count('duration = "4mo"') == 1
    path.write_text(text, encoding="utf-8")
    return path


def _rule(book: states_handbook.Handbook, stage: str, name: str) -> states_handbook.RuleText:
    found = next(s for s in book.stages if s.name == stage)
    return next(r for r in found.deadlines if r.name == name)


def test_the_handbook_is_the_procedure_in_force_with_its_version_and_history(app_for: Any) -> None:
    """No case yet: the shipped version 6, its history that one version, in force."""
    book = app_for().handbook.render(language="en")
    assert (book.procedure_id, book.version) == ("oecd-2023", OECD.version)
    assert [(v.version, v.note) for v in book.history] == [(OECD.version, "in force for new cases")]
    assert book.history[0].changes == ("The first version known here.",)


def test_a_changed_timeline_in_the_definition_changes_the_handbooks_text(
    app_for: Any, tmp_path: Path
) -> None:
    """The same stage, 3 months in the shipped definition, 4 in a definition of its own (another
    id: config's [timelines] defaults are oecd-2023's) that says 4mo."""
    shipped = _rule(app_for().handbook.render(language="en"), "initial_assessment", "initial_assessment")
    changed = _rule(
        app_for(procedure={"file": str(_four_months(tmp_path, "ours"))}).handbook.render(language="en"),
        "initial_assessment",
        "initial_assessment",
    )
    assert "Runs for 3 months." in shipped.sentences and "Runs for 4 months." in changed.sentences
    assert "= 30 Apr 2025" in shipped.example and "= 31 May 2025" in changed.example


def test_a_timeline_set_in_config_is_shown_as_in_force(app_for: Any) -> None:
    """[timelines] good_offices = "4mo": the handbook says so, in Norwegian too."""
    app = app_for(timelines={"good_offices": "4mo"})
    rule = _rule(app.handbook.render(language="en"), "good_offices", "good_offices")
    assert "Runs for 4 months, as [timelines] in config.toml gives it; the definition says 6 months." in (
        rule.sentences
    )
    nb = _rule(app.handbook.render(language="nb"), "good_offices", "good_offices")
    assert "Løper i 4 måneder, slik [timelines] i config.toml angir; definisjonen sier 6 måneder." in (
        nb.sentences
    )


def test_the_history_shows_what_changed_between_versions_from_procedure_diff(
    app_for: Any, tmp_path: Path
) -> None:
    """A case opened under version 6 stores it; config then selects 7-test: the history lists 6
    then 7-test, and 7-test's change is `procedure diff`'s, worded; version 6 is shown on request."""
    open_one(app_for())
    app = app_for(procedure={"file": str(_four_months(tmp_path))})
    diff = app.procedures.diff(a=f"oecd-2023@{OECD.version}", b="oecd-2023@7-test")
    assert [(c.part, c.name) for c in diff.changes] == [("deadline", "initial_assessment")]
    book = app.handbook.render(language="en")
    assert [v.version for v in book.history] == [OECD.version, "7-test"]
    assert book.history[1].changes == ("Deadline “initial assessment”: duration changed from 3mo to 4mo.",)
    assert book.history[1].note == "in force for new cases" and book.history[0].note == ""
    nb = app.handbook.render(language="nb")
    assert nb.history[1].changes == ("Frist «første vurdering»: varighet endret fra 3mo til 4mo.",)
    # config.toml's [timelines] gives oecd-2023's deadlines their durations: 3 months stays in force.
    assert _rule(book, "initial_assessment", "initial_assessment").sentences[1] == (
        "Runs for 3 months, as [timelines] in config.toml gives it; the definition says 4 months."
    )
    older = app.handbook.render(language="en", version=OECD.version)
    assert older.version == OECD.version
    assert "Runs for 3 months." in _rule(older, "initial_assessment", "initial_assessment").sentences


@pytest.mark.parametrize("version", ["7²", "7." + "9" * 5000])
def test_a_version_spelled_with_odd_digits_is_ordered_in_the_history_without_failing(
    app_for: Any, tmp_path: Path, version: str
) -> None:
    """A definition's version is any text: a superscript digit (a digit to `str.isdigit`, not to
    `int`) or a run of digits longer than Python reads as a number still orders the history."""
    open_one(app_for())
    path = _four_months(tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace('version = "7-test"', f'version = "{version}"', 1),
        encoding="utf-8",
    )
    book = app_for(procedure={"file": str(path)}).handbook.render(language="en")
    assert [v.version for v in book.history] == [OECD.version, version]


def test_an_unknown_version_or_language_or_format_is_refused_and_nothing_is_written(
    app_for: Any, database_url: str
) -> None:
    """Version 99: UnknownVersionError naming the versions there are; `xx` and `docx` refused."""
    app = app_for()
    before = dump(database_url)
    with pytest.raises(handbook.UnknownVersionError) as unknown:
        app.handbook.render(language="en", version="99")
    assert str(unknown.value) == f"the procedure oecd-2023 has no version '99'; its versions: {OECD.version}"
    with pytest.raises(handbook.InvalidInputError, match="'xx' is not a language of the handbook"):
        app.handbook.render(language="xx")
    with pytest.raises(handbook.InvalidInputError, match="'docx' is not a format of the handbook"):
        app.handbook.document(language="en", format="docx")
    assert dump(database_url) == before


def test_the_handbook_files_are_html_and_a_pdf_in_the_language_asked(app_for: Any) -> None:
    """HTML: one UTF-8 file with `lang`; PDF: its text reads back with the stages' names."""
    app = app_for()
    page = app.handbook.document(language="nb", format="html").decode("utf-8")
    assert '<html lang="nb">' in page and "Prosedyrehåndbok" in page
    pdf = app.handbook.document(language="nb", format="pdf")
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert all(OECD.label("state", name, "nb") in text for name in OECD.states)


def _marked(path: Path) -> list[str]:
    """Every message marked with N_ in the module at `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and isinstance(node.args[0], ast.Constant)
    ]


def test_no_message_of_the_handbook_is_left_untranslated_in_norwegian() -> None:
    """Every message states/handbook.py and workflow/handbook.py mark has a Norwegian wording
    that differs from its English msgid (none is declared the same)."""
    nb = translator("nb")
    marked = [*_marked(ROOT / "states" / "handbook.py"), *_marked(ROOT / "workflow" / "handbook.py")]
    assert len(marked) > 60
    untranslated = [m for m in marked if nb.gettext(m) == m and m not in SAME_IN_NB]
    assert untranslated == []


def _worded(before: str, after: str, language: str) -> list[str]:
    """`procedure diff` from oecd-2023 with `before` to it with `after`, worded for the history."""
    from workflow import procedures, versions

    edited = procedures.from_text(OECD.text.replace(before, after, 1), source="edited.toml")
    return handbook.worded(versions.diff(OECD, edited), edited, language, procedures.words(edited, language))


def test_the_history_names_a_checklist_item_added_removed_and_reworded_in_both_languages() -> None:
    """An item added to the good offices' checklist, one removed, one reworded: each named with
    its stage (its label in the reader's language), in en and nb."""
    added = (
        '[[states.good_offices.checklist]]\nid = "go_offer_sent"',
        '[[states.good_offices.checklist]]\nid = "go_record"\n'
        'label = { en = "Minutes kept", nb = "Referat ført" }\n\n'
        '[[states.good_offices.checklist]]\nid = "go_offer_sent"',
    )
    assert _worded(*added, "en") == ["Checklist item “Minutes kept” added to the stage “good offices”."]
    assert _worded(*added, "nb") == ["Sjekklistepunktet «Referat ført» lagt til i fasen «dialog og mekling»."]
    start = OECD.text.index('[[states.final_statement.checklist]]\nid = "fs_comments_considered"')
    removed = (OECD.text[start : OECD.text.index("\n\n", start) + 2], "")
    assert _worded(*removed, "en") == [
        "Checklist item “The parties' comments considered” removed from the stage “final statement”."
    ]
    assert _worded(*removed, "nb") == [
        "Sjekklistepunktet «Partenes kommentarer vurdert» fjernet fra fasen «sluttuttalelse»."
    ]
    reworded = ('nb = "Partenes kommentarer vurdert"', 'nb = "Partenes kommentarer lest og vurdert"')
    assert _worded(*reworded, "nb") == [
        "Sjekklistepunkt «Partenes kommentarer lest og vurdert»: norsk navn endret fra "
        "Partenes kommentarer vurdert til Partenes kommentarer lest og vurdert."
    ]


def test_the_history_names_a_changed_handbook_text_and_a_changed_letter_in_both_languages() -> None:
    """The received stage's description reworded (not quoted); a letter more in good offices and
    one fewer after a step, by the letters' names."""
    assert OECD.states["received"].handbook is not None
    text = OECD.states["received"].handbook.description.en
    assert _worded(text, text + " Then it waits.", "en") == [
        "Handbook text of the stage “received”: what happens reworded."
    ]
    assert _worded(text, text + " Then it waits.", "nb") == [
        "Håndbokteksten for fasen «mottatt»: hva som skjer omformulert."
    ]
    letters = ('letters = ["invitation"]', 'letters = ["invitation", "pause_notice"]')
    assert _worded(*letters, "en") == ["Stage “good offices”: letters, added: notice of a pause."]
    assert _worded(*letters, "nb") == ["Fase «dialog og mekling»: brev, lagt til: varsel om stans."]
    fewer = ('letters = ["rejection"]', "letters = []")
    assert _worded(*fewer, "nb") == [
        "Steg «Avvis fra første vurdering»: brev, fjernet: klagen ikke tatt opp til behandling."
    ]


def test_the_history_words_every_kind_of_change_in_norwegian_without_an_internal_name() -> None:
    """Version 5 to 6 and back (handbook texts and the coordination text added, then removed), a
    statement published in one stage fewer, a fact now repeatable, a deadline open in one stage
    more, a Norwegian help text reworded: each a sentence, the names in Norwegian."""
    from tests.helpers import oecd_version_5
    from workflow import procedures, versions

    five = procedures.from_text(oecd_version_5(), source="v5")
    tr = procedures.words(OECD, "nb")
    up = handbook.worded(versions.diff(five, OECD), OECD, "nb", tr)
    assert "Håndbokteksten for fasen «mottatt» lagt til." in up
    assert "Prosedyre «samordning mellom kontaktpunktene» lagt til." in up
    down = handbook.worded(versions.diff(OECD, five), five, "nb", procedures.words(five, "nb"))
    assert "Håndbokteksten for fasen «mottatt» fjernet." in down
    help_nb = "Parallelle prosesser utelukker ikke i seg selv en klagesak; de kan stanse den."
    assert _worded(help_nb, "Parallelle prosesser kan stanse saken.", "nb") == [
        "Sjekklistepunkt «Hvordan lignende spørsmål er eller har vært behandlet i andre nasjonale eller "
        "internasjonale prosesser»: hjelpetekst (norsk) omformulert."
    ]
    published = 'published_in = ["good_offices", "examination", "final_statement", "follow_up"]'
    (line,) = _worded(published, 'published_in = ["good_offices", "examination", "final_statement"]', "nb")
    assert line == "Uttalelse «første vurdering»: publiseres i, fjernet: oppfølging."
    fact = "[facts.mediation_agreed]\n"
    assert _worded(fact, fact + "repeat = true\n", "nb") == [
        "Datert faktum «partene samtykket til dialog og mekling»: kan gjentas endret fra nei til ja."
    ]
