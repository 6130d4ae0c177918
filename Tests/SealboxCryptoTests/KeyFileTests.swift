import Foundation
import SealboxCrypto
import Testing

@Suite("Key files")
struct KeyFileTests {
    let passphrase = SecureBytes(copying: Array("tr0ub4dor&3".utf8))

    @Test("a team key file opens with its passphrase")
    func teamKeyFileRoundTrips() throws {
        let key = BoxSecretKey.generate()
        let json = try KeyFile.write(secret: key.secret, type: .team, publicKeyText: key.publicKey.teamText,
                                     passphrase: passphrase, cost: .minimum)
        let opened = try KeyFile.open(json, passphrase: passphrase, expecting: .team)
        #expect(opened.secret == key.secret)
        #expect(opened.publicKeyText == key.publicKey.teamText)
        #expect(try KeyFile.openTeamKey(json, passphrase: passphrase).publicKey == key.publicKey)
        #expect(try KeyFile.publicKeyText(of: json) == key.publicKey.teamText)
    }

    @Test("a staff key file opens with its passphrase")
    func staffKeyFileRoundTrips() throws {
        let key = SigningSecretKey.generate()
        let json = try KeyFile.write(secret: key.seed, type: .staff, publicKeyText: key.publicKey.text,
                                     passphrase: passphrase, cost: .minimum)
        #expect(try KeyFile.openStaffKey(json, passphrase: passphrase).publicKey == key.publicKey)
    }

    @Test("the written JSON has the documented members and the requested cost")
    func writtenJSONShape() throws {
        let key = BoxSecretKey.generate()
        let json = try KeyFile.write(secret: key.secret, type: .team, publicKeyText: key.publicKey.teamText,
                                     passphrase: passphrase, cost: .minimum)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(doc["format"] as? String == "sealbox-secret-key")
        #expect(doc["version"] as? Int == 1)
        #expect(doc["type"] as? String == "team")
        let kdf = try #require(doc["kdf"] as? [String: Any])
        #expect(kdf["algorithm"] as? String == "argon2id13")
        #expect(kdf["opslimit"] as? Int == 1)
        #expect(kdf["memlimit"] as? Int == 8192)
        #expect(Base64URL.decode(try #require(kdf["salt"] as? String))?.count == 16)
        let aead = try #require(doc["aead"] as? [String: Any])
        #expect(aead["algorithm"] as? String == "xchacha20poly1305-ietf")
        #expect(Base64URL.decode(try #require(doc["ciphertext"] as? String))?.count == 48)
        #expect(!String(decoding: json, as: UTF8.self).contains(Hex.encode(key.secret.unsafeCopyBytes)))
    }

    @Test("a wrong passphrase fails authentication")
    func wrongPassphrase() throws {
        let key = BoxSecretKey.generate()
        let json = try KeyFile.write(secret: key.secret, type: .team, publicKeyText: key.publicKey.teamText,
                                     passphrase: passphrase, cost: .minimum)
        #expect(throws: CryptoError.authenticationFailed) {
            try KeyFile.open(json, passphrase: SecureBytes(copying: Array("tr0ub4dor&4".utf8)), expecting: .team)
        }
    }

    @Test("a key file of the other type is refused")
    func otherType() throws {
        let key = BoxSecretKey.generate()
        let json = try KeyFile.write(secret: key.secret, type: .team, publicKeyText: key.publicKey.teamText,
                                     passphrase: passphrase, cost: .minimum)
        #expect(throws: CryptoError.self) { try KeyFile.open(json, passphrase: passphrase, expecting: .staff) }
    }

    @Test("writing a secret that does not match the public key is refused")
    func mismatchedPairIsRefused() {
        let key = BoxSecretKey.generate()
        #expect(throws: CryptoError.invalidKey) {
            try KeyFile.write(secret: key.secret, type: .team, publicKeyText: BoxSecretKey.generate().publicKey.teamText,
                              passphrase: passphrase, cost: .minimum)
        }
    }

    @Test("a passphrase file loses exactly one trailing newline")
    func passphraseFile() {
        #expect(KeyFile.passphrase(fromFileContents: Array("pw\n".utf8)).unsafeCopyBytes == Array("pw".utf8))
        #expect(KeyFile.passphrase(fromFileContents: Array("pw\n\n".utf8)).unsafeCopyBytes == Array("pw\n".utf8))
        #expect(KeyFile.passphrase(fromFileContents: Array("pw".utf8)).unsafeCopyBytes == Array("pw".utf8))
        #expect(KeyFile.passphrase(fromFileContents: []).count == 0)
    }

    @Test("garbage is malformed, not a crash")
    func garbage() {
        for text in ["", "{}", "[]", "null", #"{"format":"sealbox-secret-key"}"#, "\u{0}"] {
            #expect(throws: CryptoError.self) { try KeyFile.publicKeyText(of: Array(text.utf8)) }
        }
    }
}

@Suite("Password hashing")
struct PasswordHashTests {
    @Test("the default costs are libsodium's Argon2id presets")
    func presets() {
        #expect(KDFCost.interactive.opslimit == 2 && KDFCost.interactive.memlimit == 64 << 20)
        #expect(KDFCost.moderate.opslimit == 3 && KDFCost.moderate.memlimit == 256 << 20)
        #expect(KDFCost.sensitive.opslimit == 4 && KDFCost.sensitive.memlimit == 1 << 30)
    }

    @Test("costs outside libsodium's limits are refused")
    func limits() {
        #expect(throws: CryptoError.self) { try KDFCost(opslimit: 0, memlimit: 8192) }
        #expect(throws: CryptoError.self) { try KDFCost(opslimit: 1, memlimit: 8191) }
        #expect(throws: Never.self) { try KDFCost(opslimit: 1, memlimit: 8192) }
    }

    @Test("derivation is deterministic and depends on password and salt")
    func deterministic() throws {
        let salt = Random.bytes(16)
        let pw = SecureBytes(copying: Array("pw".utf8))
        let a = try PasswordHash.derive(length: 32, password: pw, salt: salt, cost: .minimum)
        #expect(a == (try PasswordHash.derive(length: 32, password: pw, salt: salt, cost: .minimum)))
        #expect(a != (try PasswordHash.derive(length: 32, password: pw, salt: Random.bytes(16), cost: .minimum)))
        #expect(a != (try PasswordHash.derive(length: 32, password: SecureBytes(count: 0), salt: salt, cost: .minimum)))
        #expect(throws: CryptoError.self) { try PasswordHash.derive(length: 32, password: pw, salt: [1], cost: .minimum) }
        #expect(throws: CryptoError.self) { try PasswordHash.derive(length: 8, password: pw, salt: salt, cost: .minimum) }
    }
}
