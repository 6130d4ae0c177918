// Attachment blobs (PROTOCOL §4):
//   "SBA1" || count || recipients || secretstream header(24) || chunks
// Chunks hold 65536 plaintext bytes; all but the last are full and tagged
// MESSAGE, the last holds 0...65536 bytes and is tagged FINAL. Every chunk has
// ad = "sealbox/v1/attachment/" || id. The encryptor emits a full chunk only
// once it knows more bytes follow, so a file of exactly 64 KiB is one FINAL chunk.

import CSodium

/// Constants and checks shared by the attachment encryptor and decryptor.
enum AttachmentFormat {
    static let magic: [UInt8] = Array("SBA1".utf8)
    static let chunkSize = 65536
    static let sealedChunkSize = chunkSize + SecretStreamState.overhead  // 65553

    /// The additional data for attachment `id`; throws for an id that is not 32 lowercase hex.
    static func additionalData(for id: String) throws(CryptoError) -> [UInt8] {
        guard Random.isIdentifier(id) else { throw CryptoError.malformed("attachment id must be 32 lowercase hex") }
        return label("sealbox/v1/attachment/") + Array(id.utf8)
    }
}

/// The recipient block of a blob (PROTOCOL §4) sealing `fileKey` to `recipients`; it
/// starts at byte 4 of the blob and is 1 + 88 × count bytes long.
public func attachmentRecipientBlock(fileKey: SecureBytes, to recipients: [BoxPublicKey]) throws(CryptoError) -> [UInt8] {
    try RecipientBlock.seal(fileKey, to: recipients)
}

/// Encrypts one attachment while it streams in. Use one per file, from one task.
public final class AttachmentEncryptor {
    /// The blob's beginning, magic through secretstream header: write it first.
    public let header: [UInt8]

    private let state: SecretStreamState
    private let ad: [UInt8]
    /// The file key, kept until the blob is committed so that its recipients can be
    /// sealed again (`recipientBlock(to:)`) once the daemon knows the blob's case.
    public let fileKey: SecureBytes
    private let buffer = SecureBytes(count: AttachmentFormat.chunkSize)
    private var buffered = 0
    private var finished = false

    /// Starts a blob for `attachmentID` (32 lowercase hex) sealed to 1...8 `recipients`.
    public init(attachmentID: String, recipients: [BoxPublicKey]) throws(CryptoError) {
        Sodium.initialize()
        self.ad = try AttachmentFormat.additionalData(for: attachmentID)
        let fileKey = SecureBytes.random(count: SecretStreamState.keySize)
        let block = try RecipientBlock.seal(fileKey, to: recipients)
        let (state, streamHeader) = try SecretStreamState.push(key: fileKey)
        self.fileKey = fileKey
        self.state = state
        self.header = AttachmentFormat.magic + block + streamHeader
    }

    /// Absorbs plaintext; returns the ciphertext of every chunk completed so far (may be empty).
    public func update(_ plaintext: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        guard !finished else { throw CryptoError.malformed("attachment stream already finished") }
        var out: [UInt8] = []
        var offset = 0
        while offset < plaintext.count {
            if buffered == AttachmentFormat.chunkSize {
                out += try pushBuffer(tag: SecretStreamState.tagMessage)
            }
            let n = min(plaintext.count - offset, AttachmentFormat.chunkSize - buffered)
            buffer.withUnsafeMutableBytes { dst in
                UnsafeMutableRawBufferPointer(rebasing: dst[buffered..<(buffered + n)])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: plaintext[offset..<(offset + n)]))
            }
            buffered += n
            offset += n
        }
        return out
    }

    /// Absorbs plaintext; returns the ciphertext of every chunk completed so far (may be empty).
    public func update(_ plaintext: [UInt8]) throws(CryptoError) -> [UInt8] {
        try withRawBytes(plaintext) { raw throws(CryptoError) in try update(raw) }
    }

    /// Emits the FINAL chunk and wipes the stream state and buffer.
    public func finish() throws(CryptoError) -> [UInt8] {
        guard !finished else { throw CryptoError.malformed("attachment stream already finished") }
        let out = try pushBuffer(tag: SecretStreamState.tagFinal)
        finished = true
        state.wipe()
        buffer.withUnsafeMutableBytes { raw in for i in raw.indices { raw[i] = 0 } }
        return out
    }

    private func pushBuffer(tag: UInt8) throws(CryptoError) -> [UInt8] {
        let count = buffered
        buffered = 0
        return try buffer.withBytePointer { p throws(CryptoError) in
            try state.push(p, count: count, ad: ad, tag: tag)
        }
    }

    /// The size of the blob for a file of `plaintextSize` bytes and `recipientCount` recipients.
    public static func sealedSize(plaintextSize: Int, recipientCount: Int) -> Int {
        let chunks = max(1, (plaintextSize + AttachmentFormat.chunkSize - 1) / AttachmentFormat.chunkSize)
        return 4 + 1 + recipientCount * RecipientBlock.entrySize + SecretStreamState.headerSize
            + plaintextSize + chunks * SecretStreamState.overhead
    }

    /// Encrypts a whole file at once (for tests and small files).
    public static func encrypt(_ plaintext: [UInt8], attachmentID: String, recipients: [BoxPublicKey]) throws(CryptoError) -> [UInt8] {
        let encryptor = try AttachmentEncryptor(attachmentID: attachmentID, recipients: recipients)
        var out = encryptor.header
        out += try encryptor.update(plaintext)
        out += try encryptor.finish()
        return out
    }
}
