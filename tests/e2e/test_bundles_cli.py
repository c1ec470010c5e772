"""`ncpflow case share|receive|bundles` as real processes: two instances, each with its own
config, database and key (made by `audit keygen`, published by `audit public-key`), share a case
both ways (a supporting NCP's review comment answering the lead's review task) and hand the lead
over; a replay is refused with exit 7 naming its reason; both chains
verify and each side's export holds the other's bundle hashes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


class Instance:
    """One NCP's ncpflow: its folder, config.toml and database."""

    def __init__(self, folder: Path, code: str, url: str) -> None:
        self.folder, self.code = folder, code
        folder.mkdir()
        self.env = {
            **os.environ,
            "NCPFLOW_CONFIG": str(folder / "config.toml"),
            "NCPFLOW_DATABASE_URL": url,
            "PYTHONIOENCODING": "utf-8",
        }
        self.env.pop("NCPFLOW_AUDIT_SIGNING_KEY", None)

    def configure(self, peer: Instance) -> None:
        (self.folder / "config.toml").write_text(
            f'[ncp]\ncountry = "{self.code}"\nname = "NCP {self.code}"\nreference_prefix = "{self.code}"\n'
            '[audit]\nsigning_key_file = "signing.pem"\n'
            f'[[peers]]\nncp = "{peer.code}"\nname = "NCP {peer.code}"\n'
            f'public_key_file = "{peer.folder / "public.pem"}"\n',
            encoding="utf-8",
        )

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ncpflow", *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def test_two_instances_share_a_case_both_ways_and_refuse_a_replay(
    tmp_path: Path, database_url: str, other_database_url: str
) -> None:
    a, b = Instance(tmp_path / "no", "NO", database_url), Instance(tmp_path / "se", "SE", other_database_url)
    a.configure(b), b.configure(a)
    for side in (a, b):
        assert side("audit", "keygen", "--output", str(side.folder / "signing.pem")).returncode == 0
        public = side("audit", "public-key")
        assert public.returncode == 0, public.stderr
        (side.folder / "public.pem").write_text(public.stdout)
    opened = a.json(
        "case", "open", "--title", "Fish farm", "--enterprise", "Havbruk ASA", "--submitter", "Nature NGO",
        "--actor", "sek",
    )  # fmt: skip
    ref = opened["reference"]
    a.json("case", "ncp", "add", ref, "SE", "--role", "reviews_drafts", "--actor", "sek")
    a.json("case", "advance", ref, "begin_assessment", "--actor", "sek", "--reason", "complete")
    a.json("statement", "draft", ref, "--kind", "initial_assessment", "--actor", "sek")
    a.json("case", "ncp", "review-request", ref, "--statement", "1", "--actor", "sek")
    shared = a.json("case", "share", ref, "--to", "SE", "--actor", "sek", "--out", "one.json")
    assert (shared["sequence"], shared["kind"]) == (1, "share")
    got = b.json("case", "receive", str(a.folder / "one.json"), "--actor", "sek")
    assert got["opened"] and got["sender_reference"] == ref and got["sha256"] == shared["sha256"]
    assert b.json("case", "ncp", "show", got["reference"])["lead"] == ["NO"]
    again = b("case", "receive", str(a.folder / "one.json"), "--actor", "sek")
    assert again.returncode == 7 and "replayed" in again.stderr and "Traceback" not in again.stderr
    back = b.json(
        "case", "share", got["reference"], "--to", "NO", "--review-comment", "Agree with paragraph 4.",
        "--actor", "sek", "--out", "back.json",
    )  # fmt: skip
    home = a.json("case", "receive", str(b.folder / "back.json"), "--actor", "sek")
    assert (home["reference"], home["opened"]) == (ref, False)
    (review,) = a.json("case", "ncp", "show", ref)["reviews"]
    assert (review["ncp"], review["status"]) == ("SE", "answered")
    assert review["comment"] == "Agree with paragraph 4."
    listed = a.json("case", "bundles", ref)["bundles"]
    assert [(row["direction"], row["sha256"]) for row in listed] == [
        ("sent", shared["sha256"]),
        ("received", back["sha256"]),
    ]
    unexplained = a("case", "share", ref, "--to", "SE", "--handover", "--actor", "sek", "--out", "h.json")
    assert unexplained.returncode == 2 and "--reason" in unexplained.stderr
    assert not (a.folder / "h.json").exists()
    handover = a.json(
        "case", "share", ref, "--to", "SE", "--handover", "--reason", "SE leads", "--actor", "sek",
        "--out", "h.json",
    )  # fmt: skip
    assert a.json("case", "show", ref)["state"] == "closed"
    assert b.json("case", "receive", str(a.folder / "h.json"), "--actor", "sek")["kind"] == "handover"
    assert b.json("case", "ncp", "show", got["reference"])["lead"] == ["SE"]
    for side, theirs in ((a, [back["sha256"]]), (b, [shared["sha256"], handover["sha256"]])):
        assert side("audit", "verify").returncode == 0
        export = side("audit", "export")
        assert export.returncode == 0 and all(sha in export.stdout for sha in theirs)


def test_sharing_with_an_unknown_ncp_is_bad_input_and_writes_nothing(
    tmp_path: Path, database_url: str, other_database_url: str
) -> None:
    a, b = Instance(tmp_path / "no", "NO", database_url), Instance(tmp_path / "se", "SE", other_database_url)
    a.configure(b)
    assert a("audit", "keygen", "--output", str(a.folder / "signing.pem")).returncode == 0
    ref = a.json(
        "case", "open", "--title", "T", "--enterprise", "E", "--submitter", "S", "--actor", "sek"
    )["reference"]  # fmt: skip
    refused = a("case", "share", ref, "--to", "DK", "--actor", "sek", "--out", "x.json")
    assert refused.returncode == 2 and "DK" in refused.stderr and "--to" in refused.stderr
    assert not (a.folder / "x.json").exists()
    assert a.json("case", "bundles", ref)["bundles"] == []


def test_a_review_statement_without_a_review_comment_is_bad_input_and_writes_nothing(
    tmp_path: Path, database_url: str, other_database_url: str
) -> None:
    """`--review-statement` names the draft a comment is on: without `--review-comment` there is
    no comment to send, so the option is refused by name (it was dropped silently)."""
    a, b = Instance(tmp_path / "no", "NO", database_url), Instance(tmp_path / "se", "SE", other_database_url)
    a.configure(b)
    assert a("audit", "keygen", "--output", str(a.folder / "signing.pem")).returncode == 0
    ref = a.json(
        "case", "open", "--title", "T", "--enterprise", "E", "--submitter", "S", "--actor", "sek"
    )["reference"]  # fmt: skip
    refused = a(
        "case", "share", ref, "--to", "SE", "--review-statement", "1", "--actor", "sek", "--out", "y.json"
    )
    assert refused.returncode == 2, refused.stderr
    assert "--review-statement" in refused.stderr and "--review-comment" in refused.stderr
    assert not (a.folder / "y.json").exists()
    assert a.json("case", "bundles", ref)["bundles"] == []
