// The SHA-256 fingerprint of a server certificate, as `server_certificate_sha256` pins it
// (docs/WORKSTATION.md). It is the hash of the certificate's DER bytes, the value that
// `openssl x509 -noout -fingerprint -sha256` prints; it is parsed once, where the
// setting is read, and a malformed one is refused there with a message that shows
// how it should look.
import Foundation
import SealboxCrypto

/// The SHA-256 of a certificate's DER encoding.
public struct CertificateFingerprint: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the hash.
    public let bytes: [UInt8]

    /// The fingerprint of the certificate whose DER encoding is `der`.
    public init(certificateDER der: some Collection<UInt8>) {
        bytes = Hash.sha256(der)
    }

    /// Parses the text forms people copy: 64 hexadecimal digits, in either case, optionally
    /// in pairs separated by colons or spaces (`AB:CD:…`), optionally after the prefix that
    /// openssl prints (`sha256 Fingerprint=`) or `SHA256:`.
    public init(text: String) throws(CertificateFingerprintError) {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        for prefix in ["sha256 fingerprint=", "sha2-256:", "sha-256:", "sha256:"]
        where rest.lowercased().hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            break
        }
        var digits: [UInt8] = []
        for character in rest.utf8 {
            switch character {
            case UInt8(ascii: ":"), UInt8(ascii: " "): continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                 UInt8(ascii: "A")...UInt8(ascii: "F"):
                digits.append(character)
            default:
                throw .notHexadecimal
            }
        }
        guard digits.count == 64 else { throw .wrongLength(digits: digits.count) }
        guard let decoded = Hex.decode(String(decoding: digits, as: UTF8.self)), decoded.count == 32 else {
            throw .notHexadecimal
        }
        bytes = decoded
    }

    /// Upper-case hexadecimal pairs separated by colons, as openssl prints them.
    public var description: String {
        bytes.map { Hex.encode([$0]).uppercased() }.joined(separator: ":")
    }
}

/// Why a text is not a certificate fingerprint.
public enum CertificateFingerprintError: Error, Equatable, Sendable {
    /// A character other than a hexadecimal digit, a colon or a space.
    case notHexadecimal
    /// Hexadecimal, but not the 64 digits of a SHA-256.
    case wrongLength(digits: Int)

    /// The message for the setting `name`, without repeating the value.
    func message(setting name: String) -> CLIError {
        let what = switch self {
        case .notHexadecimal: "holds characters that are not hexadecimal digits"
        case .wrongLength(let digits): "has \(digits) hexadecimal digits, not the 64 of a SHA-256"
        }
        return CLIError(
            "\(name) \(what)",
            hint: "give the SHA-256 fingerprint of the server's certificate as the administrator reads it with "
                + "`openssl x509 -noout -fingerprint -sha256 -in CERTIFICATE`, for example "
                + "\"AB:12:…\" (32 pairs of digits 0-9 and A-F)",
            status: .usage)
    }
}
