// sealbox-interop-export DIR: writes data sealed by SealboxCrypto to DIR/swift_vectors.json,
// so that Tests/interop/test_pynacl_interop.py can check that PyNaCl, following only
// docs/PROTOCOL.md, opens it. A generator, not a test: the pytest fixture runs it.
import Foundation
import SealboxCrypto

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: sealbox-interop-export DIR\n".utf8))
    exit(64)
}
do {
    let team = BoxSecretKey.generate()
    let reporter = BoxSecretKey.generate()
    let passphrase = Array("interop passphrase ✓".utf8)
    let report = Array(#"{"v":1,"type":"report","case":"7KQM-3XWP","text":"Grüße"}"#.utf8)
    let attachmentID = Random.identifier()
    let attachment = Random.bytes(140_000)
    let staff = SigningSecretKey.generate()
    let code = ReporterCode.generate()
    let pepper = Pepper.generate()
    let secrets = try CodeDerivation.derive(code: code, pepper: pepper, cost: .minimum)
    let body = Array(#"{"envelope":"AAAA"}"#.utf8)
    let headers = RequestSignature.sign(with: staff, method: "POST", pathAndQuery: "/api/v1/staff/x?y=1",
                                        body: body, timestamp: 1_795_996_800)

    let document: [String: Any] = [
        "team_secret_key": Hex.encode(team.secret.unsafeCopyBytes),
        "team_public_key": team.publicKey.teamText,
        "team_key_id": team.publicKey.keyID.hex,
        "reporter_secret_key": Hex.encode(reporter.secret.unsafeCopyBytes),
        "envelopes": [
            ["kind": "report", "plaintext": Base64URL.encode(report),
             "envelope": Base64URL.encode(try Envelope.seal(report, kind: .report, to: [team.publicKey]))],
            ["kind": "reply", "plaintext": Base64URL.encode(Array("ok".utf8)),
             "envelope": Base64URL.encode(try Envelope.seal(Array("ok".utf8), kind: .reply,
                                                            to: [team.publicKey, reporter.publicKey]))],
        ],
        "blobs": [
            ["attachment_id": attachmentID, "plaintext_sha256": Hex.encode(Hash.sha256(attachment)),
             "blob": Base64URL.encode(try AttachmentEncryptor.encrypt(attachment, attachmentID: attachmentID,
                                                                     recipients: [team.publicKey]))],
            ["attachment_id": attachmentID, "plaintext_sha256": Hex.encode(Hash.sha256([UInt8]())),
             "blob": Base64URL.encode(try AttachmentEncryptor.encrypt([], attachmentID: attachmentID,
                                                                     recipients: [team.publicKey]))],
        ],
        "key_files": [
            ["type": "team", "passphrase": Base64URL.encode(passphrase),
             "secret": Hex.encode(team.secret.unsafeCopyBytes),
             "json": String(decoding: try KeyFile.write(secret: team.secret, type: .team,
                                                        publicKeyText: team.publicKey.teamText,
                                                        passphrase: SecureBytes(copying: passphrase),
                                                        cost: .minimum), as: UTF8.self)],
            ["type": "staff", "passphrase": Base64URL.encode(passphrase),
             "secret": Hex.encode(staff.seed.unsafeCopyBytes),
             "json": String(decoding: try KeyFile.write(secret: staff.seed, type: .staff,
                                                        publicKeyText: staff.publicKey.text,
                                                        passphrase: SecureBytes(copying: passphrase),
                                                        cost: .minimum), as: UTF8.self)],
        ],
        "code": [
            "grouped": code.grouped, "pepper": Hex.encode(pepper.secret.unsafeCopyBytes),
            "opslimit": Int(KDFCost.minimum.opslimit), "memlimit": KDFCost.minimum.memlimit,
            "lookup_hash": Hex.encode(secrets.lookupHash),
            "reporter_public_key": Hex.encode(secrets.reporterKey.publicKey.bytes),
        ],
        "case_reference": "7KQM-3XWP",
        "request": [
            "method": "POST", "path_and_query": "/api/v1/staff/x?y=1", "body": Base64URL.encode(body),
            "headers": Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) }),
        ],
    ]
    let dir = URL(fileURLWithPath: CommandLine.arguments[1])
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: dir.appendingPathComponent("swift_vectors.json"))
} catch {
    FileHandle.standardError.write(Data("sealbox-interop-export: error: \(error)\n".utf8))
    exit(1)
}
