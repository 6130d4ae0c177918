// Why an exchange with the server ended before an answer, in the CLI's one voice
// (STYLE.md lesson 11, issue 9): a refused connection, a timeout, an unknown host, a
// certificate from an authority this computer does not trust, an expired certificate,
// one made out for another name, and a certificate that is not the pinned one are
// different problems with different remedies, so each has its own message and hint.
// Every one ends sealbox with exit status 4 (server).
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// What went wrong on the way to the server.
enum ConnectionFailure: Equatable, Sendable {
    case refused
    case timedOut
    case unknownHost
    /// The connection broke off before the answer was complete.
    case closed
    /// Bytes came back, but not HTTP.
    case notHTTP
    /// An https:// address whose server does not speak TLS.
    case notTLS
    /// The server's certificate chain did not verify; the probe tells why.
    case certificateRefused
    /// The certificate is not made out for the host name of the address.
    case nameMismatch
    /// The certificate is not the one `server_certificate_sha256` names.
    case pinMismatch(expected: CertificateFingerprint, presented: CertificateFingerprint?)
    /// Another TLS failure, with swift-nio-ssl's words.
    case tls(String)
    case other(String)

    /// Sorts an error of AsyncHTTPClient, SwiftNIO or swift-nio-ssl.
    init(_ error: any Error) {
        switch error {
        case let mismatch as PinnedCertificateMismatch:
            self = .pinMismatch(expected: mismatch.expected, presented: mismatch.presented)
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                self = .timedOut
            case .remoteConnectionClosed, .cancelled, .bodyLengthMismatch:
                self = .closed
            default:
                self = .other(String(describing: error))
            }
        case let error as NIOSSLExtraError
            where error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch:
            self = .nameMismatch
        case let error as NIOSSLError:
            self = Self.sorting(error)
        case let error as NIOConnectionError:
            if error.connectionErrors.contains(where: { Self.isRefusal($0.error) }) {
                self = .refused
            } else if error.connectionErrors.contains(where: { Self.isTimeout($0.error) }) {
                self = .timedOut
            } else if error.connectionErrors.isEmpty {
                self = .unknownHost
            } else {
                self = .other(String(describing: error.connectionErrors.first!.error))
            }
        case is SocketAddressError:
            self = .unknownHost
        case is HTTPParserError, is MalformedAnswer:
            self = .notHTTP
        default:
            if Self.isRefusal(error) {
                self = .refused
            } else if Self.isTimeout(error) {
                self = .timedOut
            } else {
                self = .other(String(describing: error))
            }
        }
    }

    private static func sorting(_ error: NIOSSLError) -> ConnectionFailure {
        switch error {
        case .handshakeFailed(let reason):
            let text = String(describing: reason)
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return .certificateRefused }
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("PACKET_LENGTH")
                || text.contains("RECORD_LENGTH") {
                return .notTLS
            }
            return .tls(text)
        case .uncleanShutdown:
            return .closed
        default:
            return .tls(String(describing: error))
        }
    }

    private static func isRefusal(_ error: any Error) -> Bool {
        (error as? IOError)?.errnoCode == ECONNREFUSED
    }

    private static func isTimeout(_ error: any Error) -> Bool {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError { return true }
        return (error as? IOError)?.errnoCode == ETIMEDOUT
    }

    /// Whether the probe of the server's certificate can say more.
    var concernsTheCertificate: Bool {
        switch self {
        case .certificateRefused, .nameMismatch: true
        default: false
        }
    }
}

extension ConnectionFailure {
    /// The message for a failure talking to `server` (as shown), whose host name is `host`;
    /// `presented` is the server's certificate as the probe saw it, when it did.
    func error(server: String, host: String, timeout: TimeInterval, presented: PresentedCertificate?,
               now: Date = Date()) -> CLIError {
        let addressHint = "check that sealboxd is running and that the address is right "
            + "(--server, SEALBOX_SERVER or \"server\" in the settings file)"
        switch self {
        case .refused:
            return CLIError("cannot reach the server at \(server) (connection refused)", hint: addressHint, status: .server)
        case .timedOut:
            return CLIError("the server at \(server) gave no answer within \(Int(timeout)) seconds",
                            hint: "check this computer's network connection and the address; if both are right, "
                                + "the server may be overloaded: try again later", status: .server)
        case .unknownHost:
            return CLIError("cannot find the server \(host) (unknown host name)",
                            hint: "check the address (--server, SEALBOX_SERVER or \"server\" in the settings file) "
                                + "and this computer's network connection", status: .server)
        case .closed:
            return CLIError("the connection to the server at \(server) broke off", hint: "try again; " + addressHint,
                            status: .server)
        case .notHTTP:
            return CLIError("the server at \(server) did not answer in HTTP",
                            hint: "check the address: an https:// server needs an address that starts with https://",
                            status: .server)
        case .notTLS:
            return CLIError("the server at \(server) does not speak TLS",
                            hint: "check the address: a server on this computer without TLS needs http://",
                            status: .server)
        case .certificateRefused:
            return certificateRefused(server: server, presented: presented, now: now)
        case .nameMismatch:
            let names = presented.map { $0.names.isEmpty ? "" : " (it names \($0.names.prefix(5).joined(separator: ", ")))" } ?? ""
            return CLIError(
                "the certificate of the server at \(server) is not made out for \(host)\(names)",
                hint: "check the address: it must use the name the office's certificate is made out for; "
                    + "if it does, tell the administrator. Nothing was sent", status: .server)
        case .pinMismatch(let expected, let presented):
            let shown = presented.map { "the SHA-256 fingerprint \($0)" } ?? "no certificate"
            return CLIError(
                "the server at \(server) showed a certificate with \(shown), "
                    + "but server_certificate_sha256 expects \(expected)",
                hint: "someone may be intercepting the connection, or the office has a new certificate: ask the "
                    + "administrator for its fingerprint and change server_certificate_sha256 only if they confirm "
                    + "it. Nothing was sent", status: .server)
        case .tls(let reason):
            return CLIError("the secure connection to the server at \(server) failed (\(reason.prefix(200)))",
                            hint: "tell the administrator; nothing was sent", status: .server)
        case .other(let reason):
            return CLIError("cannot reach the server at \(server) (\(reason.prefix(200)))", hint: addressHint,
                            status: .server)
        }
    }

    private func certificateRefused(server: String, presented: PresentedCertificate?, now: Date) -> CLIError {
        guard let presented else {
            return CLIError("the certificate of the server at \(server) was refused",
                            hint: "tell the administrator; nothing was sent", status: .server)
        }
        if now > presented.notValidAfter {
            return CLIError(
                "the certificate of the server at \(server) expired on \(Self.day(presented.notValidAfter))",
                hint: "tell the administrator: the server needs a new certificate. If this computer's date is wrong, "
                    + "correct it. Nothing was sent", status: .server)
        }
        if now < presented.notValidBefore {
            return CLIError(
                "the certificate of the server at \(server) is valid only from \(Self.day(presented.notValidBefore))",
                hint: "check this computer's date and time; if they are right, tell the administrator. Nothing was sent",
                status: .server)
        }
        return CLIError(
            "the certificate of the server at \(server) is signed by an authority this computer does not trust "
                + "(unknown certificate authority or self-signed certificate; SHA-256 fingerprint \(presented.fingerprint))",
            hint: "if your office uses its own certificate authority, set \"server_ca_file\" to the authority's "
                + "certificate, or set \"server_certificate_sha256\" to the fingerprint the administrator gives you "
                + "(never one read off this message unless the administrator confirms it; see docs/WORKSTATION.md). "
                + "Nothing was sent", status: .server)
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
