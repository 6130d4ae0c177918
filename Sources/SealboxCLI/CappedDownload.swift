// Reads one HTTP answer without trusting its length: an announced length beyond the cap
// is refused before a byte of the body is read, and the body is taken in as it streams
// (AsyncHTTPClient reads from the socket only as fast as it is consumed here, so the
// network cannot queue data in memory) until it passes the cap that the request allows
// (a page of items, an attachment of its announced size); then the transfer is
// abandoned and the connection closed, so that a hostile or broken server cannot fill
// the workstation's memory.
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Collects one answer up to `limit` bytes.
enum CappedDownload {
    /// What ended the transfer.
    enum Outcome {
        case finished(status: Int, body: Data)
        case tooLarge
        case failed(any Error)
    }

    /// Reads the body of `response` up to `limit` bytes.
    static func collect(_ response: HTTPClientResponse, limit: Int) async -> Outcome {
        var announced: Int?
        if let text = response.headers.first(name: "content-length") {
            guard let length = Int(text), length >= 0 else { return .failed(MalformedAnswer()) }
            guard length <= limit else { return .tooLarge }
            announced = length
        }
        var body = Data()
        body.reserveCapacity(min(announced ?? 64 << 10, limit))
        do {
            for try await chunk in response.body {
                guard chunk.readableBytes <= limit - body.count else { return .tooLarge }
                chunk.withUnsafeReadableBytes { bytes in body.append(bytes.bindMemory(to: UInt8.self)) }
            }
        } catch {
            return .failed(error)
        }
        return .finished(status: Int(response.status.code), body: body)
    }
}

/// An answer whose framing is not HTTP as sealbox reads it.
struct MalformedAnswer: Error {}
