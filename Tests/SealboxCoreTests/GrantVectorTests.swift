// Runs the grants and the recovery key's paper form of docs/vectors/roster.json (written
// with PyNaCl by Tests/interop/make_roster_vectors.py from docs/PROTOCOL.md §12.5, §12.6)
// through GrantScope.open and RecoveryPaper: grants that open to the announced epoch key,
// and grants refused for another epoch's label, another recipient, an epoch the roster
// never announced and a key other than the announced one; paper parts that read, and typed
// parts refused for a typo, the other part, a foreign character and a missing group.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite("Grant and recovery vectors (PyNaCl)")
struct GrantVectorTests {
    /// The roster of the valid chain (epochs 1 and 2 announced).
    static func roster() throws -> RosterVerifier {
        let doc = try RosterVectors.load()
        let chain = (doc["chains"] as! [[String: Any]])[0]
        var verifier = try RosterVerifier(leads: try RosterVectors.leads(doc))
        for object in chain["entries"] as! [Any] { try verifier.apply(try RosterVectors.entry(object)) }
        return verifier
    }

    static func holderKey(_ name: String) throws -> BoxSecretKey {
        let doc = try RosterVectors.load()
        let hex = name == "recovery" ? doc["recovery_secret"] as! String
            : (doc["members"] as! [String: [String: String]])[name]!["x25519_secret"]!
        return try BoxSecretKey(secretBytes: SecureBytes(copying: try #require(Hex.decode(hex))))
    }

    static func grantNames() throws -> [String] {
        try (RosterVectors.load()["grants"] as! [[String: Any]]).map { $0["name"] as! String }
    }

    static func typedNames() throws -> [String] {
        try ((RosterVectors.load()["recovery_paper"] as! [String: Any])["typed"] as! [[String: Any]]).map { $0["name"] as! String }
    }

    @Test("every grant of the vectors opens to the announced key, or is refused for the named reason",
          arguments: try GrantVectorTests.grantNames())
    func grant(_ name: String) throws {
        let vector = try #require((try RosterVectors.load()["grants"] as! [[String: Any]]).first { $0["name"] as? String == name })
        let scope = try #require(GrantScope(text: vector["scope"] as! String))
        let sealed = try #require(Hex.decode(vector["sealed"] as! String))
        let key = try Self.holderKey(vector["holder"] as! String)
        let roster = try Self.roster()
        switch vector["expect"] as! String {
        case "ok":
            let opened = try scope.open(sealed, with: key, announced: roster.announcedKeys)
            #expect(Hex.encode(opened.secret.unsafeCopyBytes) == vector["secret"] as? String)
        case "doesNotOpen":
            #expect(throws: GrantError.doesNotOpen(scope)) { try scope.open(sealed, with: key, announced: roster.announcedKeys) }
        case "notAnnounced":
            #expect(throws: GrantError.notAnnounced(scope)) { try scope.open(sealed, with: key, announced: roster.announcedKeys) }
        case "notTheAnnouncedKey":
            #expect(throws: GrantError.notTheAnnouncedKey(scope)) { try scope.open(sealed, with: key, announced: roster.announcedKeys) }
        default:
            Issue.record("unknown expectation")
        }
    }

    @Test("every typed part of the vectors reads to its bytes, or is refused for the named reason",
          arguments: try GrantVectorTests.typedNames())
    func typedPart(_ name: String) throws {
        let paper = try RosterVectors.load()["recovery_paper"] as! [String: Any]
        let vector = try #require((paper["typed"] as! [[String: Any]]).first { $0["name"] as? String == name })
        let text = vector["text"] as! String
        let letter = vector["letter"] as! String
        switch vector["expect"] as! String {
        case "ok":
            #expect(Hex.encode(try RecoveryPaper.read(text, letter: letter).unsafeCopyBytes) == vector["part"] as? String)
        case "check":
            #expect(throws: RecoveryPartError.check) { try RecoveryPaper.read(text, letter: letter) }
        case "character":
            #expect(throws: RecoveryPartError.character) { try RecoveryPaper.read(text, letter: letter) }
        case "length":
            #expect(throws: RecoveryPartError.length(50)) { try RecoveryPaper.read(text, letter: letter) }
        default:
            Issue.record("unknown expectation")
        }
    }

    @Test("the two printed parts join to the recovery secret, whose public key is the announced one")
    func partsJoin() throws {
        let paper = try RosterVectors.load()["recovery_paper"] as! [String: Any]
        let a = try RecoveryPaper.read(paper["line_a"] as! String, letter: "A")
        let b = try RecoveryPaper.read(paper["line_b"] as! String, letter: "B")
        let key = try RecoveryPaper.join(a, b)
        #expect(Hex.encode(key.secret.unsafeCopyBytes) == paper["secret"] as? String)
        #expect(key.publicKey.recoveryText == paper["public"] as? String)
        #expect(try Self.roster().newestEpoch?.recovery == key.publicKey)
        // Swift writes the same paper lines as PyNaCl's script.
        #expect(RecoveryPaper.paperLine(a, letter: "A") == paper["line_a"] as? String)
        #expect(RecoveryPaper.paperLine(b, letter: "B") == paper["line_b"] as? String)
    }
}
