// The unlock agent's frame codec and request handling (docs/WORKSTATION.md "The agent
// protocol"): length limits checked on the prefix alone, truncated and trailing bytes
// refused, every operation's answers and refusals, no secret in any answer, lock wiping
// the keys, and random bodies answered without a trap.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

@Suite struct AgentFrameTests {
    @Test func aFrame_roundTripsItsBody() throws {
        let body = Array(#"{"op":"status"}"#.utf8)
        let frame = AgentFrame.encode(body)
        #expect(frame.prefix(4) == [0, 0, 0, UInt8(body.count)])
        #expect(try AgentFrame.decode(frame, limit: AgentFrame.maximumRequestLength) == body)
    }

    @Test func aLengthAboveTheLimit_isRefusedFromThePrefixAlone() {
        #expect(throws: AgentFrameError.tooLong(0xFFFF_FFFF)) {
            try AgentFrame.length(ofPrefix: [0xFF, 0xFF, 0xFF, 0xFF], limit: AgentFrame.maximumRequestLength)
        }
        let justOver = AgentFrame.maximumRequestLength + 1
        #expect(throws: AgentFrameError.tooLong(justOver)) {
            try AgentFrame.length(ofPrefix: [0, 0x10, 0, 1], limit: AgentFrame.maximumRequestLength)
        }
        #expect((try? AgentFrame.length(ofPrefix: [0, 0x10, 0, 0], limit: AgentFrame.maximumRequestLength)) == 1 << 20)
    }

    @Test func aShortPrefixOrBody_isTruncated() {
        #expect(throws: AgentFrameError.truncated) { try AgentFrame.decode([0, 0], limit: 100) }
        #expect(throws: AgentFrameError.truncated) { try AgentFrame.decode([0, 0, 0, 5, 1, 2], limit: 100) }
        #expect(throws: AgentFrameError.truncated) { try AgentFrame.length(ofPrefix: [0, 0, 1], limit: 100) }
    }

    @Test func bytesAfterTheFrame_areRefused() {
        #expect(throws: AgentFrameError.trailingBytes) { try AgentFrame.decode([0, 0, 0, 1, 7, 8], limit: 100) }
    }
}

/// A handler with one team key and one staff key, and an envelope sealed to the team key.
struct AgentFixture {
    let team = BoxSecretKey.generate()
    let staff = SigningSecretKey.generate()
    let handler: AgentHandler

    init(idle: Double = 60, now: Double = 0) {
        handler = AgentHandler(keys: UnlockedKeys(boxKeys: [team], signingKey: staff),
                               identity: AgentIdentity(source: "team-key", files: ["/k/team.key", "/k/staff.key"], idleSeconds: idle),
                               now: now)
    }

    func body(_ request: AgentRequest) -> [UInt8] { Array(try! JSONEncoder().encode(request)) }

    func ask(_ request: AgentRequest, now: Double = 1) -> AgentAnswer { handler.handle(body(request), now: now) }
}

@Suite struct AgentHandlerTests {
    @Test func open_returnsTheKindAndPlaintextOfAnEnvelopeSealedToAHeldKey() throws {
        let f = AgentFixture()
        let envelope = try Envelope.seal(Array("Bericht".utf8), kind: .note, to: [f.team.publicKey])
        let answer = f.ask(AgentRequest(op: .open, envelope: envelope))
        #expect(answer.ok && answer.kind == "note")
        #expect(answer.plaintext.flatMap(Base64URL.decode) == Array("Bericht".utf8))
    }

    @Test func open_refusesAnEnvelopeOfAnotherKey_andKeysTheRequestExcludes() throws {
        let f = AgentFixture()
        let foreign = try Envelope.seal([1, 2, 3], kind: .note, to: [BoxSecretKey.generate().publicKey])
        #expect(f.ask(AgentRequest(op: .open, envelope: foreign)).error?.code == "not_sealed_to_held_key")
        let own = try Envelope.seal([1, 2, 3], kind: .note, to: [f.team.publicKey])
        let other = BoxSecretKey.generate().publicKey.keyID
        #expect(f.ask(AgentRequest(op: .open, envelope: own, keys: [other])).error?.code == "not_sealed_to_held_key")
        #expect(f.ask(AgentRequest(op: .open, envelope: own, keys: [f.team.publicKey.keyID])).ok)
    }

    @Test func open_saysAnAlteredEnvelopeFailedAuthentication() throws {
        let f = AgentFixture()
        var envelope = try Envelope.seal(Array("x".utf8), kind: .note, to: [f.team.publicKey])
        envelope[envelope.count - 1] ^= 1
        #expect(f.ask(AgentRequest(op: .open, envelope: envelope)).error?.code == "open_failed")
    }

    @Test func fileKey_opensTheBlobsKey_fromItsFirstBytes_andOnlyForAHeldKey() throws {
        let f = AgentFixture()
        let id = String(repeating: "ab", count: 16)
        let file = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let blob = try AttachmentEncryptor.encrypt(file, attachmentID: id,
                                                   recipients: [BoxSecretKey.generate().publicKey, f.team.publicKey])
        let answer = f.ask(AgentRequest(op: .fileKey, header: Array(blob.prefix(AttachmentDecryptor.maximumHeaderLength))))
        #expect(answer.ok)
        let key = try #require(answer.fileKey.flatMap(Base64URL.decode))
        #expect(key.count == 32)
        #expect(try AttachmentDecryptor.decrypt(blob: blob, attachmentID: id, fileKey: SecureBytes(copying: key)) == file)
        // The file key opens its blob and no other; a cut or altered blob still fails authentication.
        let other = try AttachmentEncryptor.encrypt(file, attachmentID: id, recipients: [f.team.publicKey])
        #expect(throws: CryptoError.authenticationFailed) {
            try AttachmentDecryptor.decrypt(blob: other, attachmentID: id, fileKey: SecureBytes(copying: key))
        }
        var altered = blob
        altered[altered.count - 20] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try AttachmentDecryptor.decrypt(blob: altered, attachmentID: id, fileKey: SecureBytes(copying: key))
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try AttachmentDecryptor.decrypt(blob: Array(blob.dropLast(100)), attachmentID: id, fileKey: SecureBytes(copying: key))
        }
        // The key is the one the in-process keys open.
        let local = try UnlockedKeys(boxKeys: [f.team], signingKey: nil).attachmentFileKey(header: blob)
        #expect(local.withUnsafeBytes { Array($0) } == key)
    }

    @Test func fileKey_refusesAForeignBlob_anAlteredKey_andGarbage() throws {
        let f = AgentFixture()
        let id = String(repeating: "cd", count: 16)
        let foreign = try AttachmentEncryptor.encrypt([1, 2, 3], attachmentID: id, recipients: [BoxSecretKey.generate().publicKey])
        #expect(f.ask(AgentRequest(op: .fileKey, header: foreign)).error?.code == "not_sealed_to_held_key")
        var altered = try AttachmentEncryptor.encrypt([1, 2, 3], attachmentID: id, recipients: [f.team.publicKey])
        altered[4 + 1 + 8 + 10] ^= 1  // inside the sealed file key
        #expect(f.ask(AgentRequest(op: .fileKey, header: altered)).error?.code == "open_failed")
        for header: [UInt8] in [[], [1, 2, 3], Array("SBX1".utf8) + [0], Array(foreign.prefix(50)), [UInt8](repeating: 0, count: 900)] {
            #expect(f.ask(AgentRequest(op: .fileKey, header: header)).error?.code == "bad_request", "\(header.prefix(8))")
        }
        #expect(f.ask(AgentRequest(op: .fileKey)).error?.code == "bad_request")
        let huge = [UInt8](repeating: 7, count: 4 * AttachmentDecryptor.maximumHeaderLength)
        #expect(f.ask(AgentRequest(op: .fileKey, header: huge)).error?.code == "bad_request")
    }

    @Test func sign_signsAStaffRequest_andTheSignatureVerifies() {
        let f = AgentFixture()
        let message = RequestSignature.message(method: "GET", pathAndQuery: "/api/v1/staff/items", timestamp: 1,
                                               nonce: RequestSignature.makeNonce(), bodySHA256Hex: RequestSignature.emptyBodySHA256Hex,
                                               keyText: f.staff.publicKey.text)
        let answer = f.ask(AgentRequest(op: .sign, message: message))
        #expect(answer.signer == f.staff.publicKey.text)
        #expect(f.staff.publicKey.isValidSignature(answer.signature.flatMap(Base64URL.decode) ?? [], for: message))
    }

    @Test func sign_signsAnItemSignature_throughTheSigner() throws {
        let f = AgentFixture()
        struct Signer: MessageSigner, @unchecked Sendable {
            let fixture: AgentFixture
            var publicKey: SigningPublicKey { fixture.staff.publicKey }
            func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8] {
                guard let text = fixture.ask(AgentRequest(op: .sign, message: message)).signature,
                      let bytes = Base64URL.decode(text) else { throw .internalFailure }
                return bytes
            }
        }
        var content = ReportContent(type: .note, caseReference: try CaseReference(parsing: "7KQM-3XWP"), day: Day("2026-11-30"),
                                    reporterKey: nil, text: "Notiz")
        try content.sign(with: Signer(fixture: f))
        #expect(try content.verifiedSigner().signer == f.staff.publicKey)
    }

    @Test func sign_refusesAMessageOutsideTheTwoDomains() {
        let f = AgentFixture()
        for message in [Array("hello".utf8), Array("sealbox-staff-request/v2\nGET".utf8), [UInt8](repeating: 0, count: 64)] {
            #expect(f.ask(AgentRequest(op: .sign, message: message)).error?.code == "refused_message")
        }
    }

    @Test func status_namesThePublicFacts_andNoAnswerHoldsASecret() throws {
        let f = AgentFixture()
        let status = f.ask(AgentRequest(op: .status), now: 10)
        #expect(status.keys == [f.team.publicKey.keyID.hex] && status.signer == f.staff.publicKey.text)
        #expect(status.source == "team-key" && status.files == ["/k/team.key", "/k/staff.key"])
        #expect(status.remainingSeconds == 50)
        let secrets = [f.team.secret, f.staff.seed].map { $0.withUnsafeBytes { Array($0) } }
        let envelope = try Envelope.seal([9], kind: .note, to: [f.team.publicKey])
        for answer in [status, f.ask(AgentRequest(op: .open, envelope: envelope)),
                       f.ask(AgentRequest(op: .sign, message: Array("sealbox-staff-request/v1\nX".utf8)))] {
            let text = String(decoding: answer.encoded(), as: UTF8.self)
            for secret in secrets {
                #expect(!text.contains(Base64URL.encode(secret)) && !text.contains(Hex.encode(secret)))
                #expect(!text.contains(Base64URL.encode(Array(secret.prefix(16)))))
            }
        }
    }

    @Test func status_doesNotCountAsUse_butOpenDoes() throws {
        let f = AgentFixture(idle: 60)
        _ = f.ask(AgentRequest(op: .status), now: 30)
        #expect(f.handler.remaining(now: 30) == 30)
        _ = f.ask(AgentRequest(op: .open, envelope: [1]), now: 40)
        #expect(f.handler.remaining(now: 40) == 60)
    }

    @Test func lock_wipesTheKeys_andRefusesEverythingAfter() {
        let f = AgentFixture()
        #expect(f.ask(AgentRequest(op: .lock)).ok)
        #expect(f.handler.locked)
        #expect(f.team.secret.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
        #expect(f.staff.seed.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
        #expect(f.ask(AgentRequest(op: .status)).error?.code == "locked")
    }

    @Test func garbageAndMalformedRequests_getAnErrorAnswer() {
        let f = AgentFixture()
        let bodies: [String] = ["", "null", "[]", "{}", #"{"op":5}"#, #"{"op":"fly"}"#, #"{"op":"open"}"#,
                                #"{"op":"open","envelope":"!!"}"#, #"{"op":"open","envelope":"AAAA","keys":["xyz"]}"#,
                                #"{"op":"sign"}"#, #"{"op":"sign","message":"%%%"}"#, "\u{0}\u{1}"]
        for body in bodies {
            let answer = f.handler.handle(Array(body.utf8), now: 1)
            #expect(!answer.ok && answer.error != nil, "\(body)")
        }
    }

    @Test func randomBodies_neverTrap_andAlwaysAnswer() throws {
        let f = AgentFixture()
        var generator = SystemRandomNumberGenerator()
        let envelope = try Envelope.seal(Array("x".utf8), kind: .note, to: [f.team.publicKey])
        let seeds: [[UInt8]] = [f.body(AgentRequest(op: .open, envelope: envelope)),
                                f.body(AgentRequest(op: .sign, message: Array("sealbox-staff-request/v1\nA".utf8))),
                                f.body(AgentRequest(op: .status))]
        for round in 0..<3000 {
            var body: [UInt8]
            if round % 2 == 0 {
                body = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            } else {
                body = seeds[round % seeds.count]
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !body.isEmpty {
                    body[Int.random(in: 0..<body.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            }
            let answer = f.handler.handle(body, now: 1)
            #expect(answer.ok || answer.error != nil)
        }
    }
}

@Suite struct AgentHandoffTests {
    @Test func theHandoff_carriesTheKeysAndIdentity() throws {
        let team = BoxSecretKey.generate(), epoch = BoxSecretKey.generate(), staff = SigningSecretKey.generate()
        let identity = AgentIdentity(source: "grants", files: ["/home/a/anna.key"], idleSeconds: 90)
        let bytes = AgentHandoff.encode(UnlockedKeys(boxKeys: [team, epoch], signingKey: staff), identity: identity)
        let decoded = try #require(AgentHandoff.decode(bytes))
        #expect(decoded.identity == identity)
        #expect(decoded.keys.boxKeys.map(\.publicKey) == [team.publicKey, epoch.publicKey])
        #expect(decoded.keys.signingKey?.publicKey == staff.publicKey)
    }

    @Test func aCutOrLengthenedHandoff_isRefused() {
        let bytes = AgentHandoff.encode(UnlockedKeys(boxKeys: [BoxSecretKey.generate()], signingKey: nil),
                                        identity: AgentIdentity(source: "team-key", files: [], idleSeconds: 60))
        let raw = bytes.withUnsafeBytes { Array($0) }
        #expect(AgentHandoff.decode(SecureBytes(copying: raw.dropLast())) == nil)
        #expect(AgentHandoff.decode(SecureBytes(copying: raw + [0])) == nil)
        #expect(AgentHandoff.decode(SecureBytes(copying: [2] + raw.dropFirst())) == nil)
    }
}
