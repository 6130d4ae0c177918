import SealboxCrypto
import Testing

@Suite("Attachment streams")
struct AttachmentTests {
    let team = BoxSecretKey.generate()
    let id = Random.identifier()

    private func encrypt(_ plaintext: [UInt8], pieces: Int = 1) throws -> (header: [UInt8], body: [UInt8]) {
        let encryptor = try AttachmentEncryptor(attachmentID: id, recipients: [team.publicKey])
        var body: [UInt8] = []
        let step = max(1, plaintext.count / pieces)
        var offset = 0
        while offset < plaintext.count {
            let end = min(plaintext.count, offset + step)
            body += try encryptor.update(Array(plaintext[offset..<end]))
            offset = end
        }
        body += try encryptor.finish()
        return (encryptor.header, body)
    }

    @Test("a file round-trips and the blob has the predicted size",
          arguments: [0, 1, 65535, 65536, 65537, 131072, 200_000])
    func roundTrip(_ size: Int) throws {
        let plaintext = Random.bytes(size)
        let (header, body) = try encrypt(plaintext, pieces: 5)
        let blob = header + body
        #expect(blob.count == AttachmentEncryptor.sealedSize(plaintextSize: size, recipientCount: 1))
        #expect(try AttachmentDecryptor.decrypt(blob: blob, attachmentID: id, key: team) == plaintext)
    }

    @Test("an empty file is one FINAL chunk of 17 bytes")
    func emptyFile() throws {
        let (header, body) = try encrypt([])
        #expect(header.count == 4 + 1 + 88 + 24)
        #expect(body.count == 17)
    }

    @Test("the encryptor emits only completed chunks while streaming")
    func emitsCompletedChunks() throws {
        let encryptor = try AttachmentEncryptor(attachmentID: id, recipients: [team.publicKey])
        #expect(try encryptor.update(Random.bytes(65536)).isEmpty)
        #expect(try encryptor.update(Random.bytes(1)).count == 65536 + 17)
        #expect(try encryptor.finish().count == 1 + 17)
        #expect(throws: CryptoError.self) { try encryptor.update([1]) }
    }

    @Test("the decryptor returns plaintext as chunks complete, whatever the piece size")
    func streamingDecryption() throws {
        let plaintext = Random.bytes(150_000)
        let blob = try AttachmentEncryptor.encrypt(plaintext, attachmentID: id, recipients: [team.publicKey])
        // A byte at a time too: each byte is authenticated once, not once per update.
        for piece in [1, 1000, 4096, 65553, 100_000] {
            let decryptor = AttachmentDecryptor(attachmentID: id, key: team)
            var out: [UInt8] = []
            var offset = 0
            while offset < blob.count {
                let end = min(blob.count, offset + piece)
                out += try blob[offset..<end].withUnsafeBytes { try decryptor.update($0) }
                offset = end
            }
            out += try decryptor.finish()
            #expect(out == plaintext, "piece size \(piece)")
        }
    }

    @Test("a blob under another attachment id fails authentication")
    func wrongAttachmentID() throws {
        let blob = try AttachmentEncryptor.encrypt([1, 2, 3], attachmentID: id, recipients: [team.publicKey])
        #expect(throws: CryptoError.authenticationFailed) {
            try AttachmentDecryptor.decrypt(blob: blob, attachmentID: Random.identifier(), key: team)
        }
    }

    @Test("a malformed attachment id is refused on both sides")
    func malformedAttachmentID() throws {
        #expect(throws: CryptoError.self) { try AttachmentEncryptor(attachmentID: "12", recipients: [team.publicKey]) }
        #expect(throws: CryptoError.self) {
            try AttachmentEncryptor(attachmentID: id.uppercased() == id ? "X" : id.uppercased(), recipients: [team.publicKey])
        }
        #expect(throws: CryptoError.self) { try AttachmentDecryptor.decrypt(blob: [], attachmentID: "../x", key: team) }
    }

    @Test("a key that is not a recipient gets notSealedToThisKey")
    func wrongKey() throws {
        let blob = try AttachmentEncryptor.encrypt([1], attachmentID: id, recipients: [team.publicKey])
        #expect(throws: CryptoError.notSealedToThisKey) {
            try AttachmentDecryptor.decrypt(blob: blob, attachmentID: id, key: BoxSecretKey.generate())
        }
    }

    @Test("truncation anywhere fails authentication")
    func truncation() throws {
        let blob = try AttachmentEncryptor.encrypt(Random.bytes(70_000), attachmentID: id, recipients: [team.publicKey])
        let headerSize = 4 + 1 + 88 + 24
        for length in [headerSize, headerSize + 16, headerSize + 65553, blob.count - 1] {
            #expect(throws: CryptoError.authenticationFailed, "length \(length)") {
                try AttachmentDecryptor.decrypt(blob: Array(blob.prefix(length)), attachmentID: id, key: team)
            }
        }
        #expect(throws: CryptoError.self) {
            try AttachmentDecryptor.decrypt(blob: Array(blob.prefix(50)), attachmentID: id, key: team)
        }
    }

    @Test("bytes after the FINAL chunk fail authentication, also when they arrive later")
    func trailingBytes() throws {
        let blob = try AttachmentEncryptor.encrypt([1, 2, 3], attachmentID: id, recipients: [team.publicKey])
        #expect(throws: CryptoError.authenticationFailed) {
            try AttachmentDecryptor.decrypt(blob: blob + [0], attachmentID: id, key: team)
        }
        // The last chunk waits for `finish`, which authenticates it as FINAL.
        let complete = AttachmentDecryptor(attachmentID: id, key: team)
        #expect(try complete.update(blob) == [])
        #expect(try complete.finish() == [1, 2, 3])
        let decryptor = AttachmentDecryptor(attachmentID: id, key: team)
        #expect(try decryptor.update(blob) == [])
        _ = try decryptor.update([0])
        #expect(throws: CryptoError.authenticationFailed) { try decryptor.finish() }
        #expect(throws: CryptoError.authenticationFailed) { try decryptor.update([]) }
    }

    @Test("reordered chunks fail authentication")
    func reorderedChunks() throws {
        let (header, body) = try encrypt(Random.bytes(65536 * 2 + 10))
        let c = 65553
        let swapped = header + Array(body[c..<(2 * c)]) + Array(body[0..<c]) + Array(body[(2 * c)...])
        #expect(throws: CryptoError.authenticationFailed) {
            try AttachmentDecryptor.decrypt(blob: swapped, attachmentID: id, key: team)
        }
    }

    @Test("a flipped bit in any region fails")
    func tampering() throws {
        let blob = try AttachmentEncryptor.encrypt(Random.bytes(100), attachmentID: id, recipients: [team.publicKey])
        for offset in [0, 4, 5, 13, 14, 60, 93, 94, 110, 117, 118, 150, blob.count - 1] {
            var tampered = blob
            tampered[offset] ^= 0x02
            #expect(throws: CryptoError.self, "offset \(offset)") {
                try AttachmentDecryptor.decrypt(blob: tampered, attachmentID: id, key: team)
            }
        }
    }

    @Test("after a failure the decryptor keeps failing")
    func failureIsSticky() throws {
        var blob = try AttachmentEncryptor.encrypt([1, 2, 3], attachmentID: id, recipients: [team.publicKey])
        blob[0] = 0
        let decryptor = AttachmentDecryptor(attachmentID: id, key: team)
        #expect(throws: CryptoError.self) { try decryptor.update(blob) }
        #expect(throws: CryptoError.self) { try decryptor.update([]) }
        #expect(throws: CryptoError.self) { try decryptor.finish() }
    }
}
