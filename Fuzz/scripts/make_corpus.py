#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets to Fuzz/Corpus/<Target>/.

Seeds are real inputs: the test vectors of Tests/SealboxCryptoTests/Vectors (codes,
envelopes, blobs, key files, signature headers), a browser-shaped multipart body, API
bodies as the daemon writes them, and shipped catalogue files. Deterministic: running it
again gives the same files. Usage: python3 Fuzz/scripts/make_corpus.py
"""
import base64
import hashlib
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = ROOT / "Tests/SealboxCryptoTests/Vectors"
CORPUS = ROOT / "Fuzz/Corpus"


def b64u(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vectors(name):
    return json.loads((VECTORS / f"{name}.json").read_text())["cases"]


def write(target, seeds):
    folder = CORPUS / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for data in seeds:
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def codes():
    seeds = [c["input"].encode() for c in vectors("code")]
    seeds += ["٤٧٢١-٠٩٣٨-٥٥٦٢-١١٧٠".encode(), "۰۰۰۰ ۰۰۰۰ ۰۰۰۰ ۰۰۰۰".encode(), "4721 ٠٩٣٨ ۵۵۶۲ １１７０".encode()]
    return seeds


def envelopes():
    seeds = [b64u(c["envelope"]) for c in vectors("envelope") if len(c["envelope"]) < 12000]
    return seeds + [b"\x00" + b'{"v":1,"type":"reply","text":"Danke."}']


def attachments():
    seeds = []
    for case in vectors("attachment"):
        if case["attachment_id"] != "0123456789abcdef0123456789abcdef":
            continue
        blob = b64u(case["blob"])
        if len(blob) <= 4096:
            seeds += [b"\x00" + blob, bytes([1 + len(seeds) * 37 % 250]) + blob]
        elif case["name"].startswith(("65537 bytes in 2", "64 KiB as a full")):
            seeds.append(b"\x00" + blob)  # the only seeds with more than one chunk
    return seeds + [b"\xff\x02" + bytes(range(256))]


def key_files():
    return [c["json"].encode() for c in vectors("keyfile")]


def signatures():
    seeds = []
    for case in vectors("signature"):
        body_hash = hashlib.sha256(b64u(case["body"])).hexdigest()
        lines = [case["public_key"], str(case["timestamp"]), case["nonce"], case["signature"], case["method"],
                 case["path_and_query"], body_hash, str(case["timestamp"] + 10)]
        seeds.append("\n".join(lines).encode())
    first = seeds[0].decode().split("\n")
    for timestamp in ["-9223372036854775808", "-9223372036854775000", "999999999999", "9223372036854775807"]:
        seeds.append("\n".join(first[:1] + [timestamp] + first[2:7] + [timestamp]).encode())
    return seeds


def multipart():
    boundary = "----WebKitFormBoundaryq3lQmWGl2nZ4pZxe"
    parts = [
        ('name="text"', None, "Mir wurde die Wohnung verweigert, weil ich ein Kopftuch trage.".encode()),
        ('name="grounds"', None, b"religion"),
        ('name="grounds"', None, b"gender"),
        ('name="area"', None, b"housing"),
        ('name="when"', None, "März".encode()),
        ('name="incident_day"', None, b""),
        ('name="incident_month"', None, "٣".encode()),
        ('name="incident_year"', None, b"2026"),
        ('name="where"', None, b"Leipzig"),
        ('name="contact"', None, b""),
        ('name="attachment"; filename="brief.txt"', "text/plain", "Sehr geehrte Frau …\n".encode()),
        ('name="attachment"; filename=""', "application/octet-stream", b""),
    ]
    body = b""
    for disposition, media, value in parts:
        body += f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n".encode()
        if media:
            body += f"Content-Type: {media}\r\n".encode()
        body += b"\r\n" + value + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    header = f"multipart/form-data; boundary={boundary}\n".encode()
    arabic = ("--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n" "رُفض طلبي للعمل بسبب اسمي." "\r\n--x--\r\n").encode()
    quoted = (b'--a"b\r\nContent-Disposition: form-data; name="attachment"; filename="../..\\\\x\\".pdf"\r\n'
              b"Content-Type: application/pdf; charset=binary\r\n\r\n%PDF-1.4\r\n--a\"b--\r\n")
    return [b"\x00" + header + body, b"\x07" + header + body, b"\x00multipart/form-data; boundary=x\n" + arabic,
            b'\x03multipart/form-data; boundary="a\\"b"\n' + quoted]


def api_json():
    # The index is the position of the type in FuzzAPIJSON's list.
    bodies = [
        (0, {"text": "Bei der Wohnungsbesichtigung …", "grounds": ["ethnic-origin"], "area": "housing",
             "when": "gestern", "where": "Berlin", "contact": None, "incident": "2026-10-14"}),
        (0, {"text": "Im Oktober", "incident": "۲۰۲۶-۱۰"}),
        (0, {"text": "Nachtrag", "code": "4721 0938 5562 1170"}),
        (1, {"code": "٤٧٢١٠٩٣٨٥٥٦٢١١٧٠"}),
        (2, {"case": "7KQM-3XWP", "code": "4721-0938-5562-1170", "received": "2026-11-30"}),
        (4, {"case": "7KQM-3XWP", "status": "in-progress", "received": "2026-11-30", "acknowledged": "2026-12-01",
             "acknowledgement_due": "2026-12-07", "feedback_due": "2027-02-28",
             "messages": [{"author": "reporter", "day": "2026-11-30", "text": "Bei der Besichtigung …",
                           "attachments": [{"name": "brief.txt", "type": "text/plain", "size": 20}]},
                          {"author": "team", "day": "2026-12-01", "text": "Danke.", "attachments": []}]}),
        (5, {"error": {"code": "malformed_body", "message": "Die Anfrage ist fehlerhaft.",
                       "fields": [{"field": "text", "code": "required", "message": "Bitte beschreiben."}]}}),
        (6, {"items": [{"id": "0123456789abcdef0123456789abcdef", "case": "7KQM-3XWP", "kind": "report",
                        "day": "2026-11-30", "envelope": "U0JYMQEBxgVP1ureEbCB44Dx", "attachments":
                        [{"id": "fedcba9876543210fedcba9876543210", "size": 1135}]},
                       {"id": "1123456789abcdef0123456789abcdef", "case": "7KQM-3XWP", "kind": "status",
                        "day": "2026-12-01", "status": "in-progress", "attachments": []}],
             "next": "1123456789abcdef0123456789abcdef"}),
        (13, {"envelope": "U0JYMQEBxgVP1ureEbCB44Dx_lGnZ9BdA6zj0l2jGcujLQ8NnUnoh1A8oOPhT_AgDN_PM8"}),
        (15, {"status": "closed"}),
        (17, {"envelope": "U0JYMQEBxgVP1ureEbCB44Dx_lGnZ9BdA6zj0l2jGcujLQ8NnUnoh1A8oOPhT_AgDN_PM8"}),
        (20, {"until": "2030-01-01"}),
        (27, {"month": "2026-11", "envelope": "U0JYMQcBxgVP1ureEbCB44Dx_lGnZ9BdA6zj0l2jGcujLQ8NnUnoh1A8oOPhT_AgDN_PM8"}),
        (30, {"statistics": [{"id": "0123456789abcdef0123456789abcdef", "month": "2026-11",
                              "envelope": "U0JYMQcBxgVP1ureEbCB44Dx"}], "next": "0123456789abcdef0123456789abcdef"}),
    ]
    return [bytes([index]) + json.dumps(body, ensure_ascii=False).encode() for index, body in bodies]


def catalogues():
    folder = ROOT / "Sources/SealboxL10n/Catalogues"
    seeds = [b"de.json\n" + (folder / "de.json").read_bytes(), b"fa.json\n" + (folder / "fa.json").read_bytes()]
    seeds.append(b"de.json\n" + json.dumps({"form.title": "Meldung"}, ensure_ascii=False).encode())
    seeds.append(b"it.json\n" + json.dumps({"_language": {"name": "Italiano", "rtl": False, "html_lang": "it"},
                                            "_review": "draft"}).encode())
    return seeds


if __name__ == "__main__":
    write("FuzzCode", codes())
    write("FuzzEnvelope", envelopes())
    write("FuzzAttachment", attachments())
    write("FuzzKeyFile", key_files())
    write("FuzzSignatureHeaders", signatures())
    write("FuzzMultipart", multipart())
    write("FuzzAPIJSON", api_json())
    write("FuzzCatalogue", catalogues())
