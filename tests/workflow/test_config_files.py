"""config.toml that cannot be read as UTF-8 TOML: a ConfigError naming the file, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.config import ConfigError, load_settings


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[ncp]\nname = "Café"\n'.encode("latin-1"), "not UTF-8 text (byte 0xe9 on line 2)"),
        (b'[ncp]\nname = "\xff\xfe"\n', "not UTF-8 text"),
        ('[ncp]\nname = "NCP"\n'.encode("utf-16"), "not UTF-8 text"),
        (b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested too deeply"),
        (b"a = " + b"{b=" * 5_000 + b"1" + b"}" * 5_000 + b"\n", "nested too deeply"),
    ],
    ids=["latin-1", "invalid-utf-8", "utf-16", "deep-arrays", "deep-tables"],
)
def test_a_config_file_not_utf8_or_nested_too_deeply_is_refused_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    """Latin-1, stray bytes, UTF-16 or TOML nested past the parser's depth: a ConfigError."""
    path = tmp_path / "config.toml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert str(refused.value).startswith(f"{path}: ")
    assert problem in str(refused.value)


def test_a_config_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Some editors start UTF-8 files with a byte-order mark; that is still UTF-8."""
    path = tmp_path / "config.toml"
    path.write_bytes('\ufeff[ncp]\nname = "Nasjonalt kontaktpunkt"\n'.encode())
    assert load_settings(path).ncp.name == "Nasjonalt kontaktpunkt"


def test_a_config_path_that_is_a_folder_or_too_long_is_refused_naming_it(tmp_path: Path) -> None:
    """A folder, or a name longer than the system allows, is a ConfigError, not an OSError."""
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings(tmp_path)
    with pytest.raises(ConfigError, match="cannot be read"):
        load_settings(tmp_path / ("x" * 5000))


def test_a_config_path_that_never_ends_is_refused_after_4_mib() -> None:
    """`--config /dev/zero` is refused after a bounded read, not read until memory runs out."""
    with pytest.raises(ConfigError, match="larger than 4 MiB"):
        load_settings(Path("/dev/zero"))
