// The one door through which the workstation reaches its secret keys (docs/WORKSTATION.md
// "Unlock once"): it opens envelopes and signs, and never hands a secret key to its caller.
// Two implementations: UnlockedKeys, the opened keys in this process (the desk's, and a
// command's without an agent), and AgentKeyAccess, the unlock agent over its socket.
import SealboxCore
import SealboxCrypto

/// Opening envelopes with the team's box keys, and signing with the member (or staff) key.
public protocol KeyAccess: Sendable {
    /// The key ids of the box keys at hand.
    var keyIDs: Set<KeyID> { get }
    /// The signer of the member (or staff) key, when one is at hand.
    var signer: (any MessageSigner)? { get }
    /// Opens `envelope` with the held key it is sealed to: `notSealedToThisKey` when none is
    /// held, `internalFailure` when the keys could not be reached (an agent that went away).
    func open(_ envelope: [UInt8]) throws(CryptoError) -> (kind: EnvelopeKind, plaintext: [UInt8])
    /// The file key of an attachment blob from its first bytes (`header`, at least
    /// `AttachmentDecryptor.maximumHeaderLength` of them or the whole blob): it opens that
    /// blob only. `notSealedToThisKey` when no held key is a recipient.
    func attachmentFileKey(header: [UInt8]) throws(CryptoError) -> SecureBytes
}

/// Opened secret keys in this process, in SecureBytes; `wipe()` clears them at once.
public struct UnlockedKeys: KeyAccess {
    /// The box keys: the team key, or the epoch and case keys the grants held.
    public let boxKeys: [BoxSecretKey]
    /// The staff key, or the signing half of the member key.
    public let signingKey: SigningSecretKey?

    public init(boxKeys: [BoxSecretKey], signingKey: SigningSecretKey?) {
        self.boxKeys = boxKeys
        self.signingKey = signingKey
    }

    public var keyIDs: Set<KeyID> { Set(boxKeys.map(\.publicKey.keyID)) }

    public var signer: (any MessageSigner)? { signingKey }

    /// The held key `ids` names, if any.
    public func key(for ids: [KeyID]) -> BoxSecretKey? {
        boxKeys.first { ids.contains($0.publicKey.keyID) }
    }

    public func open(_ envelope: [UInt8]) throws(CryptoError) -> (kind: EnvelopeKind, plaintext: [UInt8]) {
        try open(envelope, allowed: nil)
    }

    /// Opens `envelope` with a held key whose id is in `allowed` (every held key when nil).
    /// An envelope whose recipients cannot be read is tried with the first key, so that it
    /// fails as damaged rather than as foreign.
    public func open(_ envelope: [UInt8], allowed: Set<KeyID>?) throws(CryptoError) -> (kind: EnvelopeKind, plaintext: [UInt8]) {
        let usable = boxKeys.filter { allowed?.contains($0.publicKey.keyID) ?? true }
        let ids = (try? Envelope.recipients(of: envelope).keyIDs) ?? []
        guard let key = usable.first(where: { ids.contains($0.publicKey.keyID) }) ?? (ids.isEmpty ? usable.first : nil) else {
            throw CryptoError.notSealedToThisKey
        }
        return try Envelope.open(envelope, with: key)
    }

    public func attachmentFileKey(header: [UInt8]) throws(CryptoError) -> SecureBytes {
        try AttachmentDecryptor.fileKey(header: header, keys: boxKeys)
    }

    /// Overwrites every secret with zeros now (the SecureBytes also wipe on release, but a
    /// process that exits releases nothing).
    public func wipe() {
        for key in boxKeys { key.secret.withUnsafeMutableBytes { SecureMemory.wipe($0) } }
        signingKey?.seed.withUnsafeMutableBytes { SecureMemory.wipe($0) }
    }
}
