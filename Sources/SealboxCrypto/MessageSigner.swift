// Whatever makes Ed25519 signatures for a staff (or member) key: the secret key itself,
// in this process, or the unlock agent holding it in another (docs/WORKSTATION.md
// "Unlock once"). Callers sign through this protocol so that they never need the seed.

/// Signs messages with one Ed25519 key whose public half is `publicKey`.
public protocol MessageSigner: Sendable {
    /// The public key the signatures verify with.
    var publicKey: SigningPublicKey { get }
    /// The 64-byte detached signature of `message`; fails when the signer cannot sign
    /// (an agent that went away): `internalFailure`.
    func signature(for message: [UInt8]) throws(CryptoError) -> [UInt8]
}

extension SigningSecretKey: MessageSigner {}
