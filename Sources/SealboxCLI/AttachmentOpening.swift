// Opening one sealed attachment blob with the keys of this process: the one path used by
// `sealbox show --attachments` (written to a file the user named) and by the desk (kept
// in memory, never written). Every team key held is tried; a blob that opens with none
// says `notSealedToThisKey`, one that fails authentication or has another size than its
// manifest announced says `authenticationFailed`.
import SealboxCore
import SealboxCrypto

enum AttachmentOpening {
    /// The plaintext of `blob`, the attachment `manifest` names.
    static func open(_ blob: [UInt8], manifest: AttachmentManifest, keyring: TeamKeyring) throws(CryptoError) -> [UInt8] {
        var outcome: CryptoError = .notSealedToThisKey
        for key in keyring.inProcessKeys where outcome == .notSealedToThisKey {
            do throws(CryptoError) {
                let plaintext = try AttachmentDecryptor.decrypt(blob: blob, attachmentID: manifest.id.text, key: key)
                guard plaintext.count == manifest.size else { throw CryptoError.authenticationFailed }
                return plaintext
            } catch {
                outcome = error
            }
        }
        throw outcome
    }
}
