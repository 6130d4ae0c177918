// Runs the real `sealbox show` and `list` against a local store filled in-process.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation
import Testing

@Suite struct ShowBinaryTests {
    let home: TemporaryFolder
    let team: BoxSecretKey
    let teamFile: URL
    let passphrase: URL
    let store: WorkstationStore

    init() throws {
        home = try TemporaryFolder()
        (team, teamFile) = try Fixtures.teamKey(in: home)
        passphrase = try Fixtures.passphraseFile(in: home)
        store = try WorkstationStore(directory: home.path("data/sealbox").creatingDirectory())
    }

    private func show(_ reference: String, _ extra: [String] = [], passphraseFile: URL? = nil) throws -> RunResult {
        try SealboxBinary.run(["show", reference, "--team-key", teamFile.path,
                               "--passphrase-file", (passphraseFile ?? passphrase).path] + extra, home: home)
    }

    private func json(_ result: RunResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func show_printsTheDecryptedReport() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, text: "They refused the flat.\nTwice.")
        try store.insert(items: [item])
        let result = try show("7KQM-3XWP")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("They refused the flat."))
        #expect(result.stdout.contains("Twice."))
        #expect(result.stdout.contains("last Tuesday"))
        #expect(result.stderr.isEmpty)
    }

    @Test func showJSON_givesTheExactFieldsAndAcceptsALowerCaseReferenceWithoutDash() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, text: "Exact \u{1B} text")
        try store.insert(items: [item])
        let result = try show("7kqm3xwp", ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result)
        #expect(object["case"] as? String == "7KQM-3XWP")
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.first?["text"] as? String == "Exact \u{1B} text")
        #expect(items.first?["status"] as? String == "ok")
        #expect(items.first?["grounds"] as? [String] == ["language"])
        #expect(items.first?["area"] as? String == "work")
    }

    @Test func show_neverPrintsTerminalEscapesFromAReport() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, text: "evil \u{1B}]0;owned\u{07} text")
        try store.insert(items: [item])
        let result = try show("7KQM-3XWP")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}"))
    }

    @Test func aWrongPassphrase_saysSoAndExitsWith3() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey)
        try store.insert(items: [item])
        let wrong = try Fixtures.passphraseFile(in: home, "not the passphrase")
        let result = try show("7KQM-3XWP", passphraseFile: wrong)
        #expect(result.status == 3)
        #expect(result.stderr.contains("sealbox: error: the passphrase does not open \(teamFile.path)"))
        #expect(result.stdout.isEmpty)
    }

    @Test func aCaseSealedToAnotherTeamKey_namesThatKeyAndExitsWith3() throws {
        let other = BoxSecretKey.generate()
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: other.publicKey)
        try store.insert(items: [item])
        let result = try show("7KQM-3XWP")
        #expect(result.status == 3)
        #expect(result.stderr.contains(
            "this case was sealed to a different team key (key id \(other.publicKey.keyID.hex)); use that key file"))
    }

    @Test func aTamperedItem_isNamedWhileTheOtherItemsAreShown() throws {
        let good = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, text: "first report")
        var bad = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, kind: .followUp, text: "second")
        var envelope = bad.envelope
        envelope[envelope.count - 20] ^= 0x01
        bad = StoredItem(id: bad.id, caseReference: bad.caseReference, itemKind: bad.kind, day: bad.day, position: bad.position, envelope: envelope,
                         attachments: [], status: nil)
        try store.insert(items: [good, bad])
        let result = try show("7KQM-3XWP")
        #expect(result.status == 3)
        #expect(result.stdout.contains("first report"))
        #expect(result.stderr.contains(
            "item \(bad.id) of case 7KQM-3XWP failed authentication: it was altered or damaged; do not trust it"))
    }

    @Test func anItemFiledUnderTheWrongCase_isTreatedAsTampered() throws {
        let moved = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, claimedCase: "AAAA-2222")
        try store.insert(items: [moved])
        let result = try show("7KQM-3XWP", ["--json"])
        #expect(result.status == 3)
        let items = try #require(try json(result)["items"] as? [[String: Any]])
        #expect(items.first?["status"] as? String == "tampered")
        #expect(items.first?["text"] == nil)
    }

    @Test func anItemWhoseTypeDisagreesWithItsKind_isTreatedAsTampered() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, kind: .report, claimedType: .reply)
        try store.insert(items: [item])
        let result = try show("7KQM-3XWP")
        #expect(result.status == 3)
        #expect(result.stderr.contains("failed authentication"))
    }

    @Test func attachments_areDecryptedIntoTheNamedFolderUnderSafeNames() throws {
        let content: [UInt8] = Array("the letter".utf8)
        let first = AttachmentManifest(id: .generate(), name: "../letter.txt", type: "text/plain", size: content.count)
        let second = AttachmentManifest(id: .generate(), name: "letter.txt", type: "text/plain", size: 3)
        let blob1 = try AttachmentEncryptor.encrypt(content, attachmentID: first.id.text, recipients: [team.publicKey])
        let blob2 = try AttachmentEncryptor.encrypt([1, 2, 3], attachmentID: second.id.text, recipients: [team.publicKey])
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey,
                                     attachments: [(first, blob1.count), (second, blob2.count)])
        try store.insert(items: [item])
        try store.storeBlob(id: first.id, data: blob1)
        try store.storeBlob(id: second.id, data: blob2)

        let result = try show("7KQM-3XWP", ["--attachments", home.path("out").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Data(contentsOf: home.path("out/letter.txt")) == Data(content))
        #expect(try Data(contentsOf: home.path("out/letter (2).txt")) == Data([1, 2, 3]))
        #expect(try permissions(of: home.path("out/letter.txt")) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: home.path("letter.txt").path))
    }

    @Test func aTamperedAttachment_isNotWritten() throws {
        let manifest = AttachmentManifest(id: .generate(), name: "photo.jpg", type: "image/jpeg", size: 4)
        var blob = try AttachmentEncryptor.encrypt([9, 9, 9, 9], attachmentID: manifest.id.text, recipients: [team.publicKey])
        blob[blob.count - 1] ^= 0x80
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, attachments: [(manifest, blob.count)])
        try store.insert(items: [item])
        try store.storeBlob(id: manifest.id, data: blob)

        let result = try show("7KQM-3XWP", ["--attachments", home.path("out").path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("attachment \"photo.jpg\" of case 7KQM-3XWP failed authentication"))
        #expect(!FileManager.default.fileExists(atPath: home.path("out/photo.jpg").path))
    }

    @Test func anUnknownCase_saysSoAndExitsWith1() throws {
        let result = try show("ZZZZ-9999")
        #expect(result.status == 1)
        #expect(result.stderr.contains("there is no case ZZZZ-9999 in the local store"))
    }

    @Test func aMalformedReference_isAUsageError() throws {
        let result = try show("hello")
        #expect(result.status == 2)
        #expect(result.stderr.contains("The value 'hello' is invalid for '<case>'"))
        #expect(result.stderr.contains("8 letters and digits"))
    }

    @Test func showWithoutATeamKeySetting_namesTheFlagAndVariable() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey)
        try store.insert(items: [item])
        let result = try SealboxBinary.run(["show", "7KQM-3XWP"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--team-key"))
        #expect(result.stderr.contains("SEALBOX_TEAM_KEY"))
    }

    @Test func showWithoutAPassphraseFileOrTerminal_failsSayingHowToGiveIt() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey)
        try store.insert(items: [item])
        let result = try SealboxBinary.run(["show", "7KQM-3XWP", "--team-key", teamFile.path], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("SEALBOX_PASSPHRASE_FILE"))
    }

    @Test func theSettingsFile_suppliesTheTeamKeyAndPassphraseFile() throws {
        let item = try Fixtures.item(reference: "7KQM-3XWP", to: team.publicKey, text: "from settings")
        try store.insert(items: [item])
        try home.write("config/sealbox/config.json",
                       #"{"team_key": "\#(teamFile.path)", "passphrase_file": "\#(passphrase.path)"}"#)
        let result = try SealboxBinary.run(["show", "7KQM-3XWP"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("from settings"))
    }

    @Test func list_showsEachCaseWithItsCountsNewestFirst() throws {
        let manifest = AttachmentManifest(id: .generate(), name: "a.txt", type: "text/plain", size: 1)
        let old = try Fixtures.item(reference: "AAAA-2222", to: team.publicKey, day: "2026-10-01", attachments: [(manifest, 90)])
        let new = try Fixtures.item(reference: "BBBB-3333", to: team.publicKey, day: "2026-11-02")
        try store.insert(items: [old, new])
        let result = try SealboxBinary.run(["list", "--json"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let cases = try #require(try json(result)["cases"] as? [[String: Any]])
        #expect(cases.map { $0["case"] as? String } == ["BBBB-3333", "AAAA-2222"])
        #expect(cases[1]["received"] as? String == "2026-10-01")
        #expect(cases[1]["items"] as? Int == 1)
        #expect(cases[1]["attachments"] as? Int == 1)

        let table = try SealboxBinary.run(["list"], home: home)
        #expect(table.stdout.split(separator: "\n").count == 3)
        #expect(table.stdout.contains("AAAA-2222"))
    }

    @Test func listWithAnEmptyStore_saysToSync() throws {
        let result = try SealboxBinary.run(["list", "--store", home.path("nowhere").path], home: home)
        #expect(result.status == 0)
        #expect(result.stderr.contains("sealbox sync"))
        #expect(!FileManager.default.fileExists(atPath: home.path("nowhere").path))
    }
}

extension URL {
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
