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
//   name has that form: nothing else in the folder is ever touched;
// - beside each database copy the key store is copied into `sealbox-YYYY-MM-DD.keystore.sqlite`
//   (docs/PROTOCOL.md §10.4); key-store copies are kept by age, not by number: every copy
//   of a day more than `keystoreKeepDays - 1` days before today is removed at every run,
//   even when today's copy failed, because that age is the office's promise of when a
//   deleted case becomes unreadable from every backup (the horizon, docs/OPERATIONS.md §7).
import Foundation

/// The daily backups in one folder.
public enum BackupRotation {
    /// The largest retention accepted, in backups (ten years of daily ones).
    public static let keepRange = 1...3660

    /// The file name of the backup of `day`.
    public static func fileName(for day: Day) -> String { "sealbox-\(day.text).sqlite" }

    /// The largest retention of key-store copies accepted, in days.
    public static let keystoreKeepRange = 1...366

    /// The file name of the key store's copy of `day`.
    public static func keyStoreFileName(for day: Day) -> String { "sealbox-\(day.text).keystore.sqlite" }

    /// The day in a key-store copy name made by `keyStoreFileName(for:)`, or nil for any other name.
    public static func day(inKeyStoreFileName name: String) -> Day? {
        guard name.hasPrefix("sealbox-"), name.hasSuffix(".keystore.sqlite"), name.utf8.count == 34 else { return nil }
        return Day(String(name.dropFirst(8).dropLast(16)))
    }

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
        /// The day's key-store copy, and the number of keys copied (nil when it existed already
        /// or there is no key store).
        public var keyStorePath: String? = nil
        public var keysCopied: Int? = nil
        /// The names of the key-store copies removed (past the horizon), oldest first.
        public var removedKeyStores: [String] = []
    }

    /// Backs the database at `source` up into `directory` as the backup of `day`, then keeps
    /// the `keep` newest backups in the folder and removes the rest.
    /// With `keyStore` (the live key store), its copy of `day` is made beside the database's,
    /// and the key-store copies older than `keystoreKeepDays` days are removed.
    public static func run(databaseAt source: String, intoDirectory directory: String, keep: Int,
                           keyStore: String? = nil, keystoreKeepDays: Int = 7,
                           day: Day = .today()) throws(BackupError) -> Outcome {
        precondition(keepRange.contains(keep), "keep is checked by the caller")
        precondition(keystoreKeepRange.contains(keystoreKeepDays), "keystoreKeepDays is checked by the caller")
        var removedKeyStores: [String] = []
        if keyStore != nil {
            // The horizon first, whatever happens to today's copy.
            removedKeyStores = try pruneKeyStores(directory: directory, keepDays: keystoreKeepDays, today: day)
        }
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName(for: day)).path
        var summary: BackupSummary?
        if try isMissing(path) {
            summary = try MailboxDatabase.backup(databaseAt: source, to: path)
        }
        var keyStorePath: String?
        var keysCopied: Int?
        if let keyStore, FileManager.default.fileExists(atPath: keyStore) {
            let copy = URL(fileURLWithPath: directory).appendingPathComponent(keyStoreFileName(for: day)).path
            keyStorePath = copy
            if try isMissing(copy) {
                keysCopied = try KeyStore.backup(keyStoreAt: keyStore, to: copy)
            }
        }
        return Outcome(path: path, summary: summary, removed: try prune(directory: directory, keep: keep),
                       keyStorePath: keyStorePath, keysCopied: keysCopied, removedKeyStores: removedKeyStores)
    }

    /// True when nothing is at `path`; throws when something other than a regular file is.
    static func isMissing(_ path: String) throws(BackupError) -> Bool {
        var info = stat()
        if lstat(path, &info) != 0 { return true }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .cannotCreate(path, "it exists and is not a regular file") }
        return false
    }

    /// Removes every key-store copy of a day before `today - (keepDays - 1)` from `directory`.
    public static func pruneKeyStores(directory: String, keepDays: Int, today: Day) throws(BackupError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .cannotRotate(directory, "the folder cannot be listed")
        }
        let oldest = today.adding(days: -(keepDays - 1))
        let expired = names.compactMap { name in day(inKeyStoreFileName: name).map { (name, $0) } }
            .filter { $0.1 < oldest }.sorted { $0.1 < $1.1 }.map(\.0)
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
