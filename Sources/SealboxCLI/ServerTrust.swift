// Which certificate the CLI accepts from the server (docs/WORKSTATION.md, "Trusting the
// office's certificate"). Without settings: any certificate for the server's name that
// a certificate authority of the system vouches for. With `server_ca_file`: the
// authorities in that file instead of the system's. With `server_certificate_sha256`:
// the one certificate with that fingerprint, whoever issued it, for whatever name and
// dates, like an SSH known_hosts entry; with both, both must hold. Plain http is
// allowed to this computer only (Settings.server).
import Foundation
import NIOSSL

/// The server certificates the CLI accepts.
struct ServerTrust: Sendable {
    /// The authorities of `server_ca_file`, trusted instead of the system's; nil for the system's.
    var authorities: [NIOSSLCertificate]?
    /// `server_certificate_sha256`: the only certificate accepted, or nil.
    var pin: CertificateFingerprint?

    /// The system's authorities, no pin.
    static let system = ServerTrust(authorities: nil, pin: nil)

    /// The TLS settings of every connection to the server. With a pin alone, the
    /// handshake accepts any certificate and the pin is checked on the connection
    /// before a request is written (StaffTransport); with authorities too, both hold.
    var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let authorities {
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification = .fullVerification
        } else if pin != nil {
            configuration.certificateVerification = .none
        } else {
            configuration.trustRoots = .default
            configuration.certificateVerification = .fullVerification
        }
        return configuration
    }
}

extension Settings {
    /// The trust settings for `server`: `server_ca_file` and `server_certificate_sha256`
    /// from flag, environment or settings file. A missing or unreadable file, a file
    /// without a PEM certificate, a malformed fingerprint and a fingerprint for a plain
    /// http address (which shows no certificate) are refused with what to do.
    func serverTrust(for server: URL, caFileFlag: String? = nil, pinFlag: String? = nil) throws(CLIError) -> ServerTrust {
        var trust = ServerTrust.system
        if let text = value(.serverCertificateSHA256, flag: pinFlag) {
            do throws(CertificateFingerprintError) {
                trust.pin = try CertificateFingerprint(text: text)
            } catch {
                throw error.message(setting: Setting.serverCertificateSHA256.configKey)
            }
            if server.scheme?.lowercased() != "https" {
                throw CLIError(
                    "server_certificate_sha256 is set, but the server address \(server.absoluteString) uses plain http, "
                        + "which shows no certificate",
                    hint: "use the server's https:// address, or remove server_certificate_sha256", status: .usage)
            }
        }
        if let file = path(.serverCAFile, flag: caFileFlag) {
            trust.authorities = try Self.authorities(in: file)
        }
        return trust
    }

    /// The certificates of the PEM file at `file`.
    static func authorities(in file: URL) throws(CLIError) -> [NIOSSLCertificate] {
        let name = Setting.serverCAFile.configKey
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let missing = !FileManager.default.fileExists(atPath: file.path)
            throw CLIError(missing ? "the certificate authority file \(file.path) (\(name)) does not exist"
                                   : "cannot read the certificate authority file \(file.path) (\(name))",
                           hint: missing ? "check the path; the administrator gives you this file (docs/WORKSTATION.md)"
                                         : "check its permissions")
        }
        let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(data))
        guard let certificates, !certificates.isEmpty else {
            throw CLIError("the certificate authority file \(file.path) (\(name)) holds no certificate in PEM form",
                           hint: "it must contain a block that starts with -----BEGIN CERTIFICATE-----")
        }
        return certificates
    }
}
