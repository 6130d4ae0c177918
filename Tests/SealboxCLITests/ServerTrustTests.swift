import Foundation
import NIOSSL
import SealboxCrypto
import Testing
@testable import SealboxCLI

/// `server_certificate_sha256` and `server_ca_file`: parsed once, refused at load when malformed.
@Suite struct CertificateFingerprintTests {
    static let server = URL(string: "https://sealbox.example.org:8443")!
    /// openssl's form of the SHA-256 of the empty string, standing in for a certificate's.
    static let opensslForm = "sha256 Fingerprint=E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
    static let bytes = Hex.decode("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")!

    @Test(arguments: [
        opensslForm,
        "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "  SHA256:e3 b0 c4 42 98 fc 1c 14 9a fb f4 c8 99 6f b9 24 27 ae 41 e4 64 9b 93 4c a4 95 99 1b 78 52 b8 55\n",
    ])
    func theFormsPeopleCopy_parseToTheSameBytes(text: String) throws {
        #expect(try CertificateFingerprint(text: text).bytes == Self.bytes)
    }

    @Test func theFingerprintOfACertificate_isTheSHA256OfItsDER_printedAsOpensslDoes() throws {
        let fingerprint = CertificateFingerprint(certificateDER: [])
        #expect(fingerprint.bytes == Self.bytes)
        #expect("sha256 Fingerprint=" + fingerprint.description == Self.opensslForm)
    }

    @Test func tooFewDigits_areRefusedWithTheirCount() {
        #expect(throws: CertificateFingerprintError.wrongLength(digits: 62)) {
            try CertificateFingerprint(text: String(Self.opensslForm.dropLast(2)))
        }
    }

    @Test func tooManyDigits_areRefused() {
        #expect(throws: CertificateFingerprintError.wrongLength(digits: 66)) {
            try CertificateFingerprint(text: Self.opensslForm + "00")
        }
    }

    @Test(arguments: ["", "sha1 Fingerprint=DA:39:A3", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g",
                      "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="])
    func textThatIsNotHexadecimalSHA256_isRefused(text: String) {
        #expect(throws: CertificateFingerprintError.self) { try CertificateFingerprint(text: text) }
    }

    @Test func aMalformedPinInTheSettingsFile_isRefusedAtLoad_namingTheFileAndTheKey() {
        let json = #"{"server": "https://sealbox.example.org", "server_certificate_sha256": "AB:CD"}"#
        do {
            _ = try ConfigFile.parse(Data(json.utf8), location: URL(fileURLWithPath: "/c/config.json"))
            Issue.record("a malformed pin was accepted")
        } catch {
            #expect(error.message == "in the settings file /c/config.json, \"server_certificate_sha256\" has 4 hexadecimal digits, not the 64 of a SHA-256")
            #expect(error.hint?.contains("openssl x509 -noout -fingerprint -sha256") == true)
        }
    }

    @Test func aWellFormedPinInTheSettingsFile_isKept() throws {
        let json = #"{"server_certificate_sha256": "\#(Self.opensslForm)"}"#
        let file = try ConfigFile.parse(Data(json.utf8), location: URL(fileURLWithPath: "/c/config.json"))
        let trust = try Settings(environment: [:], file: file).serverTrust(for: Self.server)
        #expect(trust.pin?.bytes == Self.bytes)
        #expect(trust.authorities == nil)
    }

    @Test func aMalformedPinInTheEnvironment_isRefusedWhenRead() {
        let settings = Settings(environment: ["SEALBOX_SERVER_CERTIFICATE_SHA256": "not a fingerprint"], file: ConfigFile())
        #expect(throws: CLIError.self) { try settings.serverTrust(for: Self.server) }
    }
}

@Suite struct ServerTrustTests {
    static let server = URL(string: "https://sealbox.example.org:8443")!

    @Test func aPinForAPlainHttpAddress_isRefused_forThereIsNoCertificateToCheck() {
        let settings = Settings(environment: ["SEALBOX_SERVER_CERTIFICATE_SHA256": CertificateFingerprintTests.opensslForm],
                                file: ConfigFile())
        do {
            _ = try settings.serverTrust(for: URL(string: "http://127.0.0.1:8081")!)
            Issue.record("a pin for plain http was accepted")
        } catch {
            #expect(error.message.contains("uses plain http, which shows no certificate"))
            #expect(error.status == .usage)
        }
    }
    @Test func withoutSettings_theSystemAuthoritiesAndTheHostNameAreChecked() throws {
        let trust = try Settings(environment: [:], file: ConfigFile()).serverTrust(for: Self.server)
        let tls = trust.tlsConfiguration
        #expect(tls.certificateVerification == .fullVerification)
        #expect(tls.trustRoots == .default)
    }

    @Test func aPinAlone_replacesTheAuthorityCheck() throws {
        let trust = ServerTrust(authorities: nil, pin: CertificateFingerprint(certificateDER: [1]))
        #expect(trust.tlsConfiguration.certificateVerification == .none)
    }

    @Test func aMissingAuthorityFile_isRefusedNamingIt() {
        let settings = Settings(environment: ["SEALBOX_SERVER_CA_FILE": "/nonexistent/office-ca.pem"], file: ConfigFile())
        do {
            _ = try settings.serverTrust(for: Self.server)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.message == "the certificate authority file /nonexistent/office-ca.pem (server_ca_file) does not exist")
        }
    }

    @Test func anAuthorityFileWithoutAPEMCertificate_isRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-ca-\(UUID()).pem")
        try Data("not a certificate\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = Settings(environment: [:], file: ConfigFile())
        do {
            _ = try settings.serverTrust(for: Self.server, caFileFlag: file.path)
            Issue.record("a file without a certificate was accepted")
        } catch {
            #expect(error.message.hasSuffix("holds no certificate in PEM form"))
        }
    }
}

/// The messages of ConnectionFailure: one problem, one message, all exit status 4.
@Suite struct ConnectionFailureTests {
    let server = "https://sealbox.example.org"
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func presented(from: TimeInterval, to: TimeInterval, names: [String] = ["sealbox.example.org"]) -> PresentedCertificate {
        PresentedCertificate(fingerprint: CertificateFingerprint(certificateDER: [7]),
                             notValidBefore: now.addingTimeInterval(from), notValidAfter: now.addingTimeInterval(to),
                             names: names)
    }

    func message(_ failure: ConnectionFailure, _ certificate: PresentedCertificate? = nil) -> CLIError {
        failure.error(server: server, host: "sealbox.example.org", timeout: 30, presented: certificate, now: now)
    }

    @Test func aRefusedCertificateWithinItsDates_isAnUnknownAuthority_withItsFingerprint() {
        let error = message(.certificateRefused, presented(from: -86400, to: 86400))
        #expect(error.message.contains("signed by an authority this computer does not trust"))
        #expect(error.message.contains(CertificateFingerprint(certificateDER: [7]).description))
        #expect(error.hint?.contains("server_ca_file") == true)
        #expect(error.status == .server)
    }

    @Test func aRefusedCertificatePastItsEnd_isExpired_withTheDay() {
        let error = message(.certificateRefused, presented(from: -3 * 86400, to: -86400))
        #expect(error.message == "the certificate of the server at \(server) expired on 2027-01-14")
    }

    @Test func aRefusedCertificateBeforeItsStart_isNotYetValid() {
        let error = message(.certificateRefused, presented(from: 86400, to: 3 * 86400))
        #expect(error.message.contains("is valid only from 2027-01-16"))
        #expect(error.hint?.contains("date and time") == true)
    }

    @Test func aNameMismatch_namesTheHostAndTheCertificatesNames() {
        let error = message(.nameMismatch, presented(from: -1, to: 1, names: ["other.example.org", "127.0.0.1"]))
        #expect(error.message == "the certificate of the server at \(server) is not made out for sealbox.example.org "
            + "(it names other.example.org, 127.0.0.1)")
    }

    @Test func aPinMismatch_namesBothFingerprints() {
        let expected = CertificateFingerprint(certificateDER: [1])
        let shown = CertificateFingerprint(certificateDER: [2])
        let error = message(.pinMismatch(expected: expected, presented: shown))
        #expect(error.message.contains(expected.description))
        #expect(error.message.contains(shown.description))
        #expect(error.hint?.contains("intercepting") == true)
    }

    @Test func refusedTimedOutAndUnknownHost_areThreeMessages() {
        let texts = Set([ConnectionFailure.refused, .timedOut, .unknownHost].map { message($0).message })
        #expect(texts.count == 3)
        #expect(message(.refused).message == "cannot reach the server at \(server) (connection refused)")
        #expect(message(.timedOut).message == "the server at \(server) gave no answer within 30 seconds")
    }

    @Test func errorsOfSwiftNIOSSL_areSortedByTheirKind() {
        let error = NIOSSLError.handshakeFailed(.sslError([]))
        #expect(ConnectionFailure(error) == .tls(String(describing: BoringSSLError.sslError([]))))
        #expect(ConnectionFailure(NIOSSLExtraError.failedToValidateHostname) == .nameMismatch)
        #expect(ConnectionFailure(PinnedCertificateMismatch(expected: CertificateFingerprint(certificateDER: [1]),
                                                            presented: nil))
            == .pinMismatch(expected: CertificateFingerprint(certificateDER: [1]), presented: nil))
    }
}
