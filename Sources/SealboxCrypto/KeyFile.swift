// Secret key files (PROTOCOL §2, §12.1): the 32-byte (member: 64-byte) secret is encrypted with
// XChaCha20-Poly1305 under an Argon2id key derived from the passphrase, with
// ad = "sealbox/v1/secret-key/" || type || "/" || public_key. Unknown format,
// version, type or algorithm is refused; a wrong passphrase and a damaged file
// are the same authenticationFailed; the secret must yield the public key.

import Foundation

/// Which secret a key file holds.
public enum KeyFileType: String, Sendable, CaseIterable {
    /// A team X25519 secret key.
    case team
    /// A staff Ed25519 seed.
    case staff
    /// A team member's X25519 secret key and Ed25519 seed (64 bytes, PROTOCOL §12.1).
    case member
}

/// Reading and writing passphrase-protected secret key files.
public enum KeyFile {
    static let format = "sealbox-secret-key"
    static let kdfAlgorithm = "argon2id13"
    static let aeadAlgorithm = "xchacha20poly1305-ietf"

    /// The JSON bytes of a key file holding `secret` (32 bytes; 64 for a member key) for `publicKeyText`.
    /// Throws `invalidKey` when the secret does not yield that public key.
    public static func write(secret: SecureBytes, type: KeyFileType, publicKeyText: String, passphrase: SecureBytes,
                             cost: KDFCost = .moderate) throws(CryptoError) -> [UInt8] {
        try checkPair(secret: secret, type: type, publicKeyText: publicKeyText)
        let salt = Random.bytes(PasswordHash.saltSize)
        let nonce = Random.bytes(Envelope.nonceSize)
        let wrapKey = try PasswordHash.derive(length: 32, password: passphrase, salt: salt, cost: cost)
        let ad = additionalData(type: type, publicKeyText: publicKeyText)
        let ciphertext = try AEAD.encrypt(secret, ad: ad, nonce: nonce, key: wrapKey)
        // Every value is a fixed word, a number or base64url: no escaping needed.
        let json = """
            {
              "format": "\(format)",
              "version": 1,
              "type": "\(type.rawValue)",
              "public_key": "\(publicKeyText)",
              "kdf": {"algorithm": "\(kdfAlgorithm)", "opslimit": \(cost.opslimit), "memlimit": \(cost.memlimit), "salt": "\(Base64URL.encode(salt))"},
              "aead": {"algorithm": "\(aeadAlgorithm)", "nonce": "\(Base64URL.encode(nonce))"},
              "ciphertext": "\(Base64URL.encode(ciphertext))"
            }

            """
        return Array(json.utf8)
    }

    /// Opens a key file of the `expecting` type with `passphrase`.
    public static func open(_ json: [UInt8], passphrase: SecureBytes, expecting: KeyFileType) throws(CryptoError) -> (secret: SecureBytes, publicKeyText: String) {
        let file = try parse(json)
        guard file.type == expecting.rawValue else { throw CryptoError.malformed("key file holds another type of key") }
        guard file.kdf.algorithm == kdfAlgorithm, file.aead.algorithm == aeadAlgorithm else {
            throw CryptoError.malformed("key file algorithm")
        }
        let cost = try KDFCost(opslimit: file.kdf.opslimit, memlimit: file.kdf.memlimit)
        guard let salt = Base64URL.decode(file.kdf.salt), salt.count == PasswordHash.saltSize,
              let nonce = Base64URL.decode(file.aead.nonce), nonce.count == Envelope.nonceSize,
              let ciphertext = Base64URL.decode(file.ciphertext)
        else { throw CryptoError.malformed("key file field encoding") }
        let wrapKey = try PasswordHash.derive(length: 32, password: passphrase, salt: salt, cost: cost)
        let ad = additionalData(type: expecting, publicKeyText: file.publicKey)
        let secret = try AEAD.decrypt(ciphertext, ad: ad, nonce: nonce, key: wrapKey)
        try checkPair(secret: secret, type: expecting, publicKeyText: file.publicKey)
        return (secret, file.publicKey)
    }

    /// Opens a team key file.
    public static func openTeamKey(_ json: [UInt8], passphrase: SecureBytes) throws(CryptoError) -> BoxSecretKey {
        try BoxSecretKey(secretBytes: open(json, passphrase: passphrase, expecting: .team).secret)
    }

    /// Opens a staff key file.
    public static func openStaffKey(_ json: [UInt8], passphrase: SecureBytes) throws(CryptoError) -> SigningSecretKey {
        try SigningSecretKey(seed: open(json, passphrase: passphrase, expecting: .staff).secret)
    }

    /// Opens a member key file.
    public static func openMemberKey(_ json: [UInt8], passphrase: SecureBytes) throws(CryptoError) -> MemberSecretKey {
        try MemberSecretKey(secretBytes: open(json, passphrase: passphrase, expecting: .member).secret)
    }

    /// The type named by a key file, read without the passphrase.
    public static func type(of json: [UInt8]) throws(CryptoError) -> KeyFileType {
        guard let type = KeyFileType(rawValue: try parse(json).type) else { throw CryptoError.malformed("key file type") }
        return type
    }

    /// The passphrase held in a passphrase file: its bytes with a single trailing
    /// newline removed (PROTOCOL §2).
    public static func passphrase(fromFileContents contents: [UInt8]) -> SecureBytes {
        let end = contents.last == UInt8(ascii: "\n") ? contents.count - 1 : contents.count
        return SecureBytes(copying: contents[..<end])
    }

    /// The public key text of a key file, read without the passphrase.
    public static func publicKeyText(of json: [UInt8]) throws(CryptoError) -> String {
        try parse(json).publicKey
    }

    private static func additionalData(type: KeyFileType, publicKeyText: String) -> [UInt8] {
        label("sealbox/v1/secret-key/") + Array(type.rawValue.utf8) + [UInt8(ascii: "/")] + Array(publicKeyText.utf8)
    }

    /// Throws `invalidKey` unless `secret` is 32 bytes (64 for a member) yielding the key in `publicKeyText`.
    private static func checkPair(secret: SecureBytes, type: KeyFileType, publicKeyText: String) throws(CryptoError) {
        guard secret.count == (type == .member ? 64 : 32) else { throw CryptoError.invalidKey }
        switch type {
        case .member:
            let expected = try MemberPublicKey(text: publicKeyText)
            guard try MemberSecretKey(secretBytes: secret).publicKey == expected else { throw CryptoError.invalidKey }
        case .team:
            let expected = try BoxPublicKey(teamText: publicKeyText)
            guard try BoxSecretKey(secretBytes: secret).publicKey == expected else { throw CryptoError.invalidKey }
        case .staff:
            let expected = try SigningPublicKey(text: publicKeyText)
            guard try SigningSecretKey(seed: secret).publicKey == expected else { throw CryptoError.invalidKey }
        }
    }

    private struct Head: Decodable {
        var format: String
        var version: Int
    }

    private struct Body: Decodable {
        struct KDF: Decodable {
            var algorithm: String
            var opslimit: UInt64
            var memlimit: Int
            var salt: String
        }
        struct AEADParameters: Decodable {
            var algorithm: String
            var nonce: String
        }
        var type: String
        var publicKey: String
        var kdf: KDF
        var aead: AEADParameters
        var ciphertext: String

        enum CodingKeys: String, CodingKey {
            case type, kdf, aead, ciphertext
            case publicKey = "public_key"
        }
    }

    private static func parse(_ json: [UInt8]) throws(CryptoError) -> Body {
        let data = Data(json)
        let decoder = JSONDecoder()
        guard let head = try? decoder.decode(Head.self, from: data), head.format == format else {
            throw CryptoError.malformed("not a sealbox secret key file")
        }
        guard head.version == 1 else { throw CryptoError.unsupportedVersion }
        guard let body = try? decoder.decode(Body.self, from: data) else {
            throw CryptoError.malformed("key file fields")
        }
        guard KeyFileType(rawValue: body.type) != nil else { throw CryptoError.malformed("key file type") }
        return body
    }
}
