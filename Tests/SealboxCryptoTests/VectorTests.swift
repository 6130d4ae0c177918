// The one loop over every test vector (STYLE.md lesson 5): each case of
// Vectors/*.json, produced by PyNaCl, must give exactly the expected outcome.

import Foundation
import SealboxCrypto
import Testing

@Suite("Test vectors from PyNaCl")
struct VectorTests {
    @Test("every vector case gives its expected outcome", arguments: VectorCase.all)
    func vectorCase(_ v: VectorCase) throws {
        switch v.file {
        case "envelope": try envelope(v)
        case "attachment": try attachment(v)
        case "keyfile": try keyFile(v)
        case "code": try code(v)
        case "damm": try damm(v)
        case "padding": try padding(v)
        case "signature": try signature(v)
        case "authorship": try authorship(v)
        case "audit": try audit(v)
        case "storage": try storage(v)
        default: Issue.record("no runner for \(v.testDescription)")
        }
    }

    /// PROTOCOL §11: the digest of a signed request, and every hash of an intact chain
    /// (which entry a broken chain breaks at is SealboxCoreTests' AuditChainTests).
    private func audit(_ v: VectorCase) throws {
        if v.fields["request_message"] != nil {
            #expect(AuditChain.requestDigest(try v.b64u("request_message")) == (try v.hex("request")))
            return
        }
        guard v.fields["first_break"]?.number == nil else { return }
        var prev = AuditChain.start
        for field in try #require(v.fields["entries"]?.list) {
            let e = try #require(field.object)
            func text(_ key: String) throws -> String { try #require(e[key]?.string, "\(key) in \(v.testDescription)") }
            let request = try #require(Hex.decode(try text("request")))
            let hash = AuditChain.hash(day: try text("day"), member: try text("member"), action: try text("action"),
                                       case: try text("case"), request: request, prev: prev)
            #expect(Hex.decode(try text("prev")) == prev, "\(v.testDescription)")
            #expect(Hex.encode(hash) == (try text("hash")), "\(v.testDescription)")
            prev = hash
        }
    }

    /// PROTOCOL §10.4: the storage layer; an item with a given nonce wraps to exactly the
    /// vector's bytes; items and blobs unwrap, or fail as the vector says.
    private func storage(_ v: VectorCase) throws {
        let key = try (try v.hex("key")).withUnsafeBytes { raw in try StorageKey(copying: raw) }
        let stored = try v.b64u("stored")
        if try v.string("kind") == "item" {
            let id = try v.string("item_id")
            if v.fields["nonce"] != nil {
                #expect(try StorageWrap.wrapItem(try v.b64u("envelope"), itemID: id, key: key, nonce: try v.hex("nonce")) == stored)
            }
            guard let envelope = expectOutcome(v.expectedError, v.testDescription, {
                try StorageWrap.unwrapItem(stored, itemID: id, key: key)
            }) else { return }
            #expect(envelope == (try v.b64u("envelope")))
            return
        }
        guard let blob = expectOutcome(v.expectedError, v.testDescription, {
            try StorageWrap.unwrapBlob(stored, attachmentID: try v.string("attachment_id"), key: key)
        }) else { return }
        #expect(blob.count == Int(try v.int("plaintext_size")))
        #expect(Hex.encode(Hash.sha256(blob)) == (try v.string("plaintext_sha256")))
    }

    private func envelope(_ v: VectorCase) throws {
        let key = try BoxSecretKey(secretBytes: SecureBytes(copying: try v.hex("secret_key")))
        let envelope = try v.b64u("envelope")
        if let ids = v.fields["recipient_key_ids"]?.list {
            let (_, keyIDs) = try Envelope.recipients(of: envelope)
            #expect(keyIDs.map(\.hex) == ids.compactMap(\.string))
        }
        guard let opened = expectOutcome(v.expectedError, v.testDescription, { try Envelope.open(envelope, with: key) })
        else { return }
        #expect(opened.kind.name == (try v.string("kind")))
        #expect(opened.plaintext == (try v.b64u("plaintext")))
    }

    private func attachment(_ v: VectorCase) throws {
        let key = try BoxSecretKey(secretBytes: SecureBytes(copying: try v.hex("secret_key")))
        let blob = try v.b64u("blob")
        let id = try v.string("attachment_id")
        let whole = expectOutcome(v.expectedError, v.testDescription) {
            try AttachmentDecryptor.decrypt(blob: blob, attachmentID: id, key: key)
        }
        // The same blob fed in uneven pieces must give the same outcome.
        let streamed = expectOutcome(v.expectedError, v.testDescription + " (streamed)") { () throws -> [UInt8] in
            let decryptor = AttachmentDecryptor(attachmentID: id, key: key)
            var out: [UInt8] = []
            var offset = 0
            var step = 1
            while offset < blob.count {
                let end = min(blob.count, offset + step)
                out += try decryptor.update(Array(blob[offset..<end]))
                offset = end
                step = step * 7 + 13
            }
            out += try decryptor.finish()
            return out
        }
        guard let whole, let streamed else { return }
        #expect(whole == streamed)
        #expect(whole.count == Int(try v.int("plaintext_size")))
        #expect(Hex.encode(Hash.sha256(whole)) == (try v.string("plaintext_sha256")))
        if v.fields["plaintext"] != nil { #expect(whole == (try v.b64u("plaintext"))) }
    }

    private func keyFile(_ v: VectorCase) throws {
        let json = Array(try v.string("json").utf8)
        let passphrase = SecureBytes(copying: try v.b64u("passphrase"))
        let type = try #require(KeyFileType(rawValue: try v.string("expecting")))
        guard let opened = expectOutcome(v.expectedError, v.testDescription, {
            try KeyFile.open(json, passphrase: passphrase, expecting: type)
        }) else { return }
        #expect(opened.secret == SecureBytes(copying: try v.hex("secret")))
        #expect(opened.publicKeyText == (try v.string("public_key")))
        #expect(try KeyFile.publicKeyText(of: json) == (try v.string("public_key")))
    }

    private func code(_ v: VectorCase) throws {
        let pepper = try Pepper(secret: SecureBytes(copying: try v.hex("pepper")))
        let cost = try KDFCost(opslimit: UInt64(try v.int("opslimit")), memlimit: Int(try v.int("memlimit")))
        let input = try v.string("input")
        guard let code = expectOutcome(v.expectedError, v.testDescription, { try ReporterCode(normalising: input) })
        else { return }
        #expect(code.digits == SecureBytes(copying: Array(try v.string("digits").utf8)))
        let secrets = try CodeDerivation.derive(code: code, pepper: pepper, cost: cost)
        #expect(secrets.lookupHash == (try v.hex("lookup_hash")))
        #expect(secrets.reporterKey.publicKey.bytes == (try v.hex("reporter_public_key")))
        #expect(secrets.reporterKey.secret == SecureBytes(copying: try v.hex("reporter_secret_key")))
    }

    private func damm(_ v: VectorCase) throws {
        let digits = Array(try v.string("digits").utf8)
        #expect(Int64(ReporterCode.dammCheckDigit(digits)) == (try v.int("check")))
    }

    private func padding(_ v: VectorCase) throws {
        if v.fields["padded"] != nil {
            let padded = try v.b64u("padded")
            guard let plain = expectOutcome(v.expectedError, v.testDescription, { try Padding.unpad(padded) })
            else { return }
            #expect(plain == (try v.b64u("plaintext")))
            return
        }
        let plaintext = try v.b64u("plaintext")
        let padded = Padding.pad(plaintext)
        #expect(Padding.bucketSize(for: plaintext.count) == Int(try v.int("bucket")))
        #expect(padded.count == Int(try v.int("bucket")))
        #expect(Hex.encode(Hash.sha256(padded)) == (try v.string("padded_sha256")))
        #expect(try Padding.unpad(padded) == plaintext)
    }

    /// §6.1: the reporter signing key of a code; §3.3: the signed message of an item and its validity.
    private func authorship(_ v: VectorCase) throws {
        if v.fields["input"] != nil {
            let pepper = try Pepper(secret: SecureBytes(copying: try v.hex("pepper")))
            let cost = try KDFCost(opslimit: UInt64(try v.int("opslimit")), memlimit: Int(try v.int("memlimit")))
            let code = try ReporterCode(normalising: try v.string("input"))
            let secrets = try CodeDerivation.derive(code: code, pepper: pepper, cost: cost)
            #expect(secrets.reporterSigningKey.publicKey.bytes == (try v.hex("reporter_signing_public_key")))
            return
        }
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(try v.string("plaintext").utf8)) as? [String: Any])
        func text(_ key: String) throws -> String { try #require(object[key] as? String, "\(key) in \(v.testDescription)") }
        func bytes(_ key: String) throws -> [UInt8] { try #require(Base64URL.decode(try text(key))) }
        let attachments = try (object["attachments"] as? [[String: Any]] ?? []).map { a in
            ItemSignature.Attachment(id: try #require(a["id"] as? String), name: try #require(a["name"] as? String),
                                     type: try #require(a["type"] as? String), size: try #require(a["size"] as? Int))
        }
        let fields = ItemSignature.Fields(
            type: try text("type"), caseReference: try text("case"), day: try text("day"), nonce: try bytes("nonce"),
            signer: try SigningPublicKey(bytes: try bytes("signer")), text: try text("text"), attachments: attachments)
        #expect(ItemSignature.message(fields) == (try v.b64u("message")))
        let valid = try #require(v.fields["valid"]?.bool as Bool?)
        let verified = (try? ItemSignature.verify(try bytes("signature"), on: fields)) != nil
        #expect(verified == valid)
    }

    private func signature(_ v: VectorCase) throws {
        let key = try SigningSecretKey(seed: SecureBytes(copying: try v.hex("seed")))
        let body = try v.b64u("body")
        let method = try v.string("method")
        let path = try v.string("path_and_query")
        let timestamp = try v.int("timestamp")
        let nonce = try v.string("nonce")
        let keyText = try v.string("public_key")
        #expect(key.publicKey.text == keyText)
        let message = RequestSignature.message(method: method, pathAndQuery: path, timestamp: timestamp, nonce: nonce,
                                               bodySHA256Hex: Hex.encode(Hash.sha256(body)), keyText: keyText)
        #expect(message == (try v.b64u("message")))
        let valid = try #require(v.fields["valid"]?.bool as Bool?)
        let isValid = RequestSignature.isValid(
            signature: try v.string("signature"), method: method, pathAndQuery: path, timestamp: timestamp,
            nonce: nonce, bodySHA256Hex: Hex.encode(Hash.sha256(body)), keyText: keyText)
        #expect(isValid == valid)
        if valid {
            let headers = RequestSignature.sign(with: key, method: method, pathAndQuery: path, body: body,
                                                timestamp: timestamp, nonce: nonce)
            #expect(headers.first { $0.name == RequestSignature.Header.signature }?.value == (try v.string("signature")))
        }
    }
}
