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
            try await db.appendRosterEntry(next, hash: roster.head.hash)
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
        try await db.appendRosterEntry(first, hash: roster.head.hash)
        await #expect(throws: RosterStorageError.notNext) { try await db.appendRosterEntry(first, hash: roster.head.hash) }
        let skipping = RosterEntry(seq: 3, prev: roster.head.hash, day: first.day, action: .add, member: first.member,
                                   epoch: nil, signer: first.signer, signature: first.signature)
        await #expect(throws: RosterStorageError.notNext) { try await db.appendRosterEntry(skipping, hash: roster.head.hash) }
        #expect(try db.rosterEntries().count == 1)
    }
}
