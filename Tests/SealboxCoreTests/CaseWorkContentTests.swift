import Foundation
import SealboxCore
import SealboxCrypto
import Testing

/// The plaintexts of notes, codings and case data (PROTOCOL §3.4) and how they are judged.
@Suite struct CaseWorkContentTests {
    let reference = try! CaseReference(parsing: "7KQM-3XWP")
    let day = Day("2026-11-30")!
    let staff = SigningSecretKey.generate()

    func roundTrip(_ content: ReportContent) throws -> (ReportContent, [String: Any]) {
        let bytes = try content.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        return (try ReportContent.decode(bytes), object)
    }

    func judged(_ content: ReportContent, staffKeys: Set<SigningPublicKey>? = nil) -> Authorship {
        var judge = AuthorshipJudge(staffKeys: staffKeys ?? [staff.publicKey])
        return judge.judge(content)
    }

    @Test func aNoteCarriesItsTextAndNothingOfAReport() throws {
        var note = ReportContent.note(case: reference, day: day, text: "Rückruf vereinbart")
        try note.sign(with: staff)
        let (decoded, object) = try roundTrip(note)
        #expect(Set(object.keys) == ["v", "type", "case", "day", "text", "nonce", "signer", "signature"])
        #expect(object["type"] as? String == "note" && object["v"] as? Int == 2)
        #expect(decoded == note)
        #expect(judged(decoded) == .authentic(signer: staff.publicKey.keyID))
    }

    @Test func aCodingWritesEveryMemberWithNullForWhatIsNotGiven() throws {
        var coding = ReportContent.coding(case: reference, day: day, scheme: "advd-dezim-ads-2026",
                                          grounds: ["racism", "religion"], area: "housing", form: nil, level: "institutional",
                                          interventions: ["counselling"], outcome: nil)
        try coding.sign(with: staff)
        let (decoded, object) = try roundTrip(coding)
        #expect(Set(object.keys) == ["v", "type", "case", "day", "scheme", "grounds", "area", "form", "level",
                                     "interventions", "outcome", "nonce", "signer", "signature"])
        #expect(object["form"] is NSNull && object["outcome"] is NSNull)
        #expect(decoded.grounds == ["racism", "religion"] && decoded.level == "institutional" && decoded.form == nil)
        #expect(judged(decoded) == .authentic(signer: staff.publicKey.keyID))
    }

    @Test func caseDataWritesBothMembersEvenWhenNull() throws {
        var data = ReportContent.caseData(case: reference, day: day, assigned: nil, followUp: nil)
        try data.sign(with: staff)
        let (decoded, object) = try roundTrip(data)
        #expect(object["assigned"] is NSNull && object["follow_up"] is NSNull)
        #expect(decoded.assigned == nil && decoded.followUp == nil)
        var assigned = ReportContent.caseData(case: reference, day: day, assigned: staff.publicKey.keyID, followUp: Day("2026-12-14"))
        try assigned.sign(with: staff)
        let (back, fields) = try roundTrip(assigned)
        #expect(fields["assigned"] as? String == staff.publicKey.keyID.hex && fields["follow_up"] as? String == "2026-12-14")
        #expect(back.assigned == staff.publicKey.keyID && back.followUp == Day("2026-12-14"))
    }

    @Test func caseDataWithoutItsMembersIsMalformed() throws {
        let bytes = Array(#"{"v":2,"type":"case-data","case":"7KQM-3XWP","day":"2026-11-30"}"#.utf8)
        #expect(throws: CryptoError.self) { try ReportContent.decode(bytes) }
        let badMember = Array(#"{"v":2,"type":"case-data","case":"7KQM-3XWP","day":"2026-11-30","assigned":"Anna","follow_up":null}"#.utf8)
        #expect(throws: CryptoError.self) { try ReportContent.decode(badMember) }
    }

    @Test func aCodingWithoutSchemeIsMalformed() {
        let bytes = Array(#"{"v":2,"type":"coding","case":"7KQM-3XWP","day":"2026-11-30","grounds":[]}"#.utf8)
        #expect(throws: CryptoError.self) { try ReportContent.decode(bytes) }
    }

    @Test func changingACodedValueAfterSigningBreaksTheSignature() throws {
        var coding = ReportContent.coding(case: reference, day: day, scheme: "s", grounds: ["age"], area: nil, form: nil,
                                          level: nil, interventions: [], outcome: nil)
        try coding.sign(with: staff)
        var moved = coding
        moved.grounds = []
        moved.area = "age"
        #expect(judged(moved) == .forged(.badSignature))
        var other = coding
        other.interventions = ["none"]
        #expect(judged(other) == .forged(.badSignature))
    }

    @Test func reassigningSignedCaseDataBreaksTheSignature() throws {
        var data = ReportContent.caseData(case: reference, day: day, assigned: staff.publicKey.keyID, followUp: nil)
        try data.sign(with: staff)
        data.assigned = SigningSecretKey.generate().publicKey.keyID
        #expect(judged(data) == .forged(.badSignature))
    }

    @Test func caseWorkIsAlwaysSignedEvenInACaseReportedBeforeVersionTwo() throws {
        var report = ReportContent(type: .report, caseReference: reference, day: day, reporterKey: nil, text: "alt")
        report.v = 1
        var judge = AuthorshipJudge(staffKeys: [staff.publicKey])
        #expect(judge.judge(report) == .anchor)
        #expect(judge.judge(.note(case: reference, day: day, text: "unsigniert")) == .forged(.unsigned))
    }

    @Test func aNoteByAnUnknownStaffKeyIsForged() throws {
        let stranger = SigningSecretKey.generate()
        var note = ReportContent.note(case: reference, day: day, text: "fremd")
        try note.sign(with: stranger)
        #expect(judged(note) == .forged(.unknownSigner(stranger.publicKey.keyID)))
    }

    @Test func aNoteSignatureDoesNotVerifyAsAReplyWithTheSameText() throws {
        var note = ReportContent.note(case: reference, day: day, text: "gleich")
        try note.sign(with: staff)
        var asReply = note
        asReply.type = .reply
        #expect(judged(asReply) == .forged(.badSignature))
    }
}
