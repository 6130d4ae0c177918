// The one error type of SealboxCrypto (STYLE.md lesson 3).
//
// Every failure to open something sealed — a tampered byte, a wrong key after
// the key id matched, a wrong passphrase, a truncated stream — is the single
// case `authenticationFailed`; callers never learn which byte was wrong.
// `malformed` carries a fixed developer string and never any part of the input.

/// An error from SealboxCrypto.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Something sealed could not be opened: tampered, truncated, wrong key or wrong passphrase.
    case authenticationFailed
    /// An envelope or blob has no recipient entry carrying our key id.
    case notSealedToThisKey
    /// The structure of a format is wrong; the message is a fixed developer string, never input.
    case malformed(String)
    /// A key text, key length or key value is not acceptable.
    case invalidKey
    /// A format announces a version this build does not read.
    case unsupportedVersion
    /// libsodium reported an error that should not happen (for example out of memory).
    case internalFailure

    /// A short fixed description, safe to log.
    public var description: String {
        switch self {
        case .authenticationFailed: "authentication failed"
        case .notSealedToThisKey: "not sealed to this key"
        case .malformed(let what): "malformed: \(what)"
        case .invalidKey: "invalid key"
        case .unsupportedVersion: "unsupported version"
        case .internalFailure: "internal cryptographic failure"
        }
    }
}
