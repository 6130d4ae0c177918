// The HTTP transport of the staff API: AsyncHTTPClient over swift-nio-ssl. Each exchange
// has its own client, shut down when the answer is read or refused, so no connection
// outlives the request it was made for. No redirects are followed (a signature covers
// one path), no proxy from the environment is used, HTTP/1.1 only, and a failed
// connection is not retried: the first failure is the one reported. With a pinned
// certificate, every connection shows its certificate to `PinCheck` after the TLS
// handshake and before a request byte is written; a mismatch closes it. (AsyncHTTPClient
// 1.37 makes its NIOSSLClientHandler itself from a TLSConfiguration and takes no custom
// verification callback, so the pin is checked on the connection it hands over; the
// handshake has proved that the server holds the key of the certificate it showed.
// swift-nio-ssl's custom verification callback serves CertificateProbe.)
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Sends requests to the staff API and reads answers within a cap.
struct StaffTransport: Sendable {
    let trust: ServerTrust
    /// The longest wait for a connection, and for the next bytes of an answer.
    let timeout: TimeInterval
    /// The longest a whole exchange may take, body included.
    var exchangeLimit: TimeInterval { max(timeout, 600) }

    /// The client settings of one exchange.
    var configuration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: trust.tlsConfiguration,
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(Int64(timeout)), read: .seconds(Int64(timeout))),
            proxy: nil,
            ignoreUncleanSSLShutdown: false,
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        if let pin = trust.pin {
            let check = PinCheck(expected: pin)
            configuration.http1_1ConnectionDebugInitializer = { channel in check.verify(channel) }
            // Unused with HTTP/1.1 only; there so that no connection can go unchecked.
            configuration.http2ConnectionDebugInitializer = { channel in check.verify(channel) }
        }
        return configuration
    }

    /// The name to send in TLS's server name indication: none for an IP address.
    static func serverNameIndication(_ host: String) -> String? {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if (try? SocketAddress(ipAddress: bare, port: 0)) != nil { return nil }
        return bare
    }

    /// Sends `request` and reads the answer up to `limit` bytes.
    func exchange(_ request: HTTPClientRequest, limit: Int) async -> CappedDownload.Outcome {
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: CappedDownload.Outcome
        do {
            let response = try await client.execute(request, deadline: .now() + .seconds(Int64(exchangeLimit)))
            outcome = await CappedDownload.collect(response, limit: limit)
        } catch {
            outcome = .failed(error)
        }
        // Cancels what is still in flight (the rest of a refused answer) and closes the connection.
        try? await client.shutdown()
        return outcome
    }
}

/// A pinned certificate that the server did not show.
struct PinnedCertificateMismatch: Error, Sendable {
    let expected: CertificateFingerprint
    /// What it showed instead, nil when it showed no certificate.
    let presented: CertificateFingerprint?
}

/// Compares the certificate a connection's TLS handshake received with the pin.
struct PinCheck: Sendable {
    let expected: CertificateFingerprint

    /// Succeeds when the peer's certificate has the expected fingerprint; else closes the channel.
    func verify(_ channel: any Channel) -> EventLoopFuture<Void> {
        channel.nioSSL_peerCertificate().flatMapThrowing { certificate in
            let presented = (try? certificate?.toDERBytes()).map { CertificateFingerprint(certificateDER: $0) }
            guard let presented, presented == expected else {
                throw PinnedCertificateMismatch(expected: expected, presented: presented)
            }
        }.flatMapError { error in
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(error)
        }
    }
}
