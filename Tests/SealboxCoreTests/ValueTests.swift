import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct DayTests {
    @Test(arguments: ["2026-11-24", "2024-02-29", "0000-01-01", "9999-12-31"])
    func aDayThatExists_isParsedAndPrintedUnchanged(_ text: String) throws {
        #expect(try Day(parsing: text).text == text)
    }

    @Test(arguments: ["", "2026-11-31", "2026-02-29", "2026-13-01", "2026-00-10", "2026-11-00", "2026-1-01",
                      "2026/11/24", "26-11-24", " 2026-11-24", "2026-11-24 ", "２０２６-11-24", "2026-11-2x", "-026-11-24"])
    func anythingElse_isRefusedNamingTheKindOfValue(_ text: String) {
        #expect(throws: InvalidValue("day")) { try Day(parsing: text) }
    }

    @Test func days_orderByCalendarAndDecodeFromJSONOnlyWhenValid() throws {
        #expect(try Day(parsing: "2026-02-01") < (try Day(parsing: "2026-10-01")))
        #expect(try JSONDecoder().decode([Day].self, from: Data(#"["2026-11-24"]"#.utf8)) == [try Day(parsing: "2026-11-24")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data(#"["2026-11-31"]"#.utf8)) }
    }

    @Test func clamping_keepsTheDayInsideItsMonth() {
        #expect(Day(year: 2027, month: 2, clampingDay: 30).text == "2027-02-28")
        #expect(Day(year: 12_000, month: 13, clampingDay: 40).text == "9999-12-31")
    }
}

@Suite struct IdentifierAndActionTests {
    @Test func itemIDs_areThirtyTwoLowercaseHexCharacters() throws {
        let id = ItemID.generate()
        #expect(try ItemID(parsing: id.text) == id)
        #expect(throws: InvalidValue("item id")) { try ItemID(parsing: id.text.uppercased()) }
        #expect(throws: InvalidValue("attachment id")) { try AttachmentID(parsing: "abc") }
    }

    @Test(arguments: ["reply", "delete", "status:received", "status:in-progress", "status:closed"])
    func auditActions_roundTrip(_ text: String) throws {
        #expect(try AuditAction(parsing: text).text == text)
    }

    @Test(arguments: ["", "Reply", "status:", "status:done", "delete "])
    func unknownAuditActions_areRefused(_ text: String) {
        #expect(throws: InvalidValue("audit action")) { try AuditAction(parsing: text) }
    }
}

@Suite struct UnreadableRowTests {
    /// A database whose one case row has had `column` overwritten with `value` behind the store's back.
    func damaged(_ column: String, _ value: String) async throws -> (MailboxDatabase, CaseReference, URL) {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("s.sqlite").path
        let db = try MailboxDatabase(path: path)
        let reference = CaseReference.generate()
        try await db.insert(NewCase(
            reference: reference, lookupHash: Random.bytes(32), cost: .minimum, reporterKey: BoxSecretKey.generate().publicKey,
            day: Day("2026-11-24")!, itemID: .generate(), envelope: Random.bytes(64), blobs: []))
        let raw = try DatabaseQueue(path: path)
        try await raw.write { try $0.execute(sql: "UPDATE cases SET \(column) = ?", arguments: [value]) }
        try raw.close()
        return (db, reference, dir)
    }

    @Test(arguments: [("status", "bogus"), ("received_day", "2026-02-30"), ("updated_day", "yesterday")])
    func aCaseRowThatDoesNotDecode_isAnErrorNamingTheRowNeverADefault(column: String, value: String) async throws {
        let (db, reference, dir) = try await damaged(column, value)
        defer { removeDirectory(dir) }
        await #expect(throws: StorageError.unreadableRow(table: "cases", key: reference.text, column: column)) {
            _ = try await db.caseRecords()
        }
        await #expect(throws: StorageError.unreadableRow(table: "cases", key: reference.text, column: column)) {
            _ = try await db.caseRecord(reference: reference)
        }
    }
}
