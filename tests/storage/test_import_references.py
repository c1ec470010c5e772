"""The imported cases' references (`imports.references`, read by the precedents), on SQLite,
PostgreSQL and PostgreSQL per tenant: the cases `case import` brought in, not those opened here."""

from __future__ import annotations

import json

from tests.helpers import open_one
from workflow.bootstrap import Services

LINE = {
    "external_id": "NO-2011-07",
    "title": "Salmon farm escapes",
    "parties": [
        {"role": "submitter", "name": "Fjord Friends", "type": "ngo"},
        {"role": "enterprise", "name": "Havbruk Seafood ASA"},
    ],
    "received": "2011-03",
    "milestones": [{"trigger": "begin_assessment", "date": "2011-04"}],
}


def test_the_imported_references_are_those_case_import_brought_in(services: Services) -> None:
    with services.uow.read() as tx:
        assert tx.imports.references() == set()
    here = open_one(services)
    result = services.cases.import_cases(text=json.dumps(LINE), actor="importer", source="file.jsonl")
    (line,) = result.lines
    with services.uow.read() as tx:
        assert tx.imports.references() == {line.reference}
    assert here != line.reference
