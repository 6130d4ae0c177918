// Reads one HTTP answer without trusting its length: the body is collected as it streams
// in and the transfer is cancelled as soon as it passes the cap that the request allows
// (a page of items, an attachment of its announced size), so that a hostile or broken
// server cannot fill the workstation's memory.
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Collects one answer up to `limit` bytes; the transfer is cancelled beyond that.
final class CappedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What ended the transfer.
    enum Outcome {
        case finished(HTTPURLResponse, Data)
        case tooLarge
        case failed(any Error)
    }

    private let limit: Int
    private let lock = NSLock()
    private var body = Data()
    private var response: HTTPURLResponse?
    private var exceeded = false
    private var continuation: CheckedContinuation<Outcome, Never>?

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `request` on a session of `configuration` and returns how it ended.
    static func run(_ request: URLRequest, configuration: URLSessionConfiguration, limit: Int) async -> Outcome {
        let download = CappedDownload(limit: limit)
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return await withCheckedContinuation { continuation in
            download.lock.withLock { download.continuation = continuation }
            session.dataTask(with: request).resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let announced = response.expectedContentLength
        lock.withLock {
            self.response = response as? HTTPURLResponse
            if announced > Int64(limit) { exceeded = true }
        }
        completionHandler(announced > Int64(limit) ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = lock.withLock { () -> Bool in
            guard !exceeded else { return true }
            if body.count + data.count > limit {
                exceeded = true
                body = Data()
                return true
            }
            body.append(data)
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, outcome) = lock.withLock { () -> (CheckedContinuation<Outcome, Never>?, Outcome) in
            let outcome: Outcome
            if exceeded {
                outcome = .tooLarge
            } else if let error {
                outcome = .failed(error)
            } else if let response {
                outcome = .finished(response, body)
            } else {
                outcome = .failed(URLError(.badServerResponse))
            }
            defer { self.continuation = nil }
            return (self.continuation, outcome)
        }
        continuation?.resume(returning: outcome)
    }
}
