// Opening the workstation's local store folder. `sync` creates it with mode 0700;
// `list` and `show` never create it, so a typo in --store does not leave empty
// folders behind and an empty store says "run sealbox sync".
import Foundation
import SealboxCore

enum LocalStore {
    /// Opens the store in `directory`, creating the folder (0700) when `create` is set.
    /// Returns nil when the store does not exist and `create` is not set.
    static func open(_ directory: URL, create: Bool) throws(CLIError) -> WorkstationStore? {
        let file = directory.appendingPathComponent(WorkstationStore.fileName)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CLIError("the store \(directory.path) is a file, not a folder",
                               hint: "name a folder with --store or SEALBOX_STORE")
            }
        } else {
            guard create else { return nil }
            do {
                try manager.createDirectory(at: directory, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            } catch {
                throw CLIError("cannot create the store folder \(directory.path)",
                               hint: "check --store / SEALBOX_STORE and the permissions of its parent folder")
            }
        }
        guard create || manager.fileExists(atPath: file.path) else { return nil }
        do {
            return try WorkstationStore(directory: directory)
        } catch {
            throw CLIError("cannot open the local store \(file.path)",
                           hint: "check its permissions; if it is damaged, move the folder away and run `sealbox sync` again")
        }
    }

    /// The hint for an empty or missing store.
    static let syncHint = "run `sealbox sync` to fetch new reports from the server"
}
