import SealboxCrypto
import Testing

@Suite("Envelope")
struct EnvelopeTests {
    let team = BoxSecretKey.generate()
    let reporter = BoxSecretKey.generate()

    @Test("a sealed report opens with the team key and keeps kind and plaintext")
    func sealedReportOpens() throws {
        let plaintext = Array(#"{"v":1,"type":"report"}"#.utf8)
        let envelope = try Envelope.seal(plaintext, kind: .report, to: [team.publicKey])
        let opened = try Envelope.open(envelope, with: team)
        #expect(opened.kind == .report)
        #expect(opened.plaintext == plaintext)
    }

    @Test("every recipient can open, and recipients lists their key ids in order")
    func everyRecipientOpens() throws {
        let envelope = try Envelope.seal(Array("hi".utf8), kind: .reply, to: [team.publicKey, reporter.publicKey])
        #expect(try Envelope.open(envelope, with: team).plaintext == Array("hi".utf8))
        #expect(try Envelope.open(envelope, with: reporter).plaintext == Array("hi".utf8))
        let listed = try Envelope.recipients(of: envelope)
        #expect(listed.kind == .reply)
        #expect(listed.keyIDs == [team.publicKey.keyID, reporter.publicKey.keyID])
    }

    @Test("envelope size reveals only the padding bucket", arguments: [0, 1, 1023, 1024, 2047, 2048, 3000])
    func sizeIsBucketed(_ length: Int) throws {
        let envelope = try Envelope.seal(Random.bytes(length), kind: .followUp, to: [team.publicKey])
        #expect(envelope.count == 4 + 1 + 1 + 88 + 24 + Padding.bucketSize(for: length) + 16)
    }

    @Test("a key that is not a recipient gets notSealedToThisKey")
    func wrongKey() throws {
        let envelope = try Envelope.seal([1], kind: .report, to: [team.publicKey])
        #expect(throws: CryptoError.notSealedToThisKey) { try Envelope.open(envelope, with: reporter) }
    }

    @Test("zero, nine or duplicate recipients are refused")
    func recipientCountLimits() {
        #expect(throws: CryptoError.self) { try Envelope.seal([1], kind: .report, to: []) }
        let nine = (0..<9).map { _ in BoxSecretKey.generate().publicKey }
        #expect(throws: CryptoError.self) { try Envelope.seal([1], kind: .report, to: nine) }
        #expect(throws: CryptoError.self) { try Envelope.seal([1], kind: .report, to: [team.publicKey, team.publicKey]) }
        #expect(throws: Never.self) { try Envelope.seal([1], kind: .report, to: Array(nine.prefix(8))) }
    }

    /// Flips one bit at every offset of a two-recipient envelope and checks the
    /// error each region must give (layout in PROTOCOL §3).
    @Test("a flipped bit anywhere in the envelope is detected with the region's error")
    func tamperingEveryRegion() throws {
        let envelope = try Envelope.seal(Random.bytes(40), kind: .report, to: [reporter.publicKey, team.publicKey])
        let secondKeyID = 6 + 88  // our entry is the second one
        for offset in 0..<envelope.count {
            var tampered = envelope
            tampered[offset] ^= 0x01
            let expected: String
            switch offset {
            case 0..<4: expected = "malformed"  // "SBX1" -> "RBX1", "SCX1", "SBY1", "SBX0"
            case 4: expected = "malformed"  // kind 1 -> 0
            case 5: expected = "authenticationFailed"  // count 2 -> 3 still parses, the ad changes
            case secondKeyID..<(secondKeyID + 8): expected = "notSealedToThisKey"
            default: expected = "authenticationFailed"
            }
            do {
                _ = try Envelope.open(tampered, with: team)
                Issue.record("offset \(offset): tampering not detected")
            } catch {
                let name = errorName(error)
                let ok = name == expected || (offset == 3 && name == "unsupportedVersion")
                #expect(ok, "offset \(offset): \(name), expected \(expected)")
            }
        }
    }

    @Test("a valid kind swapped for another fails authentication")
    func kindSwapFailsAuthentication() throws {
        var envelope = try Envelope.seal([1, 2, 3], kind: .report, to: [team.publicKey])
        envelope[4] = EnvelopeKind.reply.rawValue
        #expect(throws: CryptoError.authenticationFailed) { try Envelope.open(envelope, with: team) }
    }

    @Test("truncation at every length is refused")
    func truncation() throws {
        let envelope = try Envelope.seal([7], kind: .report, to: [team.publicKey])
        for length in stride(from: 0, to: envelope.count, by: 7) {
            #expect(throws: CryptoError.self) { try Envelope.open(Array(envelope.prefix(length)), with: team) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try Envelope.open(Array(envelope.dropLast()), with: team) }
        #expect(throws: CryptoError.authenticationFailed) { try Envelope.open(envelope + [0], with: team) }
    }

    @Test("another magic version is unsupported")
    func otherVersion() throws {
        var envelope = try Envelope.seal([7], kind: .report, to: [team.publicKey])
        envelope[3] = UInt8(ascii: "2")
        #expect(throws: CryptoError.unsupportedVersion) { try Envelope.open(envelope, with: team) }
        #expect(throws: CryptoError.unsupportedVersion) { try Envelope.recipients(of: envelope) }
    }

    @Test("kind names are report, follow-up, reply, the team's note, coding and case-data, and statistic")
    func kindNames() {
        #expect(EnvelopeKind.allCases.map(\.name) == ["report", "follow-up", "reply", "note", "coding", "case-data", "statistic"])
        #expect(EnvelopeKind.allCases.map(\.rawValue) == [1, 2, 3, 4, 5, 6, 7])
        // A statistic record is sealed like case work but is never an item of a case.
        #expect(EnvelopeKind.allCases.filter(\.isCaseWork) == [.note, .coding, .caseData])
        #expect(EnvelopeKind(name: "statistic") == .statistic)
        #expect(EnvelopeKind(name: "follow-up") == .followUp)
        #expect(EnvelopeKind(name: "Reply") == nil)
    }
}

@Suite("Padding")
struct PaddingTests {
    @Test("bucket sizes follow max(2048, next power of two above L)")
    func bucketSizes() {
        #expect(Padding.bucketSize(for: 0) == 2048)
        #expect(Padding.bucketSize(for: 1023) == 2048)
        #expect(Padding.bucketSize(for: 1024) == 2048)
        #expect(Padding.bucketSize(for: 2047) == 2048)
        #expect(Padding.bucketSize(for: 2048) == 4096)
        #expect(Padding.bucketSize(for: 1_000_000) == 1_048_576)
    }

    @Test("pad then unpad returns the plaintext, including trailing zeros and 0x80")
    func roundTrip() throws {
        for p: [UInt8] in [[], [0], [0x80], [1, 0, 0], Array(repeating: 0x80, count: 1023)] {
            #expect(try Padding.unpad(Padding.pad(p)) == p)
        }
    }

    @Test("unpadding without a marker fails authentication")
    func badPadding() {
        #expect(throws: CryptoError.authenticationFailed) { try Padding.unpad([]) }
        #expect(throws: CryptoError.authenticationFailed) { try Padding.unpad([0, 0, 0]) }
        #expect(throws: CryptoError.authenticationFailed) { try Padding.unpad([1, 0x81, 0]) }
    }
}
