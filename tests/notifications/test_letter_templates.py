"""The letter templates as files: the script writes every one, an NCP's own is read again when
it changes, and what cannot be a template is refused naming it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from notifications.letters import Stationery, render
from notifications.letters.make_templates import main, templates
from states.letters import LetterTemplateError


def test_the_script_writes_every_template_into_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m notifications.letters.make_templates FOLDER` writes each kind in each language,
    and the layout of edited letters, naming each file it wrote."""
    assert main([str(tmp_path)]) == 0
    made = templates()
    for name, data in made.items():
        assert (tmp_path / name).read_bytes() == data
    # 8 letters, the layout and 3 statements, each in en and nb
    assert len(capsys.readouterr().out.splitlines()) == len(made) == 24


def test_a_kind_or_language_there_is_none_of_is_refused_naming_them() -> None:
    """An unknown kind or language names the template it would be and what there is."""
    with pytest.raises(
        LetterTemplateError, match=r"de/acknowledgement\.docx: no such language; one of en, nb"
    ):
        Stationery().template("acknowledgement", "de")
    with pytest.raises(
        LetterTemplateError, match=r"en/apology\.docx: no such letter kind; one of acknowledgement"
    ):
        Stationery().template("apology", "en")


def test_an_ncp_template_is_read_again_when_it_changes_and_a_huge_one_is_refused(tmp_path: Path) -> None:
    """Edited in Word meanwhile, the file is read again; unchanged, it is not; a file larger than
    16 MiB is refused naming it."""
    (tmp_path / "en").mkdir()
    path = tmp_path / "en" / "case_closed.docx"
    shipped = templates()
    path.write_bytes(shipped["en/rejection.docx"])
    ours = Stationery(tmp_path)
    assert ours.template("case_closed", "en") == (str(path), shipped["en/rejection.docx"])
    assert ours.template("case_closed", "en")[1] is ours.template("case_closed", "en")[1]  # kept
    path.write_bytes(shipped["en/acceptance.docx"])
    os.utime(path, (1, 1))
    assert ours.template("case_closed", "en")[1] == shipped["en/acceptance.docx"]
    with path.open("r+b") as handle:
        handle.truncate(render.MAX_TEMPLATE_BYTES + 1)
    os.utime(path, (2, 2))
    with pytest.raises(LetterTemplateError, match=r"case_closed\.docx: larger than 16 MiB"):
        ours.template("case_closed", "en")


def test_a_template_that_is_not_jinja2_is_refused_naming_it(tmp_path: Path) -> None:
    """A template whose Jinja2 does not parse (an `if` without its condition) is refused."""
    from docx import Document

    (tmp_path / "nb").mkdir()
    document = Document()
    document.add_paragraph("{% if %}Hei{% endif %}")
    document.save(tmp_path / "nb" / "invitation.docx")
    with pytest.raises(LetterTemplateError, match=r"nb/invitation\.docx: not a valid template"):
        Stationery(tmp_path).render_letter("invitation", "nb", {})


def test_the_compiled_templates_are_kept_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each part's compiled template is kept, at most so many: the oldest makes room."""
    monkeypatch.setattr(render, "_COMPILED", {})
    monkeypatch.setattr(render, "_COMPILED_MAX", 2)
    env = render.environment()
    first = env.from_string("{{ a }}")
    assert env.from_string("{{ a }}") is first
    env.from_string("{{ b }}")
    env.from_string("{{ c }}")
    assert list(render._COMPILED) == ["{{ b }}", "{{ c }}"]
    assert env.from_string("{{ a }}", globals={"a": 1}).render() == "1"  # with globals: not kept


def test_the_same_letter_renders_to_the_same_bytes_at_any_time() -> None:
    """A Word file's zip members carry no wall-clock time: the same letter written at two times
    gives one sha256, so it is stored once."""
    import io
    import zipfile

    from notifications.letters.render import stable

    def written_at(when: tuple[int, int, int, int, int, int]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr(zipfile.ZipInfo("word/document.xml", date_time=when), "<w:document/>")
        return out.getvalue()

    first, second = written_at((2026, 12, 1, 9, 0, 0)), written_at((2026, 12, 2, 17, 30, 4))
    assert first != second
    assert stable(first) == stable(second)
    assert zipfile.ZipFile(io.BytesIO(stable(first))).read("word/document.xml") == b"<w:document/>"
