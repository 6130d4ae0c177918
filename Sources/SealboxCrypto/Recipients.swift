// The recipient block shared by envelopes and blobs (PROTOCOL §3, §4):
// count × (key_id 8 bytes || crypto_box_seal(key, recipient) 80 bytes), 1...8
// entries. Opening a sealed key fails only as authenticationFailed.

import CSodium

/// Sealing a 32-byte symmetric key to each recipient, and opening it again.
enum RecipientBlock {
    static let maximumCount = 8
    static let sealedKeySize = 32 + 48  // 32 + crypto_box_SEALBYTES
    static let entrySize = 8 + sealedKeySize  // 88

    /// `count || entries` for `recipients`, each sealing `key` (32 bytes).
    static func seal(_ key: SecureBytes, to recipients: [BoxPublicKey]) throws(CryptoError) -> [UInt8] {
        Sodium.initialize()
        guard (1...maximumCount).contains(recipients.count) else {
            throw CryptoError.malformed("recipient count must be 1...8")
        }
        guard Set(recipients).count == recipients.count else {
            throw CryptoError.malformed("duplicate recipient")
        }
        precondition(key.count == 32)
        var out: [UInt8] = [UInt8(recipients.count)]
        for recipient in recipients {
            out += recipient.keyID.bytes
            var rc: Int32 = 0
            let sealed = makeBytes(count: sealedKeySize) { c in
                rc = key.withBytePointer { m in crypto_box_seal(c, m, 32, recipient.bytes) }
            }
            guard rc == 0 else { throw CryptoError.invalidKey }
            out += sealed
        }
        return out
    }

    /// The parsed block: the key ids and sealed keys, and the offset just past it.
    struct Parsed {
        var entries: [(keyID: KeyID, sealed: ArraySlice<UInt8>)]
        var end: Int
    }

    /// Parses the block that starts with its count byte at `offset`.
    /// Returns nil when more bytes are needed; throws for a bad count.
    static func parse(_ bytes: [UInt8], at offset: Int) throws(CryptoError) -> Parsed? {
        guard bytes.count > offset else { return nil }
        let count = Int(bytes[offset])
        guard (1...maximumCount).contains(count) else { throw CryptoError.malformed("recipient count") }
        let end = offset + 1 + count * entrySize
        guard bytes.count >= end else { return nil }
        var entries: [(keyID: KeyID, sealed: ArraySlice<UInt8>)] = []
        for i in 0..<count {
            let start = offset + 1 + i * entrySize
            let id = try KeyID(bytes: Array(bytes[start..<(start + 8)]))
            entries.append((id, bytes[(start + 8)..<(start + entrySize)]))
        }
        return Parsed(entries: entries, end: end)
    }

    /// Opens the symmetric key sealed to `key` in `parsed`.
    static func openKey(_ parsed: Parsed, with key: BoxSecretKey) throws(CryptoError) -> SecureBytes {
        Sodium.initialize()
        let ours = key.publicKey.keyID
        guard let entry = parsed.entries.first(where: { $0.keyID == ours }) else {
            throw CryptoError.notSealedToThisKey
        }
        let sealed = Array(entry.sealed)
        precondition(sealed.count == sealedKeySize)
        let opened = SecureBytes(count: 32)
        let rc = opened.withMutableBytePointer { m in
            key.secret.withBytePointer { sk in
                crypto_box_seal_open(m, sealed, UInt64(sealed.count), key.publicKey.bytes, sk)
            }
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        return opened
    }
}
