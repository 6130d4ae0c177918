// Runs the real `sealbox reply`, `status`, `delete`, `list` and `show` where no daemon
// is needed: the local store is filled in-process and the server is unreachable. The
// runs against sealboxd are the end-to-end tests in Tests/e2e.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation
import Testing

@Suite struct ConversationBinaryTests {
    let home: TemporaryFolder
    let team: BoxSecretKey
    let teamFile: URL
    let staffFile: URL
    let staff: SigningSecretKey
    let passphrase: URL
    let store: WorkstationStore
    let reporter = BoxSecretKey.generate()

    init() throws {
        home = try TemporaryFolder()
        (team, teamFile) = try Fixtures.teamKey(in: home)
        (staff, staffFile) = try Fixtures.staffKey(in: home)
        passphrase = try Fixtures.passphraseFile(in: home)
        store = try WorkstationStore(directory: home.path("data/sealbox").creatingDirectory())
    }

    private var environment: [String: String] {
        ["SEALBOX_SERVER": "http://127.0.0.1:9", "SEALBOX_STAFF_KEY": staffFile.path,
         "SEALBOX_TEAM_KEY": teamFile.path, "SEALBOX_PASSPHRASE_FILE": passphrase.path]
    }

    private func run(_ arguments: [String]) throws -> RunResult {
        try SealboxBinary.run(arguments, home: home, environment: environment)
    }

    /// A report of `reference` sealed to the team and the reporter, carrying the reporter's key.
    @discardableResult
    private func storeReport(_ reference: String, day: String = "2026-11-24") throws -> StoredItem {
        let content = ReportContent(type: .report, caseReference: try CaseReference(parsing: reference),
                                    day: Day(day)!, reporterKey: reporter.publicKey, text: "They refused the flat.")
        let envelope = try Envelope.seal(try content.encoded(), kind: .report, to: [team.publicKey, reporter.publicKey])
        let item = StoredItem(id: .generate(), caseReference: Fixtures.ref(reference), kind: .report,
                              day: Fixtures.day(day), position: Fixtures.nextPosition(), envelope: envelope)
        try store.insert(items: [item])
        return item
    }

    @Test func replyFromAFile_withTheServerUnreachable_saysSoExitsWith4AndStoresNothing() throws {
        try storeReport("7KQM-3XWP")
        let file = try home.write("reply.txt", "We have read your report.\n")
        let result = try run(["reply", "7KQM-3XWP", "--file", file.path])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("sealbox: error: cannot reach the server at http://127.0.0.1:9"))
        #expect(result.stdout.isEmpty)
        #expect(try store.thread(case: Fixtures.ref("7KQM-3XWP")).count == 1)
    }

    @Test func replyToACaseNotInTheLocalStore_saysRunSyncFirst() throws {
        let file = try home.write("reply.txt", "Hello\n")
        let result = try run(["reply", "7KQM-3XWP", "--file", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("there is no case 7KQM-3XWP in the local store"))
        #expect(result.stderr.contains("run `sealbox sync`"))
    }

    @Test func anEmptyReplyFile_abortsBeforeAnyRequest() throws {
        try storeReport("7KQM-3XWP")
        let file = try home.write("reply.txt", "\n\n")
        let result = try run(["reply", "7KQM-3XWP", "--file", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the reply is empty; nothing was sent"))
    }

    @Test func replyWithoutAMessageAndWithoutATerminal_asksForFileOrDash() throws {
        try storeReport("7KQM-3XWP")
        let result = try run(["reply", "7KQM-3XWP"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("sealbox opens an editor only on a terminal"))
        #expect(result.stderr.contains("--file FILE"))
    }

    @Test func replyWithBothAFileAndDash_isAUsageError() throws {
        let result = try run(["reply", "7KQM-3XWP", "-", "--file", "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("either --file FILE or -"))
    }

    @Test func replyWithAWrongPassphrase_exitsWith3() throws {
        try storeReport("7KQM-3XWP")
        let file = try home.write("reply.txt", "Hello\n")
        let wrong = try Fixtures.passphraseFile(in: home, "wrong")
        let result = try SealboxBinary.run(["reply", "7KQM-3XWP", "--file", file.path, "--passphrase-file", wrong.path],
                                           home: home, environment: environment)
        #expect(result.status == 3)
        #expect(result.stderr.contains("the passphrase does not open"))
    }

    @Test func deleteWithoutYesAndWithoutATerminal_refusesAndDeletesNothing() throws {
        try storeReport("7KQM-3XWP")
        let result = try run(["delete", "7KQM-3XWP"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("deleting a case needs a confirmation"))
        #expect(result.stderr.contains("--yes"))
        #expect(try store.thread(case: Fixtures.ref("7KQM-3XWP")).count == 1)
    }

    @Test func deleteWithYes_andTheServerUnreachable_deletesNothingHere() throws {
        try storeReport("7KQM-3XWP")
        let result = try run(["delete", "7KQM-3XWP", "--yes"])
        #expect(result.status == 4)
        #expect(try store.thread(case: Fixtures.ref("7KQM-3XWP")).count == 1)
    }

    @Test func statusWithAnUnknownValue_isAUsageErrorNamingTheValues() throws {
        let result = try run(["status", "7KQM-3XWP", "done"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("sealbox: error: The value 'done' is invalid for '<status>'"))
        #expect(result.stderr.contains("the statuses are received, acknowledged, in-progress, closed"))
    }

    @Test func statusWithTheServerUnreachable_exitsWith4() throws {
        let result = try run(["status", "7KQM-3XWP", "in-progress"])
        #expect(result.status == 4)
    }

    @Test func auditWithTheServerUnreachable_exitsWith4() throws {
        let result = try run(["audit", "--json"])
        #expect(result.status == 4)
        #expect(result.stdout.isEmpty)
    }

    @Test func list_showsStatusAndDeadlinesMarkedAndDueFiltersAndSorts() throws {
        try storeReport("AAAA-2222", day: "2026-11-01")  // ack. overdue on 2026-11-20
        try storeReport("BBBB-3333", day: "2026-11-18")  // ack. due soon (2026-11-25)
        try storeReport("CCCC-4444", day: "2026-08-25")  // feedback due 2026-11-25, acknowledged
        try storeReport("DDDD-5555", day: "2026-11-19")  // closed
        try store.insert(items: [
            StoredItem(statusChange: .generate(), caseReference: Fixtures.ref("CCCC-4444"), day: Fixtures.day("2026-08-26"), position: Fixtures.nextPosition(), status: .acknowledged),
            StoredItem(statusChange: .generate(), caseReference: Fixtures.ref("DDDD-5555"), day: Fixtures.day("2026-11-19"), position: Fixtures.nextPosition(), status: .closed),
        ])
        try storeReport("EEEE-6666", day: "2026-11-19")  // ack. due 2026-11-26: due soon

        let table = try run(["list", "--today", "2026-11-20"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("CASE") && lines[0].contains("STATUS") && lines[0].contains("ACKNOWLEDGE BY"))
        let a = try #require(lines.first { $0.hasPrefix("AAAA-2222") })
        #expect(a.contains("received") && a.contains("2026-11-08 (overdue)") && a.contains("2027-02-01"))
        let d = try #require(lines.first { $0.hasPrefix("DDDD-5555") })
        #expect(d.contains("closed") && !d.contains("(overdue)"))

        let due = try run(["list", "--due", "--json", "--today", "2026-11-20"])
        #expect(due.status == 0, "\(due.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(due.stdout.utf8)) as? [String: Any])
        let cases = try #require(object["cases"] as? [[String: Any]])
        // No report has a reply: each waits for one, due 7 days after it arrived (issue 11),
        // the closed DDDD-5555 too; CCCC-4444's reply was due on 2026-09-01, so it comes first.
        #expect(cases.map { $0["case"] as? String } == ["CCCC-4444", "AAAA-2222", "BBBB-3333", "DDDD-5555", "EEEE-6666"])
        let byCase = Dictionary(uniqueKeysWithValues: cases.map { ($0["case"] as? String ?? "", $0) })
        let aRow = try #require(byCase["AAAA-2222"])
        let cRow = try #require(byCase["CCCC-4444"])
        #expect(aRow["acknowledgement_due"] as? String == "2026-11-08")
        #expect(aRow["acknowledgement_overdue"] as? Bool == true)
        #expect(aRow["feedback_due"] as? String == "2027-02-01")
        #expect(aRow["feedback_overdue"] as? Bool == false)
        #expect(cRow["status"] as? String == "acknowledged")
        #expect(cRow["acknowledgement_due"] is NSNull)
        #expect(cRow["feedback_due"] as? String == "2026-11-25")
        #expect(cRow["feedback_due_soon"] as? Bool == true)
        #expect(cRow["reply_due"] as? String == "2026-09-01" && cRow["reply_overdue"] as? Bool == true)
        #expect(byCase["DDDD-5555"]?["reply_due"] as? String == "2026-11-26")
        #expect(aRow["last_activity"] as? String == "2026-11-01")
        #expect(aRow["on_server"] is NSNull)
    }

    @Test func show_printsTheThreadWithRepliesAndStatusChangesInOrder() throws {
        let report = try storeReport("7KQM-3XWP")
        _ = report
        let reply = try ReplyBuilder.item(reference: "7KQM-3XWP", text: "We have read it.", reporter: reporter.publicKey,
                                          team: team.publicKey, day: "2026-11-25", signedBy: staff)
        try store.insertSent(reply)
        try store.insert(items: [StoredItem(statusChange: .generate(), caseReference: Fixtures.ref("7KQM-3XWP"),
                                            day: Fixtures.day("2026-11-26"), position: Fixtures.nextPosition(),
                                            status: .inProgress)])
        let result = try run(["show", "7KQM-3XWP"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        let order = ["Report, 2026-11-24", "Reply from the team, 2026-11-25", "Status set to in-progress by the team, 2026-11-26"]
            .map { text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(text.contains("We have read it."))
        #expect(text.hasPrefix("Case 7KQM-3XWP · in-progress · 2 messages"))

        let json = try run(["show", "7KQM-3XWP", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "in-progress")
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.map { $0["kind"] as? String } == ["report", "reply", "status"])
        #expect(items.map { $0["author"] as? String } == ["reporter", "team", "team"])
        #expect(items[1]["text"] as? String == "We have read it.")
        #expect(items[1]["status"] as? String == "ok" && items[1]["signer"] as? String == staff.publicKey.keyID.hex)
        #expect(items[2]["case_status"] as? String == "in-progress")
    }
}

/// A reply item as `sealbox reply` seals it, signed with the author's staff key.
enum ReplyBuilder {
    static func item(reference: String, text: String, reporter: BoxPublicKey, team: BoxPublicKey,
                     day: String, signedBy staff: SigningSecretKey) throws -> StoredItem {
        var content = ReportContent(type: .reply, caseReference: try CaseReference(parsing: reference), day: Day(day)!,
                                    reporterKey: nil, text: text)
        try content.sign(with: staff)
        let envelope = try Envelope.seal(try content.encoded(), kind: .reply, to: [reporter, team])
        return StoredItem(id: .generate(), caseReference: Fixtures.ref(reference), kind: .reply, day: Fixtures.day(day),
                          position: Fixtures.nextPosition(), envelope: envelope)
    }
}
