"""Schemathesis over every operation of /api/v1/openapi.json, as every kind of caller.

Each operation is fuzzed once per caller: no token, the forum's organizer, its check-in staff, an NGO
delegate who owns a fair project, a business delegate who pledged, a memorandum's signatory. Path parameters
point at the seeded forum's real objects most of the time (so the fuzzing gets past the 404s to the rules
behind them) and are generated freely the rest of the time. Positive data (what the document allows) and
negative data (what it forbids) both go in, after a few explicit examples per operation (valid bodies, Kazakh
and HTML text, edge amounts, ids too large for the database). Every answer must:

- never be a 5xx;
- have a status, content type, headers and body the document declares;
- on a 4xx, be the contract's error body `{"error": {"code", "message", "details"?}}`.
"""
import itertools
import re

import pytest
import schemathesis
from hypothesis import example, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.factories import PASSWORD
from tests.fuzz.conftest import FUZZ

CALLERS = ("anonymous", "organizer", "checkin", "ngo", "business", "signatory")
EXAMPLES = 8              # generated examples per operation and caller without a body or query
EXAMPLES_WITH_INPUT = 15  # … with a body or query parameters to vary
TOO_BIG = 2**63           # no integer column holds it (PostgreSQL's bigint stops at 2^63 - 1)
_emails = itertools.count(1)


def _operations() -> list[str]:
    """Every operation the document describes, read at collection time (no database needed)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(TestConfig))
    return [f"{op.method.upper()} {op.path}" for op in (result.ok() for result in schema.get_all_operations())]


OPERATIONS = _operations()


@schemathesis.check
def error_contract(ctx, response, case):
    """A 4xx answer is JSON of the contract's shape: {"error": {"code": str, "message": str, "details"?: {…}}}."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]  # lowercase keys, lists of values
    assert content_type.startswith("application/json"), (
        f"{response.status_code} answered with {content_type!r}, not the contract's JSON error")
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error"}, f"not the contract's error shape: {body!r}"
    error = body["error"]
    assert isinstance(error, dict) and set(error) <= {"code", "message", "details"}, f"unexpected keys: {error!r}"
    assert isinstance(error.get("code"), str) and error["code"], f"no error code: {error!r}"
    assert isinstance(error.get("message"), str) and error["message"], f"no error message: {error!r}"
    if "details" in error:
        assert isinstance(error["details"], dict), f"details must be an object: {error!r}"
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, error_contract]


@pytest.fixture(scope="module")
def schema(fuzz_app, world):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)


def _path_names(operation) -> list[str]:
    return [param.name for param in operation.iter_parameters() if param.location == "path"]


def _has_input(operation) -> bool:
    """Whether anything but the path can vary (negative data needs somewhere to go)."""
    return any(param.location != "path" for param in operation.iter_parameters()) or bool(operation.body)


def case_strategy(operation, world):
    names = _path_names(operation)
    real = {name: world.ids[name] for name in names if name in world.ids}  # a new kind of id: generated
    strategies = [operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real)]
    for name in names:  # the other real objects of the same kind (a draft forum, a published memorandum …)
        for other in world.extra_ids.get(name, []):
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters={**real, name: other}))
    if _has_input(operation):
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real))
    if names:  # anything at all in the path
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE))
        strategies.append(operation.as_strategy(GenerationMode.NEGATIVE))
    return st.one_of(strategies)


# ---------------------------------------------------------------- explicit examples, tried first


def _registration(**overrides) -> dict:
    body = {"full_name": "Әлия Нұрланқызы <script>alert(1)</script>", "email": f"fuzz{next(_emails)}@example.kz",
            "sector": "ngo", "consent": True, "region": "KZ-23", "participation": "online", "language": "kk",
            "phone": "+7 701 000 00 00", "position": "Төраға'; DROP TABLE delegates;--",
            "organization": {"name": "ҚҚ «Үміт» <b>", "bin": "061040003334"}}
    body.update(overrides)
    return body


def explicit_examples(label: str, world) -> list[dict]:
    """Case arguments for one operation: the valid request the generator rarely builds, and known edges."""
    ids = world.ids
    huge_ids = [{name: TOO_BIG} for name in ("registration_id", "session_id", "project_id", "pledge_id",
                                             "memorandum_id", "delegate_id")]
    table = {
        "POST /api/v1/forums/{slug}/registrations": [
            {"body": _registration()},
            {"body": _registration(full_name="Ғ" * 200, email=f"{'ұ' * 40}{next(_emails)}@мысал.kz")},
            {"body": _registration(organization={"id": TOO_BIG})},
            {"body": _registration(organization={"id": -1})},
            {"body": _registration(organization={"name": "Атамекен", "bin": "abc"})},
            {"body": _registration(organization={"name": "Атамекен", "bin": "123456789012"})},
            {"body": _registration(region="KZ-99")},
            {"body": _registration(email="not-an-email")},
            {"body": _registration(consent=False)},
            {"path_parameters": {"slug": "asar-draft"}, "body": _registration()},
        ],
        "POST /api/v1/checkin": [
            {"body": {"token": world.badge_token}},
            {"body": {"token": "<script>alert(1)</script>"}},
            {"body": {"token": "' OR 1=1 --"}},
            {"body": {"token": "ә" * 500}},
        ],
        "POST /api/v1/fair/projects/{project_id}/pledges": [
            {"body": {"amount_kzt": 1}},
            {"body": {"amount_kzt": 10**12, "comment": "Қолдаймыз <script>x</script>"}},
            {"body": {"amount_kzt": 10**12 + 1}},
            {"body": {"amount_kzt": TOO_BIG}},
            {"body": {"amount_kzt": -500}},
            {"body": {"amount_kzt": 0}},
            {"body": {"in_kind": "Ноутбуктер <img src=x onerror=alert(1)>", "in_kind_value_kzt": 300_000}},
            {"body": {}},
        ],
        "POST /api/v1/fair/pledges/{pledge_id}/confirm": [{"body": {"note": "Рақмет! <b>"}}, {"body": {}}],
        "POST /api/v1/fair/pledges/{pledge_id}/decline": [{"body": {"note": "Кешіріңіз"}}, {"body": None}],
        "POST /api/v1/memoranda/{memorandum_id}/signatures": [
            {"body": {"agree": True, "full_name": "Гүлнар Ыбырайқызы", "password": "wrong-password-1",
                      "sha256": "0" * 64}},
            {"body": {"agree": True, "full_name": world.signatory_name, "password": PASSWORD,
                      "sha256": world.memorandum_sha256}},
        ],
        "GET /api/v1/forums/{slug}/fair/projects": [
            {"query": {"budget_min": "-1", "budget_max": str(TOO_BIG), "page": "99999999999999999999",
                       "per_page": "0", "sort": "closest", "q": "' OR 1=1 --"}},
            {"query": {"region": str(TOO_BIG), "category": "<script>", "funding": "funded", "q": "Жастар%_"}},
            {"query": {"page": "-3", "per_page": "1000", "budget_min": "1e9"}},
        ],
        "GET /api/v1/forums/{slug}/memoranda": [
            {"query": {"region": str(TOO_BIG), "level": "national", "sector": "business", "status": "draft"}},
            {"query": {"region": "-1", "status": "<script>"}},
        ],
        "GET /api/v1/verify/{public_id}": [{"path_parameters": {"public_id": "ә" * 30}},
                                            {"path_parameters": {"public_id": "x" * 500}}],
        "GET /api/v1/forums/{slug}": [{"path_parameters": {"slug": "ә" * 300}},
                                       {"path_parameters": {"slug": "asar-draft"}}],
    }
    examples = list(table.get(label, []))
    for path in huge_ids:  # every id in a path, too large for the database
        if set(path) <= set(re.findall(r"{(\w+)}", label)):
            examples.append({"path_parameters": path})
    return examples


def _case(operation, world, spec: dict):
    path = {name: world.ids[name] for name in _path_names(operation) if name in world.ids}
    path.update(spec.get("path_parameters", {}))
    kwargs = {"path_parameters": path, "query": spec.get("query")}
    if "body" in spec:
        kwargs["body"] = spec["body"]
        kwargs["media_type"] = "application/json"
    return operation.Case(**kwargs)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_operation(fuzz_app, schema, world, label, caller):
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label

    def fuzz(case):
        token = world.token(caller)
        if token:  # the caller's own token replaces whatever Authorization the generator made up
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        try:
            with fuzz_app.app_context():  # each request its own context (its own `g` and session), as in production
                case.call_and_validate(checks=CHECKS)
        finally:
            db.session.expire_all()  # the test's session reads what the request wrote

    test = given(case=case_strategy(operation, world))(fuzz)
    for spec in explicit_examples(label, world):
        test = example(case=_case(operation, world, spec))(test)
    settings(FUZZ, max_examples=EXAMPLES_WITH_INPUT if _has_input(operation) else EXAMPLES)(test)()


def test_every_operation_is_fuzzed():
    """The parametrization follows the document, and the document has every path of the public contract."""
    for label in ("GET /api/v1/forums", "GET /api/v1/forums/{slug}", "POST /api/v1/forums/{slug}/registrations",
                  "GET /api/v1/registrations/{registration_id}", "POST /api/v1/checkin",
                  "GET /api/v1/forums/{slug}/sessions", "POST /api/v1/sessions/{session_id}/enrollments",
                  "DELETE /api/v1/sessions/{session_id}/enrollments/me", "GET /api/v1/forums/{slug}/fair/projects",
                  "POST /api/v1/fair/projects/{project_id}/pledges", "GET /api/v1/forums/{slug}/memoranda",
                  "GET /api/v1/memoranda/{memorandum_id}.pdf", "GET /api/v1/verify/{public_id}",
                  "GET /api/v1/forums/{slug}/stats"):
        assert label in OPERATIONS
