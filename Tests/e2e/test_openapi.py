"""Section 4: docs/openapi.yaml describes the HTTP API, and the running daemon answers
as it says.

- The document is a valid OpenAPI 3.1 description.
- schemathesis generates requests for the public JSON API from the document alone
  (positive and negative data, the coverage phase's boundary values and unexpected
  methods) and checks every answer: no 5xx, a documented status, a documented
  content type, a body that matches the schema, the documented headers.
- The staff operations get the same generated requests, signed on the way out as
  PROTOCOL §7 says (Tests/interop/sealbox_open.py's signer).
- The success paths that need a real code, a whole case through the staff API, and
  the pages are sent by hand; each answer is checked against the document's schema
  for its operation and status with jsonschema, independently of schemathesis.

The daemon runs with a cheap Argon2id and a very high code-attempt limit, so the
whole module takes about 15 s.
"""

from __future__ import annotations

import base64
import json
import os
import re
from functools import lru_cache

import pytest
import requests
import schemathesis
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012

import sealbox_e2e as e2e
from make_vectors import seal_envelope  # PyNaCl sealing written from PROTOCOL.md (Tests/interop)

so = e2e.so

OPENAPI = e2e.REPO / "docs" / "openapi.yaml"

# Cheap key derivation and no practical rate limit, so that hundreds of generated
# requests take seconds (the limits themselves are tested elsewhere).
FAST = {
    "SEALBOX_CRYPTO_KDF_OPSLIMIT": "1",
    "SEALBOX_CRYPTO_KDF_MEMLIMIT": "8192",
    "SEALBOX_LIMITS_CODE_ATTEMPTS": "100000",
    "SEALBOX_LIMITS_CODE_ATTEMPTS_GLOBAL": "100000",
}
PUBLIC_JSON_API = r"^/api/v1/(reports|inbox|inbox/messages)$"
MAX_EXAMPLES = 25
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.unsupported_method,
]


@lru_cache(maxsize=1)
def document() -> dict:
    return yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def api_daemon(module_daemons) -> e2e.Daemon:
    return module_daemons(**FAST)


# --- 1. the document ---------------------------------------------------------------------------------

def test_document_is_a_valid_openapi_description():
    doc = document()
    assert doc["openapi"].startswith("3.1")
    validate_openapi(doc)
    assert len(doc["servers"]) == 2, "one server per listener"


def test_every_operation_lists_its_answers_and_staff_operations_are_signed():
    doc = document()
    signed = {"SealboxKey", "SealboxTimestamp", "SealboxNonce", "SealboxSignature"}
    assert set(doc["components"]["securitySchemes"]) == signed
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "delete"):
                continue
            assert operation.get("responses"), f"{method} {path}"
            is_staff = path.startswith(("/api/v1/staff/", "/api/v2/staff/"))
            assert bool(operation.get("security")) == is_staff, f"{method} {path}"
            if is_staff:
                assert [set(r) for r in operation["security"]] == [signed]
                assert "401" in operation["responses"], f"{method} {path}"


# --- a validator of answers, from the document alone ------------------------------------------------------

def _resolve(pointer: str) -> tuple[str, dict]:
    """Follows local $refs of response objects; returns (JSON pointer, object)."""
    node = document()
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    if isinstance(node, dict) and set(node) == {"$ref"}:
        return _resolve(node["$ref"])
    return pointer, node


def _escape(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def assert_documented(method: str, template: str, response: requests.Response) -> None:
    """The status is documented for the operation, the content type is one of the
    response's, and a JSON body validates against the response's schema."""
    label = f"{method} {template} -> {response.status_code}"
    operation = document()["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], f"{label}: status not documented; body {response.text[:300]!r}"
    pointer, answer = _resolve(f"#/paths/{_escape(template)}/{method.lower()}/responses/{status}")
    for name, header in answer.get("headers", {}).items():
        header = _resolve(header["$ref"])[1] if "$ref" in header else header
        if header.get("required"):
            assert name in response.headers, f"{label}: header {name} missing"
    content = answer.get("content")
    if not content:
        assert response.content == b"", f"{label}: a body where none is documented"
        return
    received = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    assert received in content, f"{label}: Content-Type {received!r} not in {sorted(content)}"
    if received != "application/json":
        return
    registry = Registry().with_resource("urn:sealbox:openapi", DRAFT202012.create_resource(document()))
    schema = {"$ref": f"urn:sealbox:openapi{pointer}/content/application~1json/schema"}
    validator = Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(response.json()), key=lambda e: list(e.absolute_path))
    assert not errors, f"{label}: body does not match the document:\n" + "\n".join(
        f"- {'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors[:10]) + \
        f"\nbody: {response.text[:600]}"


def test_the_validator_refuses_an_answer_the_document_does_not_allow():
    """Guards the hand-written checks below against passing vacuously."""
    fake = requests.Response()
    fake.status_code = 201
    fake.headers["Content-Type"] = "application/json; charset=utf-8"
    fake._content = json.dumps({"case": "7KQM-3XWP", "code": "4721 0938 5562 1170", "received": "2026-11-24",
                                "extra": 1}).encode()
    with pytest.raises(AssertionError, match="extra"):
        assert_documented("POST", "/api/v1/reports", fake)
    fake._content = json.dumps({"case": "7KQM-3XWP", "code": "4721 0938 5562 1170", "received": "2026-11-24"}).encode()
    assert_documented("POST", "/api/v1/reports", fake)
    fake.status_code = 418
    with pytest.raises(AssertionError, match="not documented"):
        assert_documented("POST", "/api/v1/reports", fake)


# --- 2. schemathesis against the public JSON API -----------------------------------------------------

@pytest.fixture(scope="module")
def public_api_schema(api_daemon):
    config = schemathesis.Config.from_dict({
        "base-url": api_daemon.public_url,
        "seed": 20261124,
        "request-timeout": 30,
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            # The methods Hummingbird routes; TRACE and QUERY answer 404, see the report.
            "coverage": {"enabled": True, "unexpected-methods": ["GET", "PUT", "DELETE", "PATCH"]},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
    })
    return schemathesis.openapi.from_path(OPENAPI, config=config)


public_api = schemathesis.pytest.from_fixture("public_api_schema").include(path_regex=PUBLIC_JSON_API)


@public_api.parametrize()
def test_public_json_api_answers_as_documented(case, api_daemon):
    case.call_and_validate(base_url=api_daemon.public_url, checks=CHECKS, timeout=30)


class SignedSession(requests.Session):
    """Signs every request as it is finally sent (path, query and body exactly as on the wire)."""

    def __init__(self, signer: e2e.StaffSigner):
        super().__init__()
        self.signer = signer

    def send(self, request, **kwargs):
        body = request.body or b""
        body = body.encode() if isinstance(body, str) else body
        for name in ("Sealbox-Key", "Sealbox-Timestamp", "Sealbox-Nonce", "Sealbox-Signature"):
            request.headers.pop(name, None)
        request.headers.update(self.signer.headers(request.method, request.path_url, body))
        return super().send(request, **kwargs)


@pytest.fixture(scope="module")
def staff_api_schema(api_daemon):
    """The staff operations, generated by schemathesis and signed on the way out. There is
    something to act on: a few reports (case references are random, so generated ones
    mostly name no case, which must answer the documented 404)."""
    for n in range(3):
        assert api_daemon.post("/api/v1/reports", json={"text": f"Meldung {n}"}).status_code == 201
    config = schemathesis.Config.from_dict({
        "base-url": api_daemon.staff_url,
        "seed": 20261124,
        "request-timeout": 30,
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {"coverage": {"enabled": True, "unexpected-methods": []}, "stateful": {"enabled": False}},
    })
    return schemathesis.openapi.from_path(OPENAPI, config=config)


staff_api = schemathesis.pytest.from_fixture("staff_api_schema").include(path_regex=r"^/api/v1/staff/")


@staff_api.parametrize()
def test_signed_staff_api_answers_as_documented_to_generated_requests(case, api_daemon, signer):
    with SignedSession(signer) as session:
        case.call_and_validate(base_url=api_daemon.staff_url, session=session, timeout=30,
                               checks=[check for check in CHECKS if check is not schemathesis.checks.unsupported_method])


# --- 2b. success paths that need a real code ---------------------------------------------------------------

def submit(daemon, text="Der Vermieter sagte, an Ausländer vermiete er nicht.", files=()) -> dict:
    body, ctype = e2e.multipart([("text", text), ("grounds", "ethnic-origin"), ("area", "housing")], list(files))
    r = daemon.post("/api/v1/reports", data=body, headers={"Content-Type": ctype})
    assert_documented("POST", "/api/v1/reports", r)
    assert r.status_code == 201, r.text
    return r.json()


def open_inbox(daemon, code: str) -> requests.Response:
    r = daemon.post("/api/v1/inbox", json={"code": code})
    assert_documented("POST", "/api/v1/inbox", r)
    return r


def test_inbox_api_with_a_real_code_answers_as_documented(api_daemon):
    created = submit(api_daemon, files=[("attachment", "brief.pdf", "application/pdf", b"%PDF-1.4 " * 50)])
    r = open_inbox(api_daemon, created["code"])
    assert r.status_code == 200, r.text
    assert r.json()["case"] == created["case"]

    r = api_daemon.post("/api/v1/inbox/messages", json={"code": created["code"], "text": "Es ist wieder passiert."})
    assert_documented("POST", "/api/v1/inbox/messages", r)
    assert r.status_code == 201, r.text

    body, ctype = e2e.multipart([("code", created["code"]), ("text", "Hier das Foto.")],
                                [("attachment", "foto.jpg", "image/jpeg", b"\xff\xd8\xff" + b"x" * 3000)])
    r = api_daemon.post("/api/v1/inbox/messages", data=body, headers={"Content-Type": ctype})
    assert_documented("POST", "/api/v1/inbox/messages", r)
    assert r.status_code == 201, r.text

    r = open_inbox(api_daemon, created["code"])
    assert r.status_code == 200
    assert [m["author"] for m in r.json()["messages"]] == ["reporter"] * 3

    r = api_daemon.post("/api/v1/inbox/messages", json={"code": created["code"], "text": "   "})
    assert_documented("POST", "/api/v1/inbox/messages", r)
    assert r.status_code == 422


def test_inbox_api_refusals_answer_as_documented(api_daemon):
    typo = "4721 0938 5562 1171"
    assert so.damm(typo.replace(" ", "")) != 0
    assert open_inbox(api_daemon, typo).status_code == 422
    assert open_inbox(api_daemon, "12345").status_code == 422
    assert open_inbox(api_daemon, "1" * 65).status_code == 422
    unknown = "472109385562117"
    unknown += str(next(d for d in range(10) if so.damm(unknown + str(d)) == 0))
    assert open_inbox(api_daemon, unknown).status_code == 404
    r = api_daemon.post("/api/v1/inbox", data=b"{", headers={"Content-Type": "application/json"})
    assert_documented("POST", "/api/v1/inbox", r)
    assert r.status_code == 400
    r = api_daemon.post("/api/v1/inbox", data=b'{"code": "\xff"}', headers={"Content-Type": "application/json"})
    assert_documented("POST", "/api/v1/inbox", r)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_utf8"
    r = api_daemon.post("/api/v1/inbox", data=b"x" * 5000, headers={"Content-Type": "application/json"})
    assert_documented("POST", "/api/v1/inbox", r)
    assert r.status_code == 413


def test_inbox_api_over_the_attempt_limit_answers_429_as_documented(daemon_factory):
    limited = daemon_factory(**{**FAST, "SEALBOX_LIMITS_CODE_ATTEMPTS": "1"})
    code = "4721 0938 5562 1170"
    statuses = [open_inbox(limited, code).status_code for _ in range(3)]
    assert statuses[-1] == 429, statuses


# --- 3. the signed staff API, by hand ---------------------------------------------------------------------

def staff(daemon, signer, method: str, path: str, template: str, body: bytes = b"",
          content_type: str | None = "application/json") -> requests.Response:
    headers = signer.headers(method, path, body)
    if body and content_type:
        headers["Content-Type"] = content_type
    r = requests.request(method, daemon.staff_url + path, headers=headers, data=body or None, timeout=30)
    assert_documented(method, template, r)
    return r


def e2e_case(daemon) -> str:
    r = daemon.post("/api/v1/reports", json={"text": "Noch ein Fall"})
    assert r.status_code == 201, r.text
    return r.json()["case"]


def ih_key_id(signer) -> str:
    import nacl.signing
    return so.key_id(bytes(nacl.signing.SigningKey(signer.seed).verify_key)).hex()


def reporter_key(keys, signer, daemon, case: str) -> bytes:
    """The reporter key from inside the sealed report (PROTOCOL §9.1), never from the server."""
    for item in signer.all_items(daemon):
        if item["case"] == case and item["kind"] == "report":
            _, plaintext = so.open_envelope(e2e.unb64u(item["envelope"]), keys.team_secret)
            return so.unb64u(json.loads(plaintext)["reporter_key"])
    raise AssertionError(f"no report of {case}")


def reply_envelope(keys, reporter_public: bytes, case: str, day: str, text: str) -> bytes:
    plaintext = json.dumps(so.sign_item({"v": 1, "type": "reply", "case": case, "day": day, "text": text,
                                         "attachments": []}, keys.staff_seed)).encode()
    team_public = so.parse_key_text(keys.team_public_text, so.TEAM_PREFIX)
    return seal_envelope(plaintext, 3, [reporter_public, team_public])


def test_staff_api_answers_as_documented(api_daemon, signer, keys):
    empty = requests.get(api_daemon.staff_url + "/api/v1/staff/items", timeout=30)
    assert_documented("GET", "/api/v1/staff/items", empty)
    assert empty.status_code == 401

    created = submit(api_daemon, files=[("attachment", "a.txt", "text/plain", b"anhang " * 200)])
    case = created["case"]

    # items, paging and its refusals
    every, after = [], None
    while True:
        path = "/api/v1/staff/items?limit=500" + (f"&after={after}" if after else "")
        r = staff(api_daemon, signer, "GET", path, "/api/v1/staff/items")
        assert r.status_code == 200
        if not r.json()["items"]:
            break
        every += r.json()["items"]
        after = r.json()["next"]
    mine = [i for i in every if i["case"] == case]
    assert [i["kind"] for i in mine] == ["report"]
    last = every[-1]["id"]
    r = staff(api_daemon, signer, "GET", f"/api/v1/staff/items?after={last}", "/api/v1/staff/items")
    assert r.status_code == 200 and r.json()["items"] == []
    for query in ("limit=0", "limit=501", "limit=x", "after=" + "0" * 32):
        r = staff(api_daemon, signer, "GET", f"/api/v1/staff/items?{query}", "/api/v1/staff/items")
        assert r.status_code == 400, query

    # attachments
    [attachment] = mine[0]["attachments"]
    r = staff(api_daemon, signer, "GET", f"/api/v1/staff/attachments/{attachment['id']}",
              "/api/v1/staff/attachments/{id}")
    assert r.status_code == 200 and r.content[:4] == b"SBA1"
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/attachments/" + "0" * 32, "/api/v1/staff/attachments/{id}")
    assert r.status_code == 404
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/attachments/nothex", "/api/v1/staff/attachments/{id}")
    assert r.status_code == 404

    # the case list before any action
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/cases", "/api/v1/staff/cases")
    assert r.status_code == 200
    assert any(c["case"] == case and c["status"] == "received" for c in r.json()["cases"])

    # a reply, and the replies the daemon refuses
    replies = "/api/v1/staff/cases/{case}/replies"
    reporter = reporter_key(keys, signer, api_daemon, case)
    envelope = reply_envelope(keys, reporter, case, created["received"], "Danke, wir melden uns.")
    body = json.dumps({"envelope": e2e.b64u(envelope)}).encode()
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/replies", replies, body)
    assert r.status_code == 201 and r.json()["status"] == "acknowledged"
    wrong = reply_envelope(keys, os.urandom(32), case, created["received"], "an jemand anderen")
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/replies", replies,
              json.dumps({"envelope": e2e.b64u(wrong)}).encode())
    assert r.status_code == 422
    for bad in (b"{", b"{}", json.dumps({"envelope": "***"}).encode()):
        r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/replies", replies, bad)
        assert r.status_code == 400, bad
    r = staff(api_daemon, signer, "POST", "/api/v1/staff/cases/2222-2222/replies", replies, body)
    assert r.status_code == 404

    # a note of the team (PROTOCOL §3.4), and what the daemon refuses there
    items = "/api/v1/staff/cases/{case}/items"
    note = {"v": 2, "type": "note", "case": case, "day": created["received"], "text": "Notiz"}
    team = so.parse_key_text(keys.team_public_text, so.TEAM_PREFIX)
    sealed_note = seal_envelope(json.dumps(so.sign_item(note, signer.seed)).encode(), 4, [team])
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/items", items,
              json.dumps({"envelope": e2e.b64u(sealed_note)}).encode())
    assert r.status_code == 201 and r.json()["kind"] == "note" and r.json()["position"] == 3
    to_reporter = seal_envelope(json.dumps(note).encode(), 4, [team, reporter])
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/items", items,
              json.dumps({"envelope": e2e.b64u(to_reporter)}).encode())
    assert r.status_code == 422
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/items", items, b"{}")
    assert r.status_code == 400
    r = staff(api_daemon, signer, "POST", "/api/v1/staff/cases/2222-2222/items", items,
              json.dumps({"envelope": e2e.b64u(sealed_note)}).encode())
    assert r.status_code == 404

    # status changes
    status = "/api/v1/staff/cases/{case}/status"
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/status", status,
              json.dumps({"status": "in-progress"}).encode())
    assert r.status_code == 200 and r.json()["status"] == "in-progress"
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/status", status,
              json.dumps({"status": "vanished"}).encode())
    assert r.status_code == 422
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{case}/status", status, b"[]")
    assert r.status_code == 400
    r = staff(api_daemon, signer, "POST", "/api/v1/staff/cases/2222-2222/status", status,
              json.dumps({"status": "closed"}).encode())
    assert r.status_code == 404
    r = staff(api_daemon, signer, "POST", "/api/v1/staff/cases/not-a-case/status", status,
              json.dumps({"status": "closed"}).encode())
    assert r.status_code == 404

    # the items now include the reply and the status item (envelope null), after the
    # report in the case's own order; the feed from today lists them by (day, id)
    r = staff(api_daemon, signer, "GET", f"/api/v1/staff/items?from={created['received']}&limit=500",
              "/api/v1/staff/items")
    assert r.status_code == 200
    listed = r.json()["items"]
    assert [(i["day"], i["id"]) for i in listed] == sorted((i["day"], i["id"]) for i in listed)
    of_case = sorted((i for i in listed if i["case"] == case), key=lambda i: i["position"])
    assert [(i["position"], i["kind"], i.get("status")) for i in of_case] == [
        (1, "report", None), (2, "reply", None), (3, "note", None), (4, "status", "in-progress")]
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/items?from=2026-02-30", "/api/v1/staff/items")
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_body"

    # the reporter sees it, as documented
    r = open_inbox(api_daemon, created["code"])
    assert r.status_code == 200
    thread = r.json()
    assert thread["status"] == "in-progress" and thread["acknowledged"] == created["received"]
    assert [m["author"] for m in thread["messages"]] == ["reporter", "team"]

    r = staff(api_daemon, signer, "GET", "/api/v1/staff/cases", "/api/v1/staff/cases")
    assert [c["acknowledged"] for c in r.json()["cases"] if c["case"] == case] == [created["received"]]

    # audit
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/audit", "/api/v1/staff/audit")
    assert r.status_code == 200
    assert sorted(e["action"] for e in r.json()["entries"] if e["case"] == case) == ["note", "reply", "status:in-progress"]

    # deletion
    delete = "/api/v1/staff/cases/{case}"
    r = staff(api_daemon, signer, "DELETE", f"/api/v1/staff/cases/{case}", delete)
    assert r.status_code == 204
    r = staff(api_daemon, signer, "DELETE", f"/api/v1/staff/cases/{case}", delete)
    assert r.status_code == 404
    assert open_inbox(api_daemon, created["code"]).status_code == 404
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/audit", "/api/v1/staff/audit")
    assert "delete" in [e["action"] for e in r.json()["entries"] if e["case"] == case]

    # retention and the four-eyes steps (a single staff key: nothing to confirm)
    other = e2e_case(api_daemon)
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{other}/retention", "/api/v1/staff/cases/{case}/retention",
              json.dumps({"until": "2999-01-01"}).encode())
    assert r.status_code == 200 and r.json()["expires"] == "2999-01-01"
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{other}/deletion-request",
              "/api/v1/staff/cases/{case}/deletion-request")
    assert r.status_code == 201 and r.json()["case"] == other
    r = staff(api_daemon, signer, "POST", f"/api/v1/staff/cases/{other}/deletion-confirm",
              "/api/v1/staff/cases/{case}/deletion-confirm")
    assert r.status_code == 409 and r.json()["error"]["code"] == "own_deletion_request"
    r = staff(api_daemon, signer, "GET", "/api/v1/staff/cases", "/api/v1/staff/cases")
    assert [c["deletion"]["requested_by"] for c in r.json()["cases"] if c["case"] == other] == [ih_key_id(signer)]


def test_staff_lists_of_an_empty_mailbox_answer_as_documented(daemon_factory, signer):
    empty = daemon_factory(**FAST)
    for path in ("/api/v1/staff/items", "/api/v1/staff/cases", "/api/v1/staff/audit"):
        r = staff(empty, signer, "GET", path, path)
        assert r.status_code == 200


@pytest.mark.parametrize("method, path, template", [
    ("GET", "/api/v1/staff/items", "/api/v1/staff/items"),
    ("GET", "/api/v1/staff/attachments/" + "0" * 32, "/api/v1/staff/attachments/{id}"),
    ("GET", "/api/v1/staff/cases", "/api/v1/staff/cases"),
    ("GET", "/api/v1/staff/audit", "/api/v1/staff/audit"),
    ("POST", "/api/v1/staff/cases/2222-2222/replies", "/api/v1/staff/cases/{case}/replies"),
    ("POST", "/api/v1/staff/cases/2222-2222/status", "/api/v1/staff/cases/{case}/status"),
    ("POST", "/api/v1/staff/cases/2222-2222/items", "/api/v1/staff/cases/{case}/items"),
    ("DELETE", "/api/v1/staff/cases/2222-2222", "/api/v1/staff/cases/{case}"),
    ("POST", "/api/v1/staff/cases/2222-2222/deletion-request", "/api/v1/staff/cases/{case}/deletion-request"),
    ("POST", "/api/v1/staff/cases/2222-2222/deletion-confirm", "/api/v1/staff/cases/{case}/deletion-confirm"),
    ("POST", "/api/v1/staff/cases/2222-2222/retention", "/api/v1/staff/cases/{case}/retention"),
])
def test_unsigned_staff_request_gets_the_documented_401(api_daemon, method, path, template):
    r = requests.request(method, api_daemon.staff_url + path, timeout=30)
    assert r.status_code == 401
    assert_documented(method, template, r)


def test_staff_listener_health_answers_as_documented(api_daemon):
    r = requests.get(api_daemon.staff_url + "/healthz", timeout=30)
    assert_documented("GET", "/healthz", r)
    assert r.text == "ok\n"


@pytest.mark.parametrize("path", ["/readyz", "/metrics"])
def test_staff_listener_probes_on_loopback_answer_as_documented(api_daemon, path):
    r = requests.get(api_daemon.staff_url + path, timeout=30)
    assert r.status_code == 200
    assert_documented("GET", path, r)


# --- the pages, as documented -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/report", "/inbox", "/healthz", "/static/sealbox.css", "/report?lang=en"])
def test_pages_answer_as_documented(api_daemon, path):
    r = api_daemon.get(path)
    assert r.status_code == 200
    assert_documented("GET", path.split("?")[0], r)


def test_report_form_posts_answer_as_documented(api_daemon):
    r = api_daemon.post("/report", data={"text": "Mir wurde der Zutritt verweigert.", "grounds": ["age"]})
    assert_documented("POST", "/report", r)
    assert r.status_code == 200
    case, code = e2e.parse_confirmation(r.text)
    r = api_daemon.post("/report", data={"text": " ", "area": "moon"})
    assert_documented("POST", "/report", r)
    assert r.status_code == 422
    r = api_daemon.post("/receipt", data={"code": code, "case": case, "received": "2026-11-24"})
    assert_documented("POST", "/receipt", r)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    r = api_daemon.post("/receipt", data={"code": code, "case": case, "received": "2026-11-24", "view": "page"})
    assert_documented("POST", "/receipt", r)
    assert r.headers["Content-Type"].startswith("text/html")
    r = api_daemon.post("/receipt", data={"code": "nope", "case": case, "received": "2026-11-24"})
    assert_documented("POST", "/receipt", r)
    assert r.status_code == 422


def test_inbox_pages_answer_as_documented(api_daemon):
    created = submit(api_daemon)
    session = requests.Session()
    r = session.post(api_daemon.url("/inbox"), data={"code": created["code"]}, timeout=60)
    assert_documented("POST", "/inbox", r)
    assert r.status_code == 200
    visit = re.search(r'name="visit" value="([^"]+)"', r.text)
    assert visit, "no visit token on the inbox page"
    r = session.post(api_daemon.url("/inbox/messages"), data={"visit": visit.group(1), "text": " "}, timeout=60)
    assert_documented("POST", "/inbox/messages", r)
    assert r.status_code == 422
    r = session.post(api_daemon.url("/inbox/messages"), data={"visit": visit.group(1), "text": "Nachtrag"},
                     timeout=60)
    assert_documented("POST", "/inbox/messages", r)
    assert r.status_code == 200
    r = session.post(api_daemon.url("/inbox/leave"), data={"visit": visit.group(1)}, timeout=60)
    assert_documented("POST", "/inbox/leave", r)
    assert r.status_code == 200
    r = session.post(api_daemon.url("/inbox/messages"), data={"visit": visit.group(1), "text": "zu spät"},
                     timeout=60)
    assert_documented("POST", "/inbox/messages", r)
    assert r.status_code == 403
    r = requests.post(api_daemon.url("/inbox"), data={"code": "4721 0938 5562 1171"}, timeout=60)
    assert_documented("POST", "/inbox", r)
    assert r.status_code == 422
    r = requests.post(api_daemon.url("/inbox"), data=b"{}", headers={"Content-Type": "application/json"}, timeout=60)
    assert_documented("POST", "/inbox", r)
    assert r.status_code == 415
