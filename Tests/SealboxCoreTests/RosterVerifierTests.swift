// RosterVerifier with keys made here (the PyNaCl vectors cover each rule once more):
// each refusal leaves the roster unchanged, and the wire form is parsed strictly.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite("Roster verifier")
struct RosterVerifierTests {
    let lead = MemberSecretKey.generate()
    let anna = MemberSecretKey.generate()
    let ben = MemberSecretKey.generate()

    func entry(_ roster: RosterVerifier, _ action: RosterAction, by signer: MemberSecretKey, label: String,
               key: MemberSecretKey, role: RosterRole?) -> RosterEntry {
        RosterVerifier.sign(RosterEntry(seq: roster.head.seq + 1, prev: roster.head.hash, day: Day("2026-12-03")!,
                                        action: action, member: RosterMemberField(label: label, key: key.publicKey, role: role),
                                        epoch: nil, signer: signer.publicKey.memberID, signature: []), with: signer)
    }

    func start() throws -> RosterVerifier {
        try RosterVerifier(leads: [("Lena", lead.publicKey)])
    }

    @Test("a lead adds a counsellor and a lead; both become active members")
    func addMembers() throws {
        var roster = try start()
        try roster.apply(entry(roster, .add, by: lead, label: "Anna", key: anna, role: .counsellor))
        try roster.apply(entry(roster, .add, by: lead, label: "Ben", key: ben, role: .lead))
        #expect(roster.head.seq == 2)
        #expect(roster.activeMember(signingKey: anna.signingKey.publicKey)?.role == .counsellor)
        #expect(roster.activeMember(label: "Ben")?.role == .lead)
    }

    @Test("a removed member is no longer active, and her label may be used again")
    func removal() throws {
        var roster = try start()
        try roster.apply(entry(roster, .add, by: lead, label: "Anna", key: anna, role: .counsellor))
        try roster.apply(entry(roster, .remove, by: lead, label: "Anna", key: anna, role: nil))
        #expect(roster.activeMember(signingKey: anna.signingKey.publicKey) == nil)
        try roster.apply(entry(roster, .add, by: lead, label: "Anna", key: ben, role: .counsellor))
        #expect(roster.activeMembers.count == 2)
    }

    @Test("a counsellor's entry is refused and changes nothing")
    func counsellorCannotSign() throws {
        var roster = try start()
        try roster.apply(entry(roster, .add, by: lead, label: "Anna", key: anna, role: .counsellor))
        let before = roster.head
        #expect(throws: RosterError.signerNotLead) {
            try roster.apply(entry(roster, .add, by: anna, label: "Ben", key: ben, role: .lead))
        }
        #expect(roster.head == before)
        #expect(roster.activeMember(label: "Ben") == nil)
    }

    @Test("an entry altered after signing is refused")
    func alteredEntry() throws {
        var roster = try start()
        let signed = entry(roster, .add, by: lead, label: "Anna", key: anna, role: .counsellor)
        let altered = RosterEntry(seq: signed.seq, prev: signed.prev, day: signed.day, action: .add,
                                  member: RosterMemberField(label: "Anna", key: anna.publicKey, role: .lead),
                                  epoch: nil, signer: signed.signer, signature: signed.signature)
        #expect(throws: RosterError.badSignature) { try roster.apply(altered) }
        #expect(roster.head == .start)
    }

    @Test("the same entry cannot be applied twice (replay)")
    func replay() throws {
        var roster = try start()
        let signed = entry(roster, .add, by: lead, label: "Anna", key: anna, role: .counsellor)
        try roster.apply(signed)
        #expect(throws: RosterError.doesNotExtendHead(expectedSeq: 2)) { try roster.apply(signed) }
    }

    @Test("the first leads need unique labels and keys")
    func invalidLeads() {
        #expect(throws: RosterError.self) { try RosterVerifier(leads: []) }
        #expect(throws: RosterError.self) { try RosterVerifier(leads: [("A", lead.publicKey), ("B", lead.publicKey)]) }
        #expect(throws: RosterError.self) { try RosterVerifier(leads: [("A", lead.publicKey), ("A", anna.publicKey)]) }
    }

    @Test("the wire form round-trips; another format, version or a case field is refused")
    func wireForm() throws {
        let roster = try start()
        let signed = entry(roster, .add, by: lead, label: "Anna", key: anna, role: .counsellor)
        let data = try JSONEncoder().encode(signed)
        #expect(try JSONDecoder().decode(RosterEntry.self, from: data) == signed)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for (key, value) in [("format", "other" as Any), ("version", 2 as Any), ("case", ["ref": "X"] as Any),
                             ("seq", 0 as Any), ("signature", "AAAA" as Any), ("prev", "AAAA" as Any)] {
            var changed = object
            changed[key] = value
            #expect(throws: DecodingError.self, "\(key)") {
                try JSONDecoder().decode(RosterEntry.self, from: JSONSerialization.data(withJSONObject: changed))
            }
        }
        object["member"] = ["label": "Anna\n", "key": anna.publicKey.text, "role": "lead"]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RosterEntry.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }
}
