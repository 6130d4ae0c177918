// Opening the workstation's local store folder for a command: `sync` creates it
// (WorkstationStore.open), `list` and `show` never do, so an empty store says
// "run sealbox sync". Here only the failures are put into words for people.
import Foundation
import SealboxWorkstation

enum LocalStore {
    /// Opens the store in `directory`, creating the folder (0700) when `create` is set.
    /// Returns nil when the store does not exist and `create` is not set.
    static func open(_ directory: URL, create: Bool) throws(CLIError) -> WorkstationStore? {
        do {
            return try WorkstationStore.open(directory: directory, create: create)
        } catch {
            switch error {
            case .notAFolder:
                throw CLIError("the store \(directory.path) is a file, not a folder",
                               hint: "name a folder with --store or SEALBOX_STORE")
            case .cannotCreateFolder:
                throw CLIError("cannot create the store folder \(directory.path)",
                               hint: "check --store / SEALBOX_STORE and the permissions of its parent folder")
            case .cannotOpen:
                let file = directory.appendingPathComponent(WorkstationStore.fileName)
                throw CLIError("cannot open the local store \(file.path)",
                               hint: "check its permissions; if it is damaged, move the folder away and run `sealbox sync` again")
            }
        }
    }

    /// The hint for an empty or missing store.
    static let syncHint = "run `sealbox sync` to fetch new reports from the server"
}
