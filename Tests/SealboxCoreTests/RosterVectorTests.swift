// Runs docs/vectors/roster.json (written by Tests/interop/make_roster_vectors.py with
// PyNaCl from docs/PROTOCOL.md §12) through the one RosterVerifier: the member key file,
// the signed message and hash of an entry, a valid chain and one broken chain per rule.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing

struct RosterVectors: Sendable {
    let document: [String: any Sendable]

    static func load() throws -> [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/vectors/roster.json")
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    static func leads(_ doc: [String: Any]) throws -> [(label: String, key: MemberPublicKey)] {
        try (doc["leads"] as! [[String: String]]).map { ($0["label"]!, try MemberPublicKey(text: $0["key"]!)) }
    }

    static func entry(_ object: Any) throws -> RosterEntry {
        try JSONDecoder().decode(RosterEntry.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func chainNames() throws -> [String] {
        try (load()["chains"] as! [[String: Any]]).map { $0["name"] as! String }
    }
}

/// The name of a RosterError case, as the vectors write it.
func caseName(_ error: RosterError) -> String {
    switch error {
    case .doesNotExtendHead: "doesNotExtendHead"
    case .unknownSigner: "unknownSigner"
    case .signerNotLead: "signerNotLead"
    case .badSignature: "badSignature"
    case .duplicateLabel: "duplicateLabel"
    case .duplicateKey: "duplicateKey"
    case .unknownMember: "unknownMember"
    case .lastLead: "lastLead"
    case .epochOutOfOrder: "epochOutOfOrder"
    case .epochKeyInvalid: "epochKeyInvalid"
    case .rotationRequired: "rotationRequired"
    case .fieldsDoNotFitAction: "fieldsDoNotFitAction"
    case .unsupportedAction: "unsupportedAction"
    case .sameRole: "sameRole"
    case .invalidLeads: "invalidLeads"
    }
}

@Suite("Roster vectors (PyNaCl)")
struct RosterVectorTests {
    @Test("every chain of the vectors verifies, or fails with the named rule at the named entry",
          arguments: try RosterVectors.chainNames())
    func chain(_ name: String) throws {
        let doc = try RosterVectors.load()
        let chain = try #require((doc["chains"] as! [[String: Any]]).first { $0["name"] as? String == name })
        var verifier = try RosterVerifier(leads: try RosterVectors.leads(doc))
        var failure: (seq: UInt64, error: RosterError)?
        for object in chain["entries"] as! [Any] {
            let entry = try RosterVectors.entry(object)
            let before = verifier.head
            do {
                try verifier.apply(entry)
            } catch {
                failure = (entry.seq, error)
                #expect(verifier.head == before, "a refused entry must leave the roster as it was")
                break
            }
        }
        if let expected = chain["error"] as? String {
            let failure = try #require(failure, "\(name): expected \(expected)")
            #expect(caseName(failure.error) == expected)
            #expect(failure.seq == UInt64(chain["at"] as! Int))
        } else {
            #expect(failure == nil, "\(name): \(String(describing: failure))")
            let head = chain["head"] as! [String: Any]
            #expect(verifier.head.seq == UInt64(head["seq"] as! Int))
            #expect(Hex.encode(verifier.head.hash) == head["hash"] as? String)
            let members = (chain["members"] as! [[String: Any]]).map {
                "\($0["label"]!)/\($0["role"]!)/\($0["active"] as! Bool)"
            }
            #expect(verifier.members.map { "\($0.label)/\($0.role.rawValue)/\($0.active)" } == members)
            #expect(verifier.epoch == UInt32(chain["epoch"] as? Int ?? 0))
        }
    }

    @Test("the signed message and the hash of the first entry are PyNaCl's, byte for byte")
    func firstEntryBytes() throws {
        let doc = try RosterVectors.load()
        let first = try RosterVectors.entry(((doc["chains"] as! [[String: Any]])[0]["entries"] as! [Any])[0])
        let expected = doc["first_entry"] as! [String: String]
        #expect(Hex.encode(RosterVerifier.message(of: first)) == expected["message"])
        #expect(Hex.encode(RosterVerifier.hash(of: first)) == expected["hash"])
    }

    @Test("the member key file of the vectors opens to its secret and public key")
    func memberKeyFile() throws {
        let doc = try RosterVectors.load()
        let vector = doc["key_file"] as! [String: Any]
        let file = try JSONSerialization.data(withJSONObject: vector["file"]!)
        let key = try KeyFile.openMemberKey(Array(file), passphrase: SecureBytes(copying: Array((vector["passphrase"] as! String).utf8)))
        #expect(key.publicKey.text == vector["public_key"] as? String)
        #expect(Hex.encode(key.secretBytes.withUnsafeBytes { Array($0) }) == vector["secret"] as? String)
    }
}
