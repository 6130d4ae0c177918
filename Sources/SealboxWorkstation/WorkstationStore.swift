// The one door to a counsellor's local store on the workstation (`sealbox sync`,
// `list`, `show`). It holds exactly what the staff API handed out: sealed envelopes,
// sealed attachment blobs and the metadata the server already knows (case reference,
// kind, day, sizes). Nothing in it is decrypted; opening needs the team key file.
//
// Rules this type and its extensions enforce:
// - one SQLite file `<store>/store.sqlite`, opened by SQLiteFile (mode 0600,
//   `secure_delete` on, so that a deleted row does not linger in free pages);
// - the store folder is created with mode 0700 only when asked (`sync`); `list` and
//   `show` never create it, so a typo in --store leaves no empty folders behind;
// - migrations are append-only (WorkstationStore+Schema.swift);
// - syncing (WorkstationStore+Sync.swift) and reading and deleting cases
//   (WorkstationStore+Cases.swift) are the only ways in.
import Foundation
import SealboxCore
internal import GRDB

/// The workstation's local store of sealed items.
public final class WorkstationStore: Sendable {
    /// The file name inside the store directory.
    public static let fileName = "store.sqlite"

    let queue: DatabaseQueue

    /// Opens (creating and migrating) the store file at `path`.
    /// The caller creates the directory (mode 0700) and sets the umask.
    public init(path: String) throws {
        queue = try SQLiteFile.openQueue(path: path)
        try Self.migrator.migrate(queue)
    }

    /// Opens the store file in `directory`.
    public convenience init(directory: URL) throws {
        try self.init(path: directory.appendingPathComponent(Self.fileName).path)
    }

    /// Why a store folder cannot be opened.
    public enum OpeningError: Error, Equatable, Sendable {
        /// The path names a file, not a folder.
        case notAFolder
        /// The folder does not exist and cannot be created.
        case cannotCreateFolder
        /// The store file cannot be opened or migrated.
        case cannotOpen
    }

    /// Opens the store in `directory`, creating the folder (mode 0700) when `create` is set.
    /// Returns nil when there is no store there and `create` is not set.
    public static func open(directory: URL, create: Bool) throws(OpeningError) -> WorkstationStore? {
        let file = directory.appendingPathComponent(fileName)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notAFolder }
        } else {
            guard create else { return nil }
            do {
                try manager.createDirectory(at: directory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotCreateFolder
            }
        }
        guard create || manager.fileExists(atPath: file.path) else { return nil }
        do {
            return try WorkstationStore(directory: directory)
        } catch {
            throw .cannotOpen
        }
    }
}
