// Opening the workstation's local store folder for a command: `sync` creates it
// (WorkstationStore.open), `list` and `show` never do, so an empty store says
// "run sealbox sync". Here only the failures are put into words for people.
import Foundation
import SealboxCore
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

    /// The error for a case reference the local store does not hold: "did you mean" the
    /// nearest references it does hold (ReferenceInput, at most 2 edits); only when none is
    /// close, the advice to sync.
    static func unknownCase(_ reference: CaseReference, store: WorkstationStore?) -> CLIError {
        let known = (try? store?.references()) ?? []
        let close = ReferenceInput.suggestions(for: reference.text, among: known).prefix(3)
        guard !close.isEmpty else {
            return CLIError("there is no case \(reference.text) in the local store",
                            hint: "check the reference with `sealbox list`, or run `sealbox sync` to fetch new reports")
        }
        return CLIError("there is no case \(reference.text) in the local store; did you mean "
                        + close.map(\.text).joined(separator: " or ") + "?")
    }

    /// The hint for an empty or missing store.
    static let syncHint = "run `sealbox sync` to fetch new reports from the server"
}
