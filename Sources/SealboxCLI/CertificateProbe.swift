// After a connection failed because the server's certificate was refused, this looks at
// the certificate once more so that the message can say why: it connects again, lets
// swift-nio-ssl hand the presented chain to a custom verification callback that keeps it
// and refuses it, and so ends every probe in a failed handshake. Nothing is sent but
// the TLS client hello; the probe only names the problem, it never decides trust.
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// What the server's certificate says about itself.
struct PresentedCertificate: Sendable, Equatable {
    var fingerprint: CertificateFingerprint
    var notValidBefore: Date
    var notValidAfter: Date
    /// The DNS names and IP addresses it is made out for.
    var names: [String]

    init(fingerprint: CertificateFingerprint, notValidBefore: Date, notValidAfter: Date, names: [String]) {
        self.fingerprint = fingerprint
        self.notValidBefore = notValidBefore
        self.notValidAfter = notValidAfter
        self.names = names
    }

    init?(_ certificate: NIOSSLCertificate) {
        guard let der = try? certificate.toDERBytes() else { return nil }
        fingerprint = CertificateFingerprint(certificateDER: der)
        notValidBefore = Date(timeIntervalSince1970: TimeInterval(certificate.notValidBefore))
        notValidAfter = Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter))
        names = certificate._subjectAlternativeNames().compactMap { name -> String? in
            let bytes = Array(name.contents)
            switch name.nameType {
            case .dnsName:
                return String(decoding: bytes, as: UTF8.self)
            case .ipAddress where bytes.count == 4:
                return bytes.map(String.init).joined(separator: ".")
            case .ipAddress where bytes.count == 16:
                return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                    .joined(separator: ":")
            default:
                return nil
            }
        }
    }
}

enum CertificateProbe {
    /// The leaf certificate the server at `host`:`port` presents, or nil when none could be had
    /// within `timeout` seconds.
    static func leaf(host: String, port: Int, timeout: TimeInterval) async -> PresentedCertificate? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification  // so that the callback runs
        configuration.applicationProtocols = ["http/1.1"]
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        let chain = PresentedChain()
        let serverName = StaffTransport.serverNameIndication(host)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(Int64(timeout)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: serverName,
                        customVerificationCallback: { presented, promise in
                            chain.certificates.withLock { $0 = presented }
                            promise.succeed(.failed)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                })
            }
        guard let channel = try? await bootstrap.connect(host: host, port: port).get() else { return nil }
        // The refused handshake closes the channel; a server that never answers is given up on.
        let giveUp = channel.eventLoop.scheduleTask(in: .seconds(Int64(timeout))) { channel.close(promise: nil) }
        try? await channel.closeFuture.get()
        giveUp.cancel()
        return chain.certificates.withLock { $0.first }.flatMap(PresentedCertificate.init)
    }
}

/// The chain the verification callback was shown.
private final class PresentedChain: Sendable {
    let certificates = Mutex<[NIOSSLCertificate]>([])
}
