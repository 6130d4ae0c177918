// Statistic records (docs/PROTOCOL.md §3.5): the month, the signed plaintext with no
// case, text or day, and the table that names no case (migration v13-statistics).
import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct StatisticsTests {
    @Test func aMonth_parsesOnlyYYYYMM() throws {
        #expect(try Month(parsing: "2026-01").text == "2026-01")
        #expect(Month(Day("2026-12-31")!).text == "2026-12")
        #expect(try Month(parsing: "2026-02") < Month(parsing: "2026-10"))
        for bad in ["2026-00", "2026-13", "2026-1", "2026-011", "26-01", "2026/01", "2026-01-01", "", "２０２６-01"] {
            #expect(throws: InvalidValue.self) { try Month(parsing: bad) }
        }
    }

    func record() -> StatisticRecord {
        StatisticRecord(month: Month(Day("2026-11-24")!), scheme: "advd-dezim-ads-2026", grounds: ["racism", "religion"],
                        area: "housing", form: "direct", level: nil, interventions: [], outcome: nil)
    }

    @Test func aSignedRecord_carriesNoCaseTextOrDay_andVerifies() throws {
        let key = SigningSecretKey.generate()
        var r = record()
        try r.sign(with: key)
        let json = String(decoding: try r.encoded(), as: UTF8.self)
        for absent in ["\"case\"", "\"day\"", "\"text\"", "2026-11-24"] { #expect(!json.contains(absent), "\(absent)") }
        #expect(json.contains("\"month\":\"2026-11\"") && json.contains("\"type\":\"statistic\""))
        let back = try StatisticRecord.decode(try r.encoded())
        #expect(back == r)
        #expect(try back.verifiedSigner() == key.publicKey)
    }

    @Test func aChangedOrUnsignedRecord_doesNotVerify_andOtherPlaintextsAreRefused() throws {
        let key = SigningSecretKey.generate()
        var r = record()
        #expect(throws: CryptoError.authenticationFailed) { try r.verifiedSigner() }
        try r.sign(with: key)
        var changed = r
        changed.grounds = ["racism"]
        #expect(throws: CryptoError.authenticationFailed) { try changed.verifiedSigner() }
        changed = r
        changed.month = try Month(parsing: "2026-12")
        #expect(throws: CryptoError.authenticationFailed) { try changed.verifiedSigner() }
        let coding = try ReportContent.coding(case: .generate(), day: Day("2026-11-24")!, scheme: "s", grounds: [], area: nil,
                                              form: nil, level: nil, interventions: [], outcome: nil).encoded()
        #expect(throws: CryptoError.self) { try StatisticRecord.decode(coding) }
        // … and a statistic is never an item of a case.
        #expect(throws: CryptoError.self) { try ReportContent.decode(try r.encoded()) }
    }

    @Test func aCodingsStatisticID_isSigned() throws {
        let key = SigningSecretKey.generate()
        var coding = ReportContent.coding(case: .generate(), day: Day("2026-11-24")!, scheme: "s", grounds: ["a"], area: nil,
                                          form: nil, level: nil, interventions: [], outcome: nil, statistic: .generate())
        try coding.sign(with: key)
        let back = try ReportContent.decode(try coding.encoded())
        #expect(back.statistic == coding.statistic)
        #expect(try back.verifiedSigner().signer == key.publicKey)
        var swapped = back
        swapped.statistic = .generate()
        #expect(throws: CryptoError.authenticationFailed) { try swapped.verifiedSigner() }
    }

    @Test func stored_records_areReplacedByID_keptWhenTheirCaseIsDeleted_andNameNoCase() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        let db = try MailboxDatabase(path: path)
        let reference = CaseReference.generate()
        try await db.insert(NewCase(reference: reference, lookupHash: Random.bytes(32), cost: testCost,
                                    reporterKey: BoxSecretKey.generate().publicKey, day: Day("2026-11-24")!,
                                    itemID: .generate(), envelope: Random.bytes(1200), blobs: []))
        let id = StatisticID.generate()
        #expect(try await db.putStatistic(StoredStatistic(id: id, month: Month(Day("2026-11-24")!), envelope: [1, 2])))
        #expect(try await !db.putStatistic(StoredStatistic(id: id, month: Month(Day("2026-11-24")!), envelope: [3])))
        try await db.deleteCase(reference, day: Day("2026-11-30")!, staffKeyID: staffKeyA)
        let stored = try await db.statistics(after: nil, limit: 10)
        #expect(stored.map(\.id) == [id] && stored[0].envelope == [3])
        #expect(try await db.statistics(after: id, limit: 10).isEmpty)
        let queue = try DatabaseQueue(path: path)
        let columns = try await queue.read { db in try db.columns(in: "statistics").map(\.name) }
        #expect(columns == ["id", "month", "envelope"])
        let rows = try await queue.read { db in try String.fetchAll(db, sql: "SELECT id || month FROM statistics").joined() }
        #expect(!rows.contains(reference.text) && !rows.contains("2026-11-24"))
        let migrations = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations.last == "v13-statistics")
    }
}
