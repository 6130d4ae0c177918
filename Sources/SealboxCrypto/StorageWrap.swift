// The storage layer of the daemon (docs/PROTOCOL.md §10.4): every item envelope and
// attachment blob the daemon stores is wrapped once more with its case's storage key, so
// that destroying the key (deleting the case) makes every copy of those rows unreadable,
// in the database, its WAL and every backup of it (crypto-shredding, TEAM.md §9).
//
//   item:       nonce(24) || crypto_aead_xchacha20poly1305_ietf_encrypt(
//                   envelope, ad = "sealbox/v2/storage/" || item id, nonce, key)
//   attachment: secretstream header(24) || chunks, crypto_secretstream_xchacha20poly1305
//               with the storage key; chunks of 65536 plaintext bytes, every one but the
//               last tagged MESSAGE and full, the last (0...65536 bytes) tagged FINAL;
//               every chunk with ad = "sealbox/v2/storage-blob/" || attachment id.
//
// The wrap hides nothing from the team (the envelope inside is sealed to them already); it
// exists so that the key, kept apart from the database in the key store, can be destroyed.
// Every failure to unwrap is the one `authenticationFailed`.

import CSodium

/// A case's storage key: 32 random bytes in secure memory, wiped on release, never printed.
public final class StorageKey: Sendable, CustomStringConvertible {
    public static let size = 32
    let bytes: SecureBytes

    /// A new random key.
    public static func generate() -> StorageKey {
        Sodium.initialize()
        return StorageKey(secure: SecureBytes.random(count: size))
    }

    /// A key from its stored bytes (the key store); throws `invalidKey` unless 32 bytes.
    public convenience init(copying raw: UnsafeRawBufferPointer) throws(CryptoError) {
        guard raw.count == Self.size else { throw CryptoError.invalidKey }
        self.init(secure: SecureBytes(copying: raw))
    }

    init(secure: SecureBytes) {
        precondition(secure.count == Self.size)
        self.bytes = secure
    }

    /// Calls `body` with the key's bytes (to store them); the pointer must not escape.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try bytes.withUnsafeBytes(body)
    }

    /// Constant-time comparison.
    public func isEqual(to other: StorageKey) -> Bool { bytes == other.bytes }

    public var description: String { "StorageKey(32 bytes)" }
}

/// Wrapping and unwrapping of stored items and blobs with a case's storage key.
public enum StorageWrap {
    public static let nonceSize = Int(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)  // 24
    public static let tagSize = Int(crypto_aead_xchacha20poly1305_ietf_ABYTES)  // 16
    /// Bytes a wrapped item has more than its envelope.
    public static let itemOverhead = nonceSize + tagSize
    static let chunkSize = 65536
    static let itemLabel = label("sealbox/v2/storage/")
    static let blobLabel = label("sealbox/v2/storage-blob/")

    static func itemAD(_ itemID: String) throws(CryptoError) -> [UInt8] {
        guard Random.isIdentifier(itemID) else { throw CryptoError.malformed("item id must be 32 lowercase hex") }
        return itemLabel + Array(itemID.utf8)
    }

    static func blobAD(_ attachmentID: String) throws(CryptoError) -> [UInt8] {
        guard Random.isIdentifier(attachmentID) else { throw CryptoError.malformed("attachment id must be 32 lowercase hex") }
        return blobLabel + Array(attachmentID.utf8)
    }

    /// `nonce(24) || AEAD(envelope, ad = "sealbox/v2/storage/" || itemID, nonce, key)` with a random nonce.
    public static func wrapItem(_ envelope: [UInt8], itemID: String, key: StorageKey) throws(CryptoError) -> [UInt8] {
        try wrapItem(envelope, itemID: itemID, key: key, nonce: Random.bytes(nonceSize))
    }

    /// `wrapItem` with a given nonce (for test vectors).
    public static func wrapItem(_ envelope: [UInt8], itemID: String, key: StorageKey, nonce: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard nonce.count == nonceSize else { throw CryptoError.malformed("storage nonce must be 24 bytes") }
        let ad = try itemAD(itemID)
        var rc: Int32 = 0
        let sealed = makeBytes(count: envelope.count + tagSize) { c in
            rc = key.bytes.withBytePointer { k in
                withCBytes(envelope) { m, mlen in
                    withCBytes(ad) { a, alen in
                        crypto_aead_xchacha20poly1305_ietf_encrypt(c, nil, m, UInt64(mlen), a, UInt64(alen), nil, nonce, k)
                    }
                }
            }
        }
        try check(rc)
        return nonce + sealed
    }

    /// The envelope inside a wrapped item; `authenticationFailed` for a wrong key, another
    /// item's id, or any changed byte.
    public static func unwrapItem(_ stored: [UInt8], itemID: String, key: StorageKey) throws(CryptoError) -> [UInt8] {
        let ad = try itemAD(itemID)
        guard stored.count >= itemOverhead else { throw CryptoError.authenticationFailed }
        var rc: Int32 = -1
        let envelope = stored.withUnsafeBytes { raw in
            let nonce = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let sealed = nonce + nonceSize
            return makeBytes(count: stored.count - itemOverhead) { m in
                rc = key.bytes.withBytePointer { k in
                    withCBytes(ad) { a, alen in
                        crypto_aead_xchacha20poly1305_ietf_decrypt(
                            m, nil, nil, sealed, UInt64(stored.count - nonceSize), a, UInt64(alen), nonce, k)
                    }
                }
            }
        }
        guard rc == 0 else { throw CryptoError.authenticationFailed }
        return envelope
    }

    /// The size of a wrapped blob of `size` bytes.
    public static func wrappedBlobSize(_ size: Int) -> Int {
        let chunks = max(1, (size + chunkSize - 1) / chunkSize)
        return SecretStreamState.headerSize + size + chunks * SecretStreamState.overhead
    }

    /// The blob inside a wrapped blob; `authenticationFailed` for a wrong key, another
    /// attachment's id, a changed, missing, reordered or added chunk.
    public static func unwrapBlob(_ stored: [UInt8], attachmentID: String, key: StorageKey) throws(CryptoError) -> [UInt8] {
        let ad = try blobAD(attachmentID)
        let header = SecretStreamState.headerSize
        guard stored.count >= header + SecretStreamState.overhead else { throw CryptoError.authenticationFailed }
        let state = try SecretStreamState.pull(key: key.bytes, header: Array(stored[0..<header]))
        defer { state.wipe() }
        var out: [UInt8] = []
        out.reserveCapacity(stored.count - header)
        var offset = header
        let sealedChunk = chunkSize + SecretStreamState.overhead
        while offset < stored.count {
            let end = min(stored.count, offset + sealedChunk)
            guard let (plain, tag) = state.pull(stored[offset..<end], ad: ad) else { throw CryptoError.authenticationFailed }
            out += plain
            offset = end
            let last = offset == stored.count
            // A FINAL chunk ends the blob; a MESSAGE chunk is full and more follows.
            if tag == SecretStreamState.tagFinal { guard last else { throw CryptoError.authenticationFailed } }
            else if tag != SecretStreamState.tagMessage || last || plain.count != chunkSize {
                throw CryptoError.authenticationFailed
            }
        }
        return out
    }
}

/// Wraps one blob while it is read, chunk by chunk, so that memory stays bounded by one
/// chunk besides the output (docs/PROTOCOL.md §10.4). Use one per blob, from one task.
public final class StorageBlobWrapper {
    /// The secretstream header: the wrapped blob's first 24 bytes.
    public let header: [UInt8]
    private let state: SecretStreamState
    private let ad: [UInt8]
    private var pending: [UInt8] = []
    private var finished = false

    public init(attachmentID: String, key: StorageKey) throws(CryptoError) {
        Sodium.initialize()
        ad = try StorageWrap.blobAD(attachmentID)
        (state, header) = try SecretStreamState.push(key: key.bytes)
    }

    /// Absorbs bytes of the blob; returns every chunk completed so far (may be empty).
    public func update(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard !finished else { throw CryptoError.malformed("storage stream already finished") }
        pending += bytes
        var out: [UInt8] = []
        // A full chunk is pushed only once more bytes follow it (the last chunk is FINAL).
        while pending.count > StorageWrap.chunkSize {
            out += try push(count: StorageWrap.chunkSize, tag: SecretStreamState.tagMessage)
        }
        return out
    }

    /// Pushes the FINAL chunk and wipes the state.
    public func finish() throws(CryptoError) -> [UInt8] {
        guard !finished else { throw CryptoError.malformed("storage stream already finished") }
        let out = try push(count: pending.count, tag: SecretStreamState.tagFinal)
        finished = true
        state.wipe()
        return out
    }

    private func push(count: Int, tag: UInt8) throws(CryptoError) -> [UInt8] {
        // libsodium wants a valid pointer even for an empty FINAL chunk.
        let result: Result<[UInt8], CryptoError> = (count == 0 ? [0] : pending).withUnsafeBufferPointer { p in
            do throws(CryptoError) {
                return .success(try state.push(p.baseAddress!, count: count, ad: ad, tag: tag))
            } catch {
                return .failure(error)
            }
        }
        pending.removeFirst(count)
        return try result.get()
    }

    /// Wraps a whole blob at once (tests, small blobs).
    public static func wrap(_ blob: [UInt8], attachmentID: String, key: StorageKey) throws(CryptoError) -> [UInt8] {
        let wrapper = try StorageBlobWrapper(attachmentID: attachmentID, key: key)
        return try wrapper.header + wrapper.update(blob) + wrapper.finish()
    }
}
