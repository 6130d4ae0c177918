// The reply: its editor template, how the message is cleaned, and how it is sealed
// (PROTOCOL §9.1): to [reporter key, team key], openable by both.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation
import Testing
@testable import SealboxCLI

@Suite struct ReplyTemplateTests {
    let reference = try! CaseReference(parsing: "7KQM-3XWP")

    @Test func theTemplate_namesTheCaseRemindsWhoReadsItAndIsAllComments() {
        let template = ReplyTemplate.text(for: reference)
        #expect(template.contains("case 7KQM-3XWP"))
        #expect(template.contains("The reporter reads this text"))
        #expect(template.contains("only") && template.contains("removes it"))
        #expect(ReplyTemplate.clean(template, stripComments: true).isEmpty)
    }

    @Test func theTemplate_namesTheReportersLanguage_asAComment() throws {
        let language = ReporterLanguage.name(try LanguageTag(parsing: "tr"))
        #expect(language == "Türkçe (tr)")
        let template = ReplyTemplate.text(for: reference, language: language)
        #expect(template.contains("# The reporter wrote in Türkçe (tr): consider answering in that language.\n"))
        #expect(ReplyTemplate.clean(template, stripComments: true).isEmpty)
        #expect(!ReplyTemplate.text(for: reference).contains("wrote in"))
        #expect(ReporterLanguage.name(try LanguageTag(parsing: "de-simple")) == "Leichte Sprache (de-simple)")
        #expect(ReporterLanguage.name(try LanguageTag(parsing: "it")) == "it")  // a language no catalogue here knows
    }

    @Test func theReportersLanguage_isThatOfTheirNewestMessageThatNamesOne() throws {
        let reference = self.reference
        func content(_ type: EnvelopeKind, _ tag: String?) throws -> ReportContent {
            var c = ReportContent(type: type, caseReference: reference, day: Day("2026-11-30")!, reporterKey: nil, text: "x")
            c.lang = try tag.map { try LanguageTag(parsing: $0) }
            return c
        }
        #expect(ReporterLanguage.latest([try content(.report, "tr"), try content(.followUp, "ar"),
                                         try content(.reply, "de"), try content(.followUp, nil)])?.text == "ar")
        #expect(ReporterLanguage.latest([try content(.report, nil)]) == nil)
    }

    @Test func cleaning_removesCommentLinesTrailingSpacesAndOuterBlankLines() {
        let saved = "\n\nThank you for writing to us.  \n#not for the reporter\n\nWe will call.\r\n\n"
            + ReplyTemplate.text(for: reference)
        #expect(ReplyTemplate.clean(saved, stripComments: true) == "Thank you for writing to us.\n\nWe will call.")
    }

    @Test func aFileOrStandardInput_keepsLinesStartingWithHash() {
        #expect(ReplyTemplate.clean("\n# Heading\ntext  \n\n", stripComments: false) == "# Heading\ntext  ")
    }

    @Test func anEmptyOrBlankMessage_isEmpty() {
        #expect(ReplyTemplate.clean("", stripComments: false).isEmpty)
        #expect(ReplyTemplate.clean(" \n\t\n", stripComments: false).isEmpty)
        #expect(ReplyTemplate.clean("# only a comment\n", stripComments: true).isEmpty)
    }

    @Test func anEmptyFile_abortsWithAClearMessage() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("empty.txt", "\n  \n")
        #expect(throws: CLIError.self) { try MessageInput.read(.file(file), reference: reference) }
        do {
            _ = try MessageInput.read(.file(file), reference: reference)
        } catch {
            #expect(error.message == "the reply is empty; nothing was sent")
            #expect(error.status == .failure)
        }
    }

    @Test func aFile_isReadAsUTF8AndInvalidBytesAreRefused() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("reply.txt", "Grüße,\nthe team\n")
        #expect(try MessageInput.read(.file(file), reference: reference) == "Grüße,\nthe team")
        let bad = folder.path("bad.txt")
        try Data([0x66, 0xFF, 0x0A]).write(to: bad)
        #expect(throws: CLIError.self) { try MessageInput.read(.file(bad), reference: reference) }
    }

    @Test func theEditor_isVisualThenEditorThenAFallback() {
        #expect(MessageInput.editorCommand(environment: ["VISUAL": "code -w", "EDITOR": "nano"]) == "code -w")
        #expect(MessageInput.editorCommand(environment: ["VISUAL": " ", "EDITOR": "nano"]) == "nano")
        #expect(MessageInput.editorCommand(environment: ["PATH": "/nonexistent"]) == "vi")
    }

    @Test func aPrivateFolder_isMode0700AndWipedAndRemoved() throws {
        let folder = try PrivateFolder()
        var info = stat()
        #expect(lstat(folder.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o700)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: folder.path + "/reply.txt"))
        try Data("backup".utf8).write(to: URL(fileURLWithPath: folder.path + "/reply.txt~"))
        folder.wipeAndRemove()
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}

@Suite struct ReplySealerTests {
    let reference = try! CaseReference(parsing: "7KQM-3XWP")
    let reporter = BoxSecretKey.generate()
    let team = BoxSecretKey.generate()
    let staff = SigningSecretKey.generate()

    private func sealed(_ text: String = "We have read your report.") throws -> [UInt8] {
        try ReplySealer.seal(text: text, reference: reference, day: Day("2026-11-25")!,
                             reporterKey: reporter.publicKey, teamKey: team.publicKey, signedBy: staff)
    }

    @Test func aReply_isAReplyEnvelopeSealedToTheReporterThenTheTeam() throws {
        let envelope = try sealed()
        let header = try Envelope.recipients(of: envelope)
        #expect(header.kind == .reply)
        #expect(header.keyIDs == [reporter.publicKey.keyID, team.publicKey.keyID])
    }

    @Test(arguments: [true, false])
    func bothTheReporterAndTheTeam_openTheSamePlaintext(asReporter: Bool) throws {
        let opened = try Envelope.open(try sealed(), with: asReporter ? reporter : team)
        #expect(opened.kind == .reply)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(opened.plaintext)) as? [String: Any])
        #expect(object["v"] as? Int == 2)
        #expect(object["type"] as? String == "reply")
        #expect(object["case"] as? String == "7KQM-3XWP")
        #expect(object["day"] as? String == "2026-11-25")
        #expect(object["text"] as? String == "We have read your report.")
        #expect((object["attachments"] as? [Any])?.isEmpty == true)
        #expect(object["reporter_key"] == nil)
        #expect(Set(object.keys) == ["v", "type", "case", "day", "text", "attachments", "nonce", "signer", "signature"])
    }

    @Test func aReply_isSignedByTheAuthorsStaffKey_andAKnownKeyMakesItAuthentic() throws {
        let content = try ReportContent.decode(try Envelope.open(try sealed(), with: team).plaintext)
        #expect(try content.verifiedSigner().signer == staff.publicKey)
        var judge = AuthorshipJudge(staffKeys: [staff.publicKey])
        #expect(judge.judge(content) == .authentic(signer: staff.publicKey.keyID))
        var stranger = AuthorshipJudge(staffKeys: [])
        #expect(stranger.judge(content) == .forged(.unknownSigner(staff.publicKey.keyID)))
    }

    @Test func anotherKey_cannotOpenAReply() throws {
        #expect(throws: CryptoError.notSealedToThisKey) { try Envelope.open(try sealed(), with: BoxSecretKey.generate()) }
    }

    @Test func theReporterKey_isTakenFromInsideTheSealedReport() throws {
        let content = ReportContent(type: .report, caseReference: reference, day: Day("2026-11-24")!,
                                    reporterKey: reporter.publicKey, text: "report")
        let envelope = try Envelope.seal(try content.encoded(), kind: .report, to: [team.publicKey, reporter.publicKey])
        let item = StoredItem(id: .generate(), caseReference: reference, kind: .report, day: Day("2026-11-24")!,
                              position: 1, envelope: envelope)
        #expect(try ReplyCommand.reporterKey(of: item, reference: reference, key: team) == reporter.publicKey)
    }

    @Test func aReportWithoutAReporterKey_cannotBeAnswered() throws {
        let content = ReportContent(type: .report, caseReference: reference, day: Day("2026-11-24")!,
                                    reporterKey: nil, text: "report")
        let envelope = try Envelope.seal(try content.encoded(), kind: .report, to: [team.publicKey])
        let item = StoredItem(id: .generate(), caseReference: reference, kind: .report, day: Day("2026-11-24")!,
                              position: 1, envelope: envelope)
        #expect(throws: CLIError.self) { try ReplyCommand.reporterKey(of: item, reference: reference, key: team) }
    }

    @Test func aStatus_isParsedForgivingly() throws {
        #expect(CaseStatus(argument: "In-Progress") == .inProgress)
        #expect(CaseStatus(argument: "in_progress") == .inProgress)
        #expect(CaseStatus(argument: "closed") == .closed)
        #expect(CaseStatus(argument: "done") == nil)
        #expect(CaseStatus.allValueStrings == ["received", "acknowledged", "in-progress", "closed"])
    }

    @Test func aCaseReference_isParsedForgivingly() throws {
        #expect(CaseReference(argument: " 7kqm3xwp ") == (try CaseReference(parsing: "7KQM-3XWP")))
        #expect(CaseReference(argument: "7KQM-3XW0") == nil)
    }
}

