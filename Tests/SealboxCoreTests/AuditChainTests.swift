// The hash-chained audit (docs/PROTOCOL.md §11), the four-eyes rule (§9.5) and retention
// (§9.6) in storage: real SQLite files, SealboxCrypto's hash, the PyNaCl vectors.
import Foundation
import GRDB
import SealboxCore
import SealboxCrypto
import Testing

let staffKeyB = SigningSecretKey.generate().publicKey.keyID
/// The two members of an office without a roster (staff.keys keys: no label, no role).
let legacyA = StaffMember(id: staffKeyA, label: nil, role: nil)
let legacyB = StaffMember(id: staffKeyB, label: nil, role: nil)

@Suite struct AuditChainTests {
    let dir: URL
    var path: String { dir.appendingPathComponent("s.sqlite").path }

    init() throws { dir = try temporaryDirectory() }

    func newCase(day: String = "2026-11-24") -> NewCase {
        NewCase(reference: .generate(), lookupHash: Random.bytes(32), cost: testCost,
                reporterKey: BoxSecretKey.generate().publicKey, day: Day(day)!, itemID: .generate(),
                envelope: Random.bytes(1200), blobs: [])
    }

    /// The chains of Vectors/audit.json (PyNaCl): the verifier finds the break where PyNaCl does.
    @Test func theVerifier_findsTheFirstBrokenEntry_ofEveryVectorChain() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../SealboxCryptoTests/Vectors/audit.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        var chains = 0
        for c in cases {
            guard let entries = c["entries"] as? [[String: String]] else { continue }
            let parsed = try entries.map { e in
                AuditEntry(id: try ItemID(parsing: e["id"]!), day: try Day(parsing: e["day"]!),
                           member: e["member"]!.isEmpty ? nil : try KeyID(hex: e["member"]!),
                           action: try AuditAction(parsing: e["action"]!),
                           caseReference: e["case"]!.isEmpty ? nil : try CaseReference(parsing: e["case"]!),
                           request: Hex.decode(e["request"]!)!, prev: Hex.decode(e["prev"]!)!, hash: Hex.decode(e["hash"]!)!)
            }
            #expect(AuditChainVerifier.firstBreak(parsed)?.index == c["first_break"] as? Int, "\(c["name"] ?? "")")
            chains += 1
        }
        #expect(chains >= 8)
    }

    @Test func everyStaffAction_isChained_withItsRequestDigest_andSyncIsRecordedOncePerDay() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let a = newCase()
        try await db.insert(a)
        let day = Day("2026-11-25")!
        let digest = AuditChain.requestDigest(Array("signed request".utf8))
        _ = try await db.appendReply(case: a.reference, itemID: .generate(), envelope: Random.bytes(300), day: day,
                                     staffKeyID: staffKeyA, request: digest)
        for _ in 0..<3 { try await db.auditOncePerDay(.sync, day: day, member: staffKeyA, request: Random.bytes(32)) }
        try await db.auditOncePerDay(.sync, day: day, member: staffKeyB, request: Random.bytes(32))
        try await db.auditOncePerDay(.sync, day: day.adding(days: 1), member: staffKeyA, request: Random.bytes(32))
        try await db.auditOncePerDay(.read, day: day, member: staffKeyA, request: Random.bytes(32))
        let chain = try await db.auditEntries()
        #expect(chain.count == 5)
        #expect(chain.filter { $0.action == .sync }.count == 3)
        #expect(chain.first { $0.action == .reply }?.request == digest)
        #expect(AuditChainVerifier.firstBreak(chain) == nil)
        #expect(chain.first?.prev == AuditChain.start)
        // Within a day the order is the random ids' (never the order of time).
        #expect(chain.map { "\($0.day.text)/\($0.id.text)" } == chain.map { "\($0.day.text)/\($0.id.text)" }.sorted())
    }

    @Test func aTamperedRow_breaksTheChainAtThatEntry() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let a = newCase()
        try await db.insert(a)
        for day in ["2026-11-25", "2026-11-26", "2026-11-27"] {
            try await db.setStatus(case: a.reference, to: .inProgress, day: Day(day)!, staffKeyID: staffKeyA,
                                   request: Random.bytes(32))
        }
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE audit SET action = 'status:closed' WHERE day = '2026-11-26'")
        }
        let chain = try await db.auditEntries()
        #expect(AuditChainVerifier.firstBreak(chain)?.index == 1)
        #expect(AuditChainVerifier.firstBreak(chain)?.reason == .hash)
        // A later entry of the same day, linked in among the others, does not re-hash the change away.
        try await db.setStatus(case: a.reference, to: .closed, day: Day("2026-11-26")!, staffKeyID: staffKeyB,
                               request: Random.bytes(32))
        let after = try await db.auditEntries()
        let broken = try #require(AuditChainVerifier.firstBreak(after))
        #expect(after[broken.index].day == Day("2026-11-26"))
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM audit WHERE day = '2026-11-26' AND member = ?", arguments: [staffKeyB.hex])
        }
        try await queue.write { db in try db.execute(sql: "DELETE FROM audit WHERE day = '2026-11-26'") }
        #expect(AuditChainVerifier.firstBreak(try await db.auditEntries())?.index == 1)
        #expect(AuditChainVerifier.firstBreak(try await db.auditEntries())?.reason == .prev)
    }

    @Test func aDeletion_needsASecondMember_andTheSameMemberCannotConfirm() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let a = newCase()
        try await db.insert(a)
        let day = Day("2026-11-25")!
        let request = try await db.requestDeletion(of: a.reference, day: day, member: staffKeyA, request: Random.bytes(32),
                                                   confirmDays: 14)
        #expect(request.lastDay(confirmDays: 14) == Day("2026-12-09"))
        await #expect(throws: DeletionError.alreadyRequested(request)) {
            _ = try await db.requestDeletion(of: a.reference, day: day, member: staffKeyB, request: Random.bytes(32), confirmDays: 14)
        }
        await #expect(throws: DeletionError.ownRequest) {
            try await db.confirmDeletion(of: a.reference, day: day, member: legacyA, rosterInForce: false, request: Random.bytes(32), confirmDays: 14)
        }
        #expect(try await db.caseRecord(reference: a.reference) != nil)
        #expect(try await db.deletionRequests()[a.reference] == request)
        try await db.confirmDeletion(of: a.reference, day: Day("2026-12-09")!, member: legacyB, rosterInForce: false, request: Random.bytes(32),
                                     confirmDays: 14)
        #expect(try await db.caseRecord(reference: a.reference) == nil)
        #expect(try await db.deletionRequests().isEmpty)
        let chain = try await db.auditEntries()
        #expect(chain.map(\.action) == [.deleteRequest, .deleteConfirm])
        #expect(chain.map(\.member) == [staffKeyA, staffKeyB])
        #expect(AuditChainVerifier.firstBreak(chain) == nil)
        #expect(try await db.pendingPurges() == 0)
    }

    @Test func anExpiredRequest_isDroppedAndAudited_andCannotBeConfirmed() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let a = newCase()
        try await db.insert(a)
        _ = try await db.requestDeletion(of: a.reference, day: Day("2026-11-25")!, member: staffKeyA, request: Random.bytes(32),
                                         confirmDays: 14)
        await #expect(throws: DeletionError.noRequest) {
            try await db.confirmDeletion(of: a.reference, day: Day("2026-12-10")!, member: legacyB, rosterInForce: false, request: Random.bytes(32),
                                         confirmDays: 14)
        }
        #expect(try await db.caseRecord(reference: a.reference) != nil)
        let chain = try await db.auditEntries()
        #expect(chain.map(\.action) == [.deleteRequest, .deleteExpired])
        #expect(chain.last?.member == nil && chain.last?.request == [])
        await #expect(throws: DeletionError.noRequest) {
            try await db.confirmDeletion(of: a.reference, day: Day("2026-12-10")!, member: legacyB, rosterInForce: false, request: Random.bytes(32),
                                         confirmDays: 14)
        }
        await #expect(throws: CaseError.unknownCase) {
            _ = try await db.requestDeletion(of: .generate(), day: Day("2026-12-10")!, member: staffKeyB, request: [], confirmDays: 14)
        }
    }

    @Test func theFourEyesRule_allowsOneStepOnlyWithASingleMember() {
        #expect(FourEyes.allowsOneStep(memberCount: 1))
        #expect(!FourEyes.allowsOneStep(memberCount: 2))
        let request = DeletionRequest(caseReference: .generate(), member: staffKeyA, day: Day("2026-11-25")!)
        #expect(throws: DeletionError.ownRequest) { try FourEyes.check(confirming: request, by: legacyA, rosterInForce: false) }
        #expect(throws: Never.self) { try FourEyes.check(confirming: request, by: legacyB, rosterInForce: false) }
        #expect(!request.isExpired(today: Day("2026-12-09")!, confirmDays: 14))
        #expect(request.isExpired(today: Day("2026-12-10")!, confirmDays: 14))
    }

    @Test func retention_deletesDueCases_keepsRetainedOnes_andAuditsBoth() async throws {
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: path)
        let closed = newCase(), idle = newCase(), kept = newCase(), fresh = newCase(day: "2026-12-20")
        for c in [closed, idle, kept, fresh] { try await db.insert(c) }
        try await db.setStatus(case: closed.reference, to: .closed, day: Day("2026-11-30")!, staffKeyID: staffKeyA)
        try await db.retain(kept.reference, until: Day("2027-06-01")!, day: Day("2026-11-30")!, member: staffKeyB,
                            request: Random.bytes(32))
        let policy = RetentionPolicy(closedDays: 10, inactiveDays: 20)
        let states = Dictionary(uniqueKeysWithValues: try await db.retentionStates(policy: policy).map { ($0.caseReference, $0) })
        #expect(states[closed.reference]?.expires == Day("2026-12-10"))
        #expect(states[idle.reference]?.expires == Day("2026-12-14"))
        #expect(states[kept.reference]?.expires == Day("2027-06-01"))
        #expect(try await db.deleteDueCases(today: Day("2026-12-10")!, policy: policy).isEmpty)
        let deleted = try await db.deleteDueCases(today: Day("2026-12-20")!, policy: policy)
        #expect(Set(deleted) == [closed.reference, idle.reference])
        #expect(try await db.caseRecord(reference: kept.reference) != nil)
        #expect(try await db.caseRecord(reference: fresh.reference) != nil)
        let chain = try await db.auditEntries()
        #expect(chain.filter { $0.action == .retentionDelete }.count == 2)
        #expect(chain.contains { $0.action == .retain(until: Day("2027-06-01")!) && $0.member == staffKeyB })
        #expect(AuditChainVerifier.firstBreak(chain) == nil)
        await #expect(throws: CaseError.unknownCase) {
            try await db.retain(closed.reference, until: Day("2027-06-01")!, day: Day("2026-12-20")!, member: staffKeyB, request: [])
        }
    }

    @Test func theRetentionPolicy_countsFromClosingOrLastActivity_andNeverShortens() {
        let policy = RetentionPolicy.standard
        #expect(policy.expiry(closed: Day("2026-01-01")!, updated: Day("2026-02-01")!, retainUntil: nil) == Day("2028-12-31"))  // 2028 is a leap year
        #expect(policy.expiry(closed: nil, updated: Day("2026-02-01")!, retainUntil: nil) == Day("2029-01-31"))
        #expect(policy.expiry(closed: nil, updated: Day("2026-02-01")!, retainUntil: Day("2027-01-01")!) == Day("2029-01-31"))
        #expect(policy.expiry(closed: nil, updated: Day("2026-02-01")!, retainUntil: Day("2030-01-01")!) == Day("2030-01-01"))
    }
}
