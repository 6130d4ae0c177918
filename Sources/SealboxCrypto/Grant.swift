// Grants (docs/PROTOCOL.md §12.5): an epoch or case secret key sealed to one member's
// (or the recovery key's) X25519 key, with its scope label in front:
//   grant = crypto_box_seal(label || secret_key (32), recipient_public_key)
// Opening checks the label byte for byte (a grant for another epoch or case is refused)
// and returns the key pair; whether its public key is the one the roster announced is
// the caller's check (SealboxCore's GrantScope). Every failure is authenticationFailed.
import CSodium

/// Sealing a secret key to a recipient under a label, and opening it again.
public enum Grant {
    /// The sealed length of a grant with `labelCount` label bytes: 48 + label + 32.
    public static func sealedLength(labelCount: Int) -> Int { 48 + labelCount + 32 }

    /// `crypto_box_seal(label || secret, recipient)`.
    public static func seal(_ secret: BoxSecretKey, label: [UInt8], to recipient: BoxPublicKey) -> [UInt8] {
        Sodium.initialize()
        let message = SecureBytes(count: label.count + 32)
        message.withUnsafeMutableBytes { dst in
            UnsafeMutableRawBufferPointer(rebasing: dst[0..<label.count]).copyBytes(from: label)
            secret.secret.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: dst[label.count...]).copyMemory(from: $0) }
        }
        return makeBytes(count: sealedLength(labelCount: label.count)) { c in
            let rc = message.withBytePointer { m in crypto_box_seal(c, m, UInt64(message.count), recipient.bytes) }
            precondition(rc == 0, "crypto_box_seal")
        }
    }

    /// Opens `sealed` with `key`; refuses it unless it carries exactly `label`.
    public static func open(_ sealed: [UInt8], label: [UInt8], with key: BoxSecretKey) throws(CryptoError) -> BoxSecretKey {
        Sodium.initialize()
        guard sealed.count == sealedLength(labelCount: label.count) else { throw .authenticationFailed }
        let opened = SecureBytes(count: label.count + 32)
        let rc = opened.withMutableBytePointer { m in
            key.secret.withBytePointer { sk in
                crypto_box_seal_open(m, sealed, UInt64(sealed.count), key.publicKey.bytes, sk)
            }
        }
        guard rc == 0 else { throw .authenticationFailed }
        let labelMatches = opened.withUnsafeBytes { raw in
            constantTimeEquals(UnsafeRawBufferPointer(rebasing: raw[0..<label.count]), label)
        }
        guard labelMatches else { throw .authenticationFailed }
        let secret = SecureBytes(count: 32)
        opened.withUnsafeBytes { src in
            secret.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[label.count...])) }
        }
        return try BoxSecretKey(secretBytes: secret)
    }
}
