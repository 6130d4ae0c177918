// Rule: a submission is refused (507) while the storage filesystem has less free space
// than `storage.reserve`, before anything is written, so that the database itself always
// has room to commit, checkpoint and delete. The one place that asks the filesystem.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free space of the filesystem that holds the daemon's storage.
struct StorageSpace: Sendable {
    /// The storage directory.
    let path: String
    /// Bytes that must stay free (`storage.reserve`); 0 turns the check off.
    let reserve: Int64

    /// Bytes available to the daemon's user, or nil when the filesystem cannot be asked.
    static func available(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        let (bytes, overflow) = Int64(clamping: stats.f_bavail).multipliedReportingOverflow(by: Int64(clamping: stats.f_frsize))
        return overflow ? Int64.max : bytes
    }

    /// Throws 507 when writing `incoming` more bytes would leave less than the reserve free.
    /// A filesystem that cannot be asked is not refused on that account (the write itself
    /// will tell a full disk).
    func check(incoming: Int64 = 0) throws {
        guard reserve > 0, let free = Self.available(at: path) else { return }
        guard free >= reserve, free - reserve >= max(0, incoming) else { throw PublicError.insufficientStorage }
    }
}
