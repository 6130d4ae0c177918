// Opening one sealed attachment blob: the one path used by `sealbox show --attachments`
// (written to a file the user named) and by the desk (kept in memory, never written). The
// blob's file key comes from the keys of this process or from the unlock agent
// (`file-key`); the stream is decrypted and authenticated here. A blob sealed to no key
// held says `notSealedToThisKey`, one that fails authentication or has another size than
// its manifest announced says `authenticationFailed`, an agent that went away
// `internalFailure`.
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

enum AttachmentOpening {
    /// The plaintext of `blob`, the attachment `manifest` names.
    static func open(_ blob: [UInt8], manifest: AttachmentManifest, keyring: TeamKeyring) throws(CryptoError) -> [UInt8] {
        let fileKey = try keyring.access.attachmentFileKey(header: Array(blob.prefix(AttachmentDecryptor.maximumHeaderLength)))
        let plaintext = try AttachmentDecryptor.decrypt(blob: blob, attachmentID: manifest.id.text, fileKey: fileKey)
        guard plaintext.count == manifest.size else { throw CryptoError.authenticationFailed }
        return plaintext
    }
}
