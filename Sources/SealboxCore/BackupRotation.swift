// `sealboxd backup --to-dir DIR --keep N`: one backup a day in a folder of backups, named
// by the day, and the older ones removed (docs/OPERATIONS.md §7, systemd/sealboxd-backup.timer).
//
// Rules this file enforces:
// - a backup is named `sealbox-YYYY-MM-DD.sqlite` (the UTC day, no finer time) and made by
//   MailboxDatabase.backup: a new 0600 file, never an overwrite;
// - when the day's file exists already, nothing is copied (the timer may run twice a day
//   after a missed run), and the rotation still happens;
// - the rotation runs only after a successful backup (or with the day's file present), keeps
//   the `keep` newest backups by the day in their names and removes only files whose whole
//   name has that form: nothing else in the folder is ever touched.
import Foundation

/// The daily backups in one folder.
public enum BackupRotation {
    /// The largest retention accepted, in backups (ten years of daily ones).
    public static let keepRange = 1...3660

    /// The file name of the backup of `day`.
    public static func fileName(for day: Day) -> String { "sealbox-\(day.text).sqlite" }

    /// The day in a backup file name made by `fileName(for:)`, or nil for any other name.
    public static func day(inFileName name: String) -> Day? {
        guard name.hasPrefix("sealbox-"), name.hasSuffix(".sqlite"), name.utf8.count == 25 else { return nil }
        return Day(String(name.dropFirst(8).dropLast(7)))
    }

    /// What one run did.
    public struct Outcome: Sendable, Equatable {
        /// The day's backup file.
        public let path: String
        /// The summary of the copy, or nil when the day's file existed already.
        public let summary: BackupSummary?
        /// The names of the older backups removed, oldest first.
        public let removed: [String]
    }

    /// Backs the database at `source` up into `directory` as the backup of `day`, then keeps
    /// the `keep` newest backups in the folder and removes the rest.
    public static func run(databaseAt source: String, intoDirectory directory: String, keep: Int,
                           day: Day = .today()) throws(BackupError) -> Outcome {
        precondition(keepRange.contains(keep), "keep is checked by the caller")
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName(for: day)).path
        var summary: BackupSummary?
        var info = stat()
        if lstat(path, &info) != 0 {
            summary = try MailboxDatabase.backup(databaseAt: source, to: path)
        } else if (info.st_mode & S_IFMT) != S_IFREG {
            throw .cannotCreate(path, "it exists and is not a regular file")
        }
        return Outcome(path: path, summary: summary, removed: try prune(directory: directory, keep: keep))
    }

    /// Removes all but the `keep` newest backups (by the day in their names) from `directory`.
    public static func prune(directory: String, keep: Int) throws(BackupError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .cannotRotate(directory, "the folder cannot be listed")
        }
        let backups = names.compactMap { name in day(inFileName: name).map { (name, $0) } }.sorted { $0.1 < $1.1 }
        let expired = backups.dropLast(keep).map(\.0)
        for name in expired {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            guard unlink(path) == 0 else {
                throw .cannotRotate(directory, "\(name): \(String(cString: strerror(errno)))")
            }
        }
        return expired
    }
}
