"""config.toml: the shipped file works, and every mistake is named with file, key and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from states.durations import Duration
from states.errors import ProcedureInvalidError
from states.lifecycle import DeadlineName
from workflow import procedures
from workflow.config import ConfigError, load_settings, parse_settings

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_config_loads_with_the_norwegian_defaults() -> None:
    """config.toml as shipped: Oslo time, four members with one chair, examination on."""
    settings = load_settings(ROOT / "config.toml")
    assert settings.ncp.timezone == "Europe/Oslo"
    assert len(settings.members) == 4
    assert [m.role for m in settings.members].count("chair") == 1
    assert settings.policy.timelines[DeadlineName.INITIAL_ASSESSMENT] == Duration(months=3)
    assert settings.policy.examination is True


def test_a_relative_sqlite_path_is_read_beside_the_config_file(tmp_path: Path) -> None:
    """Running from another folder must not create a second database."""
    config = tmp_path / "conf" / "ncp.toml"
    config.parent.mkdir()
    config.write_text('[database]\nurl = "sqlite:///data/x.db"\n', encoding="utf-8")
    settings = load_settings(config)
    assert settings.database.url == f"sqlite:///{tmp_path / 'conf' / 'data' / 'x.db'}"


def test_the_database_flag_beats_the_environment_and_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--database, then $NCPFLOW_DATABASE_URL, then [database] url."""
    monkeypatch.setenv("NCPFLOW_DATABASE_URL", "sqlite:////env.db")
    assert load_settings(ROOT / "config.toml").database.url == "sqlite:////env.db"
    flagged = load_settings(ROOT / "config.toml", database_url="sqlite:////flag.db")
    assert flagged.database.url == "sqlite:////flag.db"


def test_an_explicit_config_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    """A mistyped --config path is not silently replaced by defaults."""
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("data", "where", "problem"),
    [
        ({"ncp": {"timezone": "Europe/Olso"}}, "[ncp] timezone", "not a known time zone"),
        ({"timelines": {"procedure": "12 months"}}, "[timelines] procedure", "is not a duration"),
        ({"timelines": {"holiday_country": "ZZ"}}, "[timelines] holiday_country", "'ZZ'"),
        ({"alerts": {"before": ["30d", "soon"]}}, "[alerts] before", "'soon' is not a duration"),
        ({"rotation": {"mode": "random"}}, "[rotation] mode", "'per_case' or 'periodic'"),
        (
            {"members": [{"id": "a", "name": "A", "email": "a@x.no", "role": "boss"}]},
            "[[members]] #1 role",
            "'chair' or 'member'",
        ),
        (
            {
                "members": [
                    {"id": "a", "name": "A", "email": "a@x.no"},
                    {"id": "a", "name": "B", "email": "b@x.no"},
                ]
            },
            "members",
            "member id 'a' appears twice",
        ),
        (
            {
                "members": [
                    {
                        "id": "a",
                        "name": "A",
                        "email": "a@x.no",
                        "leave": [{"from": "2025-08-31", "to": "2025-06-01"}],
                    }
                ]
            },
            "[[members]] #1 leave",
            "ends (2025-06-01) before it starts",
        ),
        ({"smtp": {"port": 0}}, "[smtp] port", "greater than or equal to 1"),
        ({"sharing": {"max_bundle_bytes": "2GiB"}}, "[sharing] max_bundle_bytes", "from 1 byte to 1 GiB"),
        ({"sharing": {"max_bundle_bytes": 0}}, "[sharing] max_bundle_bytes", "from 1 byte to 1 GiB"),
        ({"sharing": {"max_bundle_bytes": "lots"}}, "[sharing] max_bundle_bytes", "could not parse"),
        ({"sharing": {"max_bundle": "1MiB"}}, "[sharing] max_bundle", "unknown key"),
        ({"procedure": {"examnation": False}}, "[procedure] examnation", "unknown key"),
        # Working days: alert rungs and duty periods are calendar time; a timeline is one or the other.
        ({"alerts": {"before": ["30d", "5wd"]}}, "[alerts] before", "'5wd' counts working days"),
        ({"alerts": {"overdue_every": "5wd"}}, "[alerts] overdue_every", "alerts count calendar days"),
        ({"alerts": {"escalate_after": "20wd"}}, "[alerts] escalate_after", "belong in [timelines]"),
        ({"rotation": {"every": "20wd"}}, "[rotation] every", "'20wd' counts working days"),
        ({"timelines": {"procedure": "1mo10wd"}}, "[timelines] procedure", "mixes working days"),
        ({"timelines": {"procedure": "2601wd"}}, "[timelines] procedure", "at most 2600 working days"),
        ({"timelines": {"procedure": "0wd"}}, "[timelines] procedure", "longer than zero"),
        (
            {"ncp": {"country": "XX"}, "timelines": {"acknowledgement": "10wd"}},
            "[ncp] country",
            "deadline 'acknowledgement' counts working days on this country's public holidays, but 'XX' "
            "is not a country the holidays package knows; set [timelines] holiday_country",
        ),
    ],
)
def test_each_config_mistake_names_the_file_the_key_and_the_problem(
    data: dict[str, object], where: str, problem: str
) -> None:
    """The message reads `FILE: KEY: PROBLEM`."""
    with pytest.raises(ConfigError) as caught:
        parse_settings(data, source="site.toml")
    message = str(caught.value)
    assert message.startswith("site.toml: ")
    assert where in message
    assert problem in message


def test_the_roles_that_may_require_totp_are_the_user_roles_themselves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`[web] require_totp_for` checks against states.users.Role, not a copy of its names."""
    from enum import StrEnum

    import workflow.config

    assert parse_settings(
        {"web": {"require_totp_for": ["admin", "auditor"]}}, source="site.toml"
    ).web.require_totp_for == ("admin", "auditor")
    monkeypatch.setattr(workflow.config, "UserRole", StrEnum("Role", {"CLERK": "clerk"}))
    assert parse_settings(
        {"web": {"require_totp_for": ["clerk"]}}, source="site.toml"
    ).web.require_totp_for == ("clerk",)
    with pytest.raises(ConfigError, match="'admin' is not a role; roles are clerk"):
        parse_settings({"web": {"require_totp_for": ["admin"]}}, source="site.toml")


def test_the_default_procedure_is_the_shipped_oecd_2023_definition() -> None:
    """No [procedure] definition: new cases follow oecd-2023, read from the package."""
    settings = parse_settings({}, source="site.toml")
    assert settings.policy.procedure.id == "oecd-2023"
    assert settings.policy.procedure is procedures.shipped("oecd-2023")  # parsed once, then shared
    assert "oecd-2023" in procedures.shipped_ids()


def test_a_procedure_file_is_read_relative_to_the_config_file(tmp_path: Path) -> None:
    """[procedure] file = "ours.toml" beside config.toml: its procedure, its durations."""
    text = (
        procedures.shipped()
        .text.replace('id = "oecd-2023"', 'id = "ours"')
        .replace('duration = "6mo"', 'duration = "4mo"')
    )
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "ours.toml").write_text(text, encoding="utf-8")
    config = tmp_path / "conf" / "ncp.toml"
    config.write_text('[procedure]\nfile = "ours.toml"\n', encoding="utf-8")
    policy = load_settings(config).policy
    assert policy.procedure.id == "ours"
    assert policy.durations["good_offices"] == Duration(months=4)  # no [timelines]: the file's
    config.write_text(
        '[procedure]\nfile = "ours.toml"\n[timelines]\ngood_offices = "5mo"\n', encoding="utf-8"
    )
    assert load_settings(config).policy.durations["good_offices"] == Duration(months=5)


@pytest.mark.parametrize(
    ("data", "where", "problem"),
    [
        (
            {"procedure": {"definition": "oecd-1999"}},
            "[procedure] definition",
            "no shipped procedure 'oecd-1999'",
        ),
        ({"procedure": {"file": "/nonexistent/ours.toml"}}, "[procedure] file", "cannot be read"),
        (
            {"procedure": {"definition": "oecd-2023", "file": "ours.toml"}},
            "[procedure]",
            "either definition (a shipped procedure) or file, not both",
        ),
    ],
)
def test_a_procedure_that_cannot_be_had_is_a_config_mistake(
    data: dict[str, object], where: str, problem: str
) -> None:
    """An unknown id, an unreadable file, both at once: `FILE: KEY: PROBLEM` of config.toml."""
    with pytest.raises(ConfigError) as caught:
        parse_settings(data, source="site.toml")
    assert str(caught.value).startswith(f"site.toml: {where}")
    assert problem in str(caught.value)


def test_an_invalid_procedure_file_is_refused_naming_that_file_and_the_key(tmp_path: Path) -> None:
    """The definition's own problem names the definition's file and key."""
    ours = tmp_path / "ours.toml"
    ours.write_text(
        procedures.shipped().text.replace('to = "examination"', 'to = "examinaton"'), encoding="utf-8"
    )
    with pytest.raises(ProcedureInvalidError) as caught:
        parse_settings({"procedure": {"file": "ours.toml"}}, source="site.toml", base=tmp_path)
    assert str(caught.value).startswith(f"{ours}: transitions[4].to: unknown state 'examinaton'")


def test_timelines_for_a_deadline_the_procedure_lacks_are_refused(tmp_path: Path) -> None:
    """[timelines] names deadlines of the configured procedure; a typo is not silently ignored."""
    with pytest.raises(
        ConfigError, match=r"site.toml: \[timelines\] good_ofices: the procedure 'oecd-2023' has no"
    ):
        parse_settings({"timelines": {"good_ofices": "6mo"}}, source="site.toml")


def test_the_letters_templates_folder_is_read_beside_the_config_file_and_must_exist(tmp_path: Path) -> None:
    """[letters] templates: a folder relative to config.toml's folder, made absolute; a folder
    that is not there is refused naming the key; [ncp] address gives the letterhead's lines."""
    (tmp_path / "letters" / "nb").mkdir(parents=True)
    config = tmp_path / "config.toml"
    config.write_text(
        '[ncp]\naddress = ["Postboks 1", "0030 Oslo"]\n'
        '[letters]\ntemplates = "letters"\nreply_within = "3w"\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.letters.templates == str((tmp_path / "letters").resolve())
    assert settings.ncp.address == ("Postboks 1", "0030 Oslo") and settings.letters.reply_within == "3w"
    config.write_text('[letters]\ntemplates = "brev"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.toml: \[letters\] templates: .*brev: no such folder"):
        load_settings(config)
    assert parse_settings({}, source="site.toml").letters.templates is None


def test_letters_ask_for_a_reply_in_calendar_time(tmp_path: Path) -> None:
    """[letters] reply_within is a calendar duration: working days or nonsense are refused."""
    for value in ("10wd", "soon"):
        with pytest.raises(ConfigError, match=r"\[letters\] reply_within"):
            parse_settings({"letters": {"reply_within": value}}, source="site.toml")


def test_statements_take_their_window_and_reminder_from_config_and_refuse_bad_values() -> None:
    """[statements] comment_days (1 to 90) and remind_before (calendar days, not working days),
    each optional with its default; a bad value is refused naming the key."""
    default = parse_settings({}, source="site.toml").statements
    assert (default.comment_days, default.remind_before) == (14, "3d")
    chosen = parse_settings(
        {"statements": {"comment_days": 21, "remind_before": "1w"}}, source="site.toml"
    ).statements
    assert (chosen.comment_days, chosen.remind_before) == (21, "1w")
    for bad, key in (({"comment_days": 0}, "comment_days"), ({"remind_before": "2wd"}, "remind_before")):
        with pytest.raises(ConfigError) as caught:
            parse_settings({"statements": bad}, source="site.toml")
        assert f"[statements] {key}" in str(caught.value), str(caught.value)


@pytest.mark.parametrize("size", [0, -1, 101, "two"])
def test_a_pool_size_out_of_bounds_is_refused_naming_the_key(size: object) -> None:
    with pytest.raises(ConfigError, match=r"\[database\] pool_size"):
        parse_settings({"database": {"pool_size": size}}, source="config.toml")


def test_the_largest_bundle_taken_in_is_64_mib_unless_sharing_max_bundle_bytes_says_otherwise() -> None:
    """The shipped file gives the default explicitly; a size may be written with its unit."""
    assert load_settings(ROOT / "config.toml").sharing.max_bundle_bytes == 64 * 2**20
    assert parse_settings({}, source="site.toml").sharing.max_bundle_bytes == 64 * 2**20
    small = parse_settings({"sharing": {"max_bundle_bytes": "2kB"}}, source="site.toml")
    assert small.sharing.max_bundle_bytes == 2000
