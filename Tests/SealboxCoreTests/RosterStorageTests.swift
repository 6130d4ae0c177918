// The daemon's roster table (migration v7-roster): entries are appended only as the
// successor of the newest row and read back unchanged.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct RosterStorageTests {
    let lead = MemberSecretKey.generate()

    func entry(_ roster: RosterVerifier, label: String) -> RosterEntry {
        RosterVerifier.sign(RosterEntry(seq: roster.head.seq + 1, prev: roster.head.hash, day: Day("2026-12-03")!,
                                        action: .add,
                                        member: RosterMemberField(label: label, key: MemberSecretKey.generate().publicKey,
                                                                  role: .counsellor),
                                        epoch: nil, signer: lead.publicKey.memberID, signature: []), with: lead)
    }

    @Test func appendedEntries_areReadBackInSeqOrderAndVerify() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        var roster = try RosterVerifier(leads: [("Lena", lead.publicKey)])
        for label in ["Anna", "Ben", "Mira"] {
            let next = entry(roster, label: label)
            try roster.apply(next)
            try await db.appendRosterEntry(next, hash: roster.head.hash, day: next.day, request: Random.bytes(32))
        }
        let stored = try db.rosterEntries()
        #expect(stored.map(\.seq) == [1, 2, 3])
        var again = try RosterVerifier(leads: [("Lena", lead.publicKey)])
        for e in stored { try again.apply(e) }
        #expect(again.head == roster.head)
    }

    @Test func anEntryThatIsNotTheNextSeq_isNotStored() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        var roster = try RosterVerifier(leads: [("Lena", lead.publicKey)])
        let first = entry(roster, label: "Anna")
        try roster.apply(first)
        try await db.appendRosterEntry(first, hash: roster.head.hash, day: first.day, request: Random.bytes(32))
        await #expect(throws: RosterStorageError.notNext) { try await db.appendRosterEntry(first, hash: roster.head.hash, day: first.day, request: []) }
        let skipping = RosterEntry(seq: 3, prev: roster.head.hash, day: first.day, action: .add, member: first.member,
                                   epoch: nil, signer: first.signer, signature: first.signature)
        await #expect(throws: RosterStorageError.notNext) { try await db.appendRosterEntry(skipping, hash: roster.head.hash, day: first.day, request: []) }
        #expect(try db.rosterEntries().count == 1)
        // The refused appends left no audit entry: only the stored one is audited.
        #expect(try await db.auditEntries().map(\.action) == [.roster(seq: 1)])
    }

    @Test func everyStoredEntry_isAnAuditEntryByItsSigner_withTheRequestDigest() async throws {
        let dir = try temporaryDirectory()
        defer { removeDirectory(dir) }
        let db = try MailboxDatabase(path: dir.appendingPathComponent("s.sqlite").path)
        var roster = try RosterVerifier(leads: [("Lena", lead.publicKey)])
        var digests: [[UInt8]] = []
        for label in ["Anna", "Ben"] {
            let next = entry(roster, label: label)
            try roster.apply(next)
            digests.append(Random.bytes(32))
            try await db.appendRosterEntry(next, hash: roster.head.hash, day: next.day, request: digests.last!)
        }
        let chain = try await db.auditEntries()
        #expect(Set(chain.map(\.action)) == [.roster(seq: 1), .roster(seq: 2)])
        #expect(chain.allSatisfy { $0.member == lead.publicKey.memberID && $0.caseReference == nil && $0.day == Day("2026-12-03") })
        #expect(Set(chain.map(\.request)) == Set(digests))
        #expect(AuditChainVerifier.firstBreak(chain) == nil)
    }

    @Test func theRosterAuditAction_parsesOnlyADecimalSeq() throws {
        #expect(try AuditAction(parsing: "roster:7") == .roster(seq: 7))
        #expect(AuditAction.roster(seq: 12).text == "roster:12")
        for bad in ["roster:", "roster:0", "roster:07", "roster:-1", "roster:1x", "roster: 1", "roster:99999999999"] {
            #expect(throws: InvalidValue.self) { try AuditAction(parsing: bad) }
        }
    }
}
