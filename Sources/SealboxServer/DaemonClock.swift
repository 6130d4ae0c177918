// The daemon's day for staff actions, deletion requests and retention.
//
// For tests only: a debug build reads SEALBOX_TEST_DAY_OFFSET (whole days, -36500...36500)
// and moves this day by it, so that an end-to-end test can let a deletion request expire
// or a case fall due without waiting. A release build (`swift build -c release`, the
// Debian package, scripts/build-deb.sh) does not contain the code that reads it: there it
// cannot be enabled, by accident or otherwise. The signature clock (PROTOCOL §7) and
// the reporters' side are never moved. A debug daemon with an offset says so at start.
import Foundation
import SealboxCore

/// Today, as the daemon counts it.
public struct DaemonClock: Sendable {
    /// Days added to the real day (0 except in a debug build under test).
    public let offsetDays: Int

    public static let system = DaemonClock(offsetDays: 0)

    public init(offsetDays: Int) { self.offsetDays = offsetDays }

    /// Today in UTC, moved by the offset.
    public func today() -> Day { Day.today().adding(days: offsetDays) }

    /// The environment variable a debug build reads.
    public static let testOffsetVariable = "SEALBOX_TEST_DAY_OFFSET"

    /// The clock from the environment: always `system` in a release build.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DaemonClock {
        #if DEBUG
        if let text = environment[testOffsetVariable], text.utf8.count <= 7, let days = Int(text),
           (-36_500...36_500).contains(days) {
            return DaemonClock(offsetDays: days)
        }
        #endif
        return .system
    }
}
