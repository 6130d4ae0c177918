// Decrypting attachment blobs as they stream (PROTOCOL §4). Fails with
// authenticationFailed on any bad chunk, on bytes after the FINAL chunk, and
// (in finish) when the stream ended before a FINAL chunk. Once failed, it stays failed.
//
// A short last chunk cannot be told from an incomplete one by its length, so
// `update` decrypts only chunks that more bytes follow (which must be full MESSAGE
// chunks) and keeps the tail; `finish` authenticates the tail as the FINAL chunk
// and returns its plaintext. Every byte is authenticated once, however the blob is
// cut (trying the tail after each update would cost time quadratic in the chunk for
// a peer that sends a byte at a time).

/// Decrypts one attachment blob as it streams in. Use one per blob, from one task.
public final class AttachmentDecryptor {
    private enum Phase { case header, chunks(SecretStreamState), done, failed(CryptoError) }

    /// How the blob's file key is had: opened from the recipient block with a box key, or given.
    private enum Opener { case box(BoxSecretKey), fileKey(SecureBytes) }

    private let opener: Opener
    private let ad: [UInt8]?
    private var phase: Phase = .header
    private var pending: [UInt8] = []

    /// A decryptor for the blob of `attachmentID`, opened with `key`.
    /// A malformed id is reported by the first `update` or `finish`.
    public init(attachmentID: String, key: BoxSecretKey) {
        self.opener = .box(key)
        self.ad = try? AttachmentFormat.additionalData(for: attachmentID)
    }

    /// A decryptor for the blob of `attachmentID` whose 32-byte file key was opened
    /// elsewhere (by the unlock agent, `fileKey(header:keys:)`); the recipient block is
    /// skipped, the stream is authenticated as always.
    public init(attachmentID: String, fileKey: SecureBytes) {
        precondition(fileKey.count == 32)
        self.opener = .fileKey(fileKey)
        self.ad = try? AttachmentFormat.additionalData(for: attachmentID)
    }

    /// The most bytes of a blob's start the file key can need: magic, count and 8 recipients.
    public static let maximumHeaderLength = 4 + 1 + RecipientBlock.maximumCount * RecipientBlock.entrySize

    /// The file key of a blob, opened from its first bytes (`header`: at least the magic and
    /// the recipient block; more is ignored) with the first of `keys` it is sealed to.
    /// Throws `notSealedToThisKey` when none is a recipient, `authenticationFailed` when the
    /// sealed key does not open, `malformed` for a bad magic or count or too few bytes.
    public static func fileKey(header: [UInt8], keys: [BoxSecretKey]) throws(CryptoError) -> SecureBytes {
        guard header.count >= 4 else { throw CryptoError.malformed("blob header too short") }
        try checkMagic(header, AttachmentFormat.magic, what: "blob")
        guard let parsed = try RecipientBlock.parse(header, at: 4) else { throw CryptoError.malformed("blob header too short") }
        for key in keys where parsed.entries.contains(where: { $0.keyID == key.publicKey.keyID }) {
            return try RecipientBlock.openKey(parsed, with: key)
        }
        throw CryptoError.notSealedToThisKey
    }

    /// Decrypts a whole blob with its file key.
    public static func decrypt(blob: [UInt8], attachmentID: String, fileKey: SecureBytes) throws(CryptoError) -> [UInt8] {
        let decryptor = AttachmentDecryptor(attachmentID: attachmentID, fileKey: fileKey)
        var plaintext = try decryptor.update(blob)
        plaintext += try decryptor.finish()
        return plaintext
    }

    /// Absorbs ciphertext; returns the plaintext of every chunk authenticated so far (all
    /// but the last chunk, which `finish` returns).
    public func update(_ ciphertext: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        do {
            return try absorb(ciphertext)
        } catch {
            phase = .failed(error)
            pending = []
            throw error
        }
    }

    /// Absorbs ciphertext; returns the plaintext of every chunk authenticated so far.
    public func update(_ ciphertext: [UInt8]) throws(CryptoError) -> [UInt8] {
        try withRawBytes(ciphertext) { raw throws(CryptoError) in try update(raw) }
    }

    /// Authenticates the tail as the FINAL chunk and returns its plaintext; fails when the
    /// stream ended before a FINAL chunk or bytes follow it.
    public func finish() throws(CryptoError) -> [UInt8] {
        switch phase {
        case .done: return []
        case .failed(let error): throw error
        case .chunks(let state):
            if let ad, pending.count >= SecretStreamState.overhead, pending.count <= AttachmentFormat.sealedChunkSize,
               let (plaintext, tag) = state.pull(pending[...], ad: ad), tag == SecretStreamState.tagFinal {
                phase = .done
                pending = []
                return plaintext
            }
            fallthrough
        case .header:
            if ad == nil { phase = .failed(.malformed("attachment id must be 32 lowercase hex")) }
            else { phase = .failed(.authenticationFailed) }
            pending = []
            return try finish()
        }
    }

    /// Decrypts a whole blob.
    public static func decrypt(blob: [UInt8], attachmentID: String, key: BoxSecretKey) throws(CryptoError) -> [UInt8] {
        let decryptor = AttachmentDecryptor(attachmentID: attachmentID, key: key)
        var plaintext = try decryptor.update(blob)
        plaintext += try decryptor.finish()
        return plaintext
    }

    private func absorb(_ input: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        guard let ad else { throw CryptoError.malformed("attachment id must be 32 lowercase hex") }
        switch phase {
        case .failed(let error): throw error
        case .done:
            if input.count > 0 { throw CryptoError.authenticationFailed }
            return []
        case .header:
            pending += input
            guard let state = try openHeader() else { return [] }
            phase = .chunks(state)
            return try decryptChunks(state, ad: ad)
        case .chunks(let state):
            pending += input
            return try decryptChunks(state, ad: ad)
        }
    }

    /// Opens the header once enough bytes are pending; nil while more are needed.
    private func openHeader() throws(CryptoError) -> SecretStreamState? {
        if pending.count >= 4 { try checkMagic(pending, AttachmentFormat.magic, what: "blob") }
        guard let parsed = try RecipientBlock.parse(pending, at: 4) else { return nil }
        let end = parsed.end + SecretStreamState.headerSize
        guard pending.count >= end else { return nil }
        let fileKey: SecureBytes
        switch opener {
        case .box(let key): fileKey = try RecipientBlock.openKey(parsed, with: key)
        case .fileKey(let given): fileKey = given
        }
        let state = try SecretStreamState.pull(key: fileKey, header: Array(pending[parsed.end..<end]))
        pending.removeFirst(end)
        return state
    }

    private func decryptChunks(_ state: SecretStreamState, ad: [UInt8]) throws(CryptoError) -> [UInt8] {
        let full = AttachmentFormat.sealedChunkSize
        var out: [UInt8] = []
        var consumed = 0
        // Chunks followed by more bytes must be full MESSAGE chunks.
        while pending.count - consumed > full {
            guard let (plaintext, tag) = state.pull(pending[consumed..<(consumed + full)], ad: ad),
                  tag == SecretStreamState.tagMessage
            else { throw CryptoError.authenticationFailed }
            out += plaintext
            consumed += full
        }
        // The tail (at most one chunk) waits for more bytes or for `finish`.
        pending.removeFirst(consumed)
        return out
    }
}
