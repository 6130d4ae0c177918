// Fuzzes the attachment-stream decoder (PROTOCOL §4). The first byte chooses how the rest
// is cut into updates (0: at once, else that many bytes per update, KiB for blobs over 8 KiB);
// the rest is a blob for the attachment id of the test vectors, opened with their team key.
// Whatever the cut, the result must be the same. A first byte 0xFF instead encrypts the rest
// (repeated to a size the second byte chooses, up to 255 KiB, so that several chunks appear)
// and decrypts it.
import FuzzSupport
import SealboxCrypto

// State lives in an enum: main.swift's top-level variables belong to the main actor.
enum Fixture {
    /// The team secret key and attachment id of Tests/SealboxCryptoTests/Vectors/attachment.json.
    static let key = try! BoxSecretKey(secretBytes: SecureBytes(copying: Hex.decode(
        "dc94548a7d4369db05c631a98532b4e291d5c98de954594d3ff3150c92648c17")!))
    static let attachmentID = "0123456789abcdef0123456789abcdef"
}

/// The plaintext of `blob` fed in updates of `step` bytes, or nil when it fails.
func decrypt(_ blob: ArraySlice<UInt8>, step: Int) -> [UInt8]? {
    let decryptor = AttachmentDecryptor(attachmentID: Fixture.attachmentID, key: Fixture.key)
    var plaintext: [UInt8] = []
    var failed = false
    var start = blob.startIndex
    repeat {
        let end = min(blob.endIndex, start + step)
        do {
            plaintext += try decryptor.update(Array(blob[start..<end]))
        } catch {
            failed = true
        }
        start = end
    } while start < blob.endIndex && !failed
    if failed {
        // Once failed, it stays failed.
        precondition((try? decryptor.update([0])) == nil && (try? decryptor.finish()) == nil, "recovered")
        return nil
    }
    guard let tail = try? decryptor.finish() else { return nil }
    plaintext += tail
    precondition((try? decryptor.update([UInt8]())) == [], "empty update after the end")
    return plaintext
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAttachment(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let rest = Array(bytes.dropFirst())
    if first == 0xFF {
        let target = Int(rest.first ?? 0) * 1024
        var plaintext = Array(rest.dropFirst())
        while !plaintext.isEmpty && plaintext.count < target { plaintext += plaintext }
        let blob = try! AttachmentEncryptor.encrypt(plaintext, attachmentID: Fixture.attachmentID, recipients: [Fixture.key.publicKey])
        precondition(blob.count == AttachmentEncryptor.sealedSize(plaintextSize: plaintext.count, recipientCount: 1))
        precondition(decrypt(blob[...], step: blob.count) == plaintext, "round trip")
        precondition(decrypt(blob[...], step: 10_000) == plaintext, "round trip in pieces")
        return 0
    }
    let whole = decrypt(rest[...], step: max(rest.count, 1))
    if let whole { precondition(whole.count < rest.count, "plaintext longer than its blob") }
    if first != 0 {
        // Each byte is authenticated once however the blob is cut, but a byte at a time is
        // still slow under the sanitizers: big blobs get big pieces.
        let step = rest.count <= 8192 ? Int(first) : Int(first) * 1024
        precondition(decrypt(rest[...], step: step) == whole, "result depends on how the blob is cut")
    }
    return 0
}

runFuzzer(fuzzAttachment)
