import SealboxCrypto
import Testing

@Suite("Box and signing keys")
struct KeysTests {
    @Test("team key text round-trips and names its prefix")
    func teamKeyTextRoundTrips() throws {
        let key = BoxSecretKey.generate()
        let text = key.publicKey.teamText
        #expect(text.hasPrefix("sealbox-team-v1:"))
        #expect(try BoxPublicKey(teamText: text) == key.publicKey)
    }

    @Test("bad team key texts are invalid keys", arguments: [
        "", "sealbox-team-v1:", "sealbox-staff-v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "sealbox-team-v1:AAAA", "sealbox-team-v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "sealbox-team-v2:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ])
    func badTeamKeyText(_ text: String) {
        #expect(throws: CryptoError.invalidKey) { try BoxPublicKey(teamText: text) }
    }

    @Test("public key bytes of the wrong length are invalid")
    func wrongLengthPublicKey() {
        #expect(throws: CryptoError.invalidKey) { try BoxPublicKey(bytes: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: CryptoError.invalidKey) { try SigningPublicKey(bytes: [UInt8](repeating: 1, count: 33)) }
    }

    @Test("a secret key recomputes its public key")
    func secretKeyRecomputesPublicKey() throws {
        let key = BoxSecretKey.generate()
        let again = try BoxSecretKey(secretBytes: key.secret)
        #expect(again.publicKey == key.publicKey)
        #expect(throws: CryptoError.invalidKey) { try BoxSecretKey(secretBytes: SecureBytes(count: 31)) }
    }

    @Test("the same seed gives the same box key pair")
    func seedIsDeterministic() throws {
        let seed = SecureBytes.random(count: 32)
        #expect(try BoxSecretKey(seed: seed).publicKey == (try BoxSecretKey(seed: seed).publicKey))
        #expect(throws: CryptoError.invalidKey) { try BoxSecretKey(seed: SecureBytes(count: 16)) }
    }

    @Test("key id is 8 bytes shown as 16 hex characters")
    func keyIDShape() {
        let id = BoxSecretKey.generate().publicKey.keyID
        #expect(id.bytes.count == 8)
        #expect(id.hex.count == 16)
        #expect(id.description == id.hex)
    }

    @Test("secret key descriptions show only the key id")
    func secretKeyDescriptionsDoNotLeak() {
        let box = BoxSecretKey.generate()
        #expect(box.description == "BoxSecretKey(\(box.publicKey.keyID.hex))")
        let signing = SigningSecretKey.generate()
        #expect(signing.description == "SigningSecretKey(\(signing.publicKey.keyID.hex))")
        #expect(!box.description.contains(Hex.encode(box.secret.unsafeCopyBytes)))
    }

    @Test("a signature verifies and fails for another message, key or a flipped bit")
    func signatures() throws {
        let key = SigningSecretKey.generate()
        let message = Array("hello".utf8)
        var sig = key.signature(for: message)
        #expect(sig.count == 64)
        #expect(key.publicKey.isValidSignature(sig, for: message))
        #expect(!key.publicKey.isValidSignature(sig, for: Array("hellO".utf8)))
        #expect(!SigningSecretKey.generate().publicKey.isValidSignature(sig, for: message))
        #expect(!key.publicKey.isValidSignature(Array(sig.prefix(63)), for: message))
        sig[10] ^= 1
        #expect(!key.publicKey.isValidSignature(sig, for: message))
    }

    @Test("staff key text round-trips and a seed is deterministic")
    func staffKeyText() throws {
        let seed = SecureBytes.random(count: 32)
        let key = try SigningSecretKey(seed: seed)
        #expect(key.publicKey.text.hasPrefix("sealbox-staff-v1:"))
        #expect(try SigningPublicKey(text: key.publicKey.text) == key.publicKey)
        #expect(try SigningSecretKey(seed: seed).publicKey == key.publicKey)
        #expect(throws: CryptoError.invalidKey) { try SigningPublicKey(text: "sealbox-team-v1:" + Base64URL.encode(key.publicKey.bytes)) }
        #expect(throws: CryptoError.invalidKey) { try SigningSecretKey(seed: SecureBytes(count: 64)) }
    }
}

@Suite("Hashes")
struct HashTests {
    @Test("SHA-256 of the empty string and of abc match FIPS 180-2")
    func sha256KnownAnswers() {
        #expect(Hex.encode(Hash.sha256([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(Hash.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("incremental SHA-256 equals one-shot SHA-256")
    func incrementalSHA256() {
        let data = Random.bytes(100_000)
        var hasher = SHA256Hasher()
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + 777)
            hasher.update(Array(data[offset..<end]))
            offset = end
        }
        #expect(hasher.finalize() == Hash.sha256(data))
    }

    @Test("BLAKE2b-512 of the empty string matches RFC 7693")
    func blake2bKnownAnswer() {
        #expect(Hex.encode(Hash.generic(64, [UInt8]())) ==
            "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
    }

    @Test("a keyed hash differs from the unkeyed one and depends on the key")
    func keyedHash() {
        let m = Array("sealbox".utf8)
        let k1 = SecureBytes.random(count: 32)
        let k2 = SecureBytes.random(count: 32)
        #expect(Hash.generic(32, m, key: k1) != Hash.generic(32, m))
        #expect(Hash.generic(32, m, key: k1) != Hash.generic(32, m, key: k2))
        #expect(Hash.generic(32, m, key: k1) == Hash.genericSecret(32, m, key: k1).unsafeCopyBytes)
    }
}
