// The workstation's roster pin (docs/PROTOCOL.md §12.4): a roster is stored only when it
// verifies from the trusted leads and extends the pin; a rollback, a fork, foreign leads
// and an entry by an unknown signer are refused and leave the store as it was.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import Testing
@testable import SealboxWorkstation

@Suite struct WorkstationStoreRosterTests {
    let folder: TemporaryFolder
    let store: WorkstationStore
    let lead = MemberSecretKey.generate()
    let stranger = MemberSecretKey.generate()

    init() throws {
        folder = try TemporaryFolder()
        store = try WorkstationStore(directory: folder.url)
    }

    var leads: [RosterLead] { [RosterLead(label: "Lena", key: lead.publicKey)] }

    /// The server's chain: `count` additions signed by `signer` from the start.
    func chain(_ labels: [String], signer: MemberSecretKey? = nil) throws -> ([RosterEntry], RosterHead) {
        var roster = try RosterVerifier(leads: [("Lena", lead.publicKey)])
        var entries: [RosterEntry] = []
        for label in labels {
            let key = signer ?? lead
            let entry = RosterVerifier.sign(RosterEntry(
                seq: roster.head.seq + 1, prev: roster.head.hash, day: "2026-12-03", action: .add,
                member: RosterMemberField(label: label, key: MemberSecretKey.generate().publicKey, role: .counsellor),
                epoch: nil, signer: key.publicKey.memberID, signature: []), with: key)
            entries.append(entry)
            if signer == nil { try roster.apply(entry) }
        }
        return (entries, roster.head)
    }

    func page(_ entries: [RosterEntry], head: RosterHead, after: UInt64 = 0) -> RosterPage {
        RosterPage(leads: leads, entries: entries.filter { $0.seq > after }, head: head)
    }

    @Test func aVerifiedRoster_movesThePin_andTheNextPageExtendsIt() throws {
        let (entries, head) = try chain(["Anna", "Ben", "Mira"])
        let first = Array(entries.prefix(2))
        _ = try store.acceptRoster(page(first, head: RosterHead(seq: 2, hash: RosterVerifier.hash(of: first[1]))),
                                   trustedLeads: [lead.publicKey])
        #expect(try store.rosterPin().seq == 2)
        let roster = try store.acceptRoster(page(entries, head: head, after: 2), trustedLeads: [lead.publicKey])
        #expect(roster.activeMembers.map(\.label) == ["Lena", "Anna", "Ben", "Mira"])
        #expect(try store.rosterPin() == head)
    }

    @Test func aRolledBackRoster_isRefused() throws {
        let (entries, head) = try chain(["Anna", "Ben"])
        _ = try store.acceptRoster(page(entries, head: head), trustedLeads: [lead.publicKey])
        let older = RosterHead(seq: 1, hash: RosterVerifier.hash(of: entries[0]))
        #expect(throws: RosterPinError.rollback(serverSeq: 1, pinnedSeq: 2)) {
            try store.acceptRoster(page([], head: older), trustedLeads: [lead.publicKey])
        }
        #expect(try store.rosterPin() == head)
    }

    @Test func aForkedRoster_isRefused_atTheHeadAndAfterIt() throws {
        let (entries, head) = try chain(["Anna"])
        _ = try store.acceptRoster(page(entries, head: head), trustedLeads: [lead.publicKey])
        let (other, otherHead) = try chain(["Eve", "Mira"])
        #expect(throws: RosterPinError.fork(seq: 1)) {
            try store.acceptRoster(page(other, head: otherHead, after: 1), trustedLeads: [lead.publicKey])
        }
        let sameSeq = RosterHead(seq: 1, hash: RosterVerifier.hash(of: other[0]))
        #expect(throws: RosterPinError.fork(seq: 1)) {
            try store.acceptRoster(page([], head: sameSeq), trustedLeads: [lead.publicKey])
        }
        #expect(try store.rosterEntries() == entries)
    }

    @Test func foreignLeads_andUnknownSigners_areRefused() throws {
        let (entries, head) = try chain(["Anna"])
        #expect(throws: RosterPinError.self) {
            try store.acceptRoster(page(entries, head: head), trustedLeads: [stranger.publicKey])
        }
        let (forged, _) = try chain(["Eve"], signer: stranger)
        let forgedHead = RosterHead(seq: 1, hash: RosterVerifier.hash(of: forged[0]))
        #expect(throws: RosterPinError.invalidEntry(seq: 1, .unknownSigner)) {
            try store.acceptRoster(page(forged, head: forgedHead), trustedLeads: [lead.publicKey])
        }
        #expect(try store.rosterPin() == .start)
    }

    @Test func theVerifiedRoster_namesEveryMemberOffline_onlyForTheTrustedLeads() throws {
        #expect(store.verifiedRoster(trustedLeads: [lead.publicKey]) == nil)
        let (entries, head) = try chain(["Anna", "Ben"])
        _ = try store.acceptRoster(page(entries, head: head), trustedLeads: [lead.publicKey])
        let roster = try #require(store.verifiedRoster(trustedLeads: [lead.publicKey]))
        #expect(roster.members.map(\.label) == ["Lena", "Anna", "Ben"])
        #expect(roster.head == head)
        // Other trusted leads than the ones the roster was accepted from: no names.
        #expect(store.verifiedRoster(trustedLeads: [stranger.publicKey]) == nil)
        #expect(store.verifiedRoster(trustedLeads: [lead.publicKey, stranger.publicKey]) == nil)
    }
}
