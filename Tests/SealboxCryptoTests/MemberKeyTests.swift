import Foundation
import SealboxCrypto
import Testing

@Suite("Member keys")
struct MemberKeyTests {
    let passphrase = SecureBytes(copying: Array("tr0ub4dor&3".utf8))

    @Test("a member key file opens with its passphrase and yields both keys")
    func memberKeyFileRoundTrips() throws {
        let key = MemberSecretKey.generate()
        let json = try KeyFile.write(secret: key.secretBytes, type: .member, publicKeyText: key.publicKey.text,
                                     passphrase: passphrase, cost: .minimum)
        let opened = try KeyFile.openMemberKey(json, passphrase: passphrase)
        #expect(opened.publicKey == key.publicKey)
        #expect(opened.signingKey.publicKey == key.signingKey.publicKey)
        #expect(try KeyFile.type(of: json) == .member)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(doc["type"] as? String == "member")
        #expect((doc["public_key"] as? String)?.hasPrefix("sealbox-member-v1:") == true)
    }

    @Test("a member key file is refused as a staff or team key, and they as a member key")
    func otherTypesAreRefused() throws {
        let member = MemberSecretKey.generate()
        let json = try KeyFile.write(secret: member.secretBytes, type: .member, publicKeyText: member.publicKey.text,
                                     passphrase: passphrase, cost: .minimum)
        #expect(throws: CryptoError.self) { try KeyFile.openStaffKey(json, passphrase: passphrase) }
        let staff = SigningSecretKey.generate()
        let staffJSON = try KeyFile.write(secret: staff.seed, type: .staff, publicKeyText: staff.publicKey.text,
                                          passphrase: passphrase, cost: .minimum)
        #expect(throws: CryptoError.self) { try KeyFile.openMemberKey(staffJSON, passphrase: passphrase) }
    }

    @Test("a wrong passphrase is authenticationFailed")
    func wrongPassphrase() throws {
        let key = MemberSecretKey.generate()
        let json = try KeyFile.write(secret: key.secretBytes, type: .member, publicKeyText: key.publicKey.text,
                                     passphrase: passphrase, cost: .minimum)
        #expect(throws: CryptoError.authenticationFailed) {
            try KeyFile.openMemberKey(json, passphrase: SecureBytes(copying: Array("wrong".utf8)))
        }
    }

    @Test("a secret that does not yield the public key is not written")
    func mismatchedPairIsRefused() {
        let key = MemberSecretKey.generate()
        let other = MemberSecretKey.generate()
        #expect(throws: CryptoError.invalidKey) {
            try KeyFile.write(secret: key.secretBytes, type: .member, publicKeyText: other.publicKey.text,
                              passphrase: passphrase, cost: .minimum)
        }
    }

    @Test("the text form round-trips; a wrong prefix or length is refused")
    func textForm() throws {
        let key = MemberSecretKey.generate().publicKey
        #expect(try MemberPublicKey(text: key.text) == key)
        #expect(key.memberID == key.boxKey.keyID)
        #expect(throws: CryptoError.invalidKey) { try MemberPublicKey(text: key.boxKey.teamText) }
        #expect(throws: CryptoError.invalidKey) { try MemberPublicKey(text: String(key.text.dropLast())) }
        #expect(throws: CryptoError.invalidKey) { try MemberPublicKey(text: "sealbox-member-v2:" + key.text.dropFirst(18)) }
        #expect(!"\(MemberSecretKey.generate())".contains("sealbox-member"))
    }
}
