// The daemon's log handler. Lines carry no timestamp (journald adds its own; a log of
// our own must not date a submission to the second), and callers never pass an
// address, a user agent, a code or content.
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Writes `LEVEL label: message key=value` lines to standard error.
public struct PlainLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    private static let lock = NIOLock()

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        let line = "\(event.level.rawValue.uppercased()) \(label): \(event.message)\(extra.isEmpty ? "" : " " + extra)\n"
        Self.lock.withLock { FileHandle.standardError.write(Data(line.utf8)) }
    }
}
