// The audit chain as a workstation trusts it (docs/PROTOCOL.md §11.1): `sealbox audit
// --verify` and `sealbox sync` recompute the chain and check that it extends the pin kept
// in the local store; a chain that was rolled back or rewritten on the server is refused
// (exit status 3) and the pin stays as it was. Only a chain that verifies moves the pin.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxWorkstation

enum AuditPinning {
    /// Checks `log` against the store's pin and moves the pin when the chain verifies.
    /// Returns the first break of the chain (nil when it holds). Throws (status 3) when the
    /// chain does not extend the pin.
    @discardableResult
    static func check(_ log: AuditLog, store: WorkstationStore, server: String)
        throws(CLIError) -> (index: Int, reason: AuditChainVerifier.Break)? {
        let entries = log.entries.map(\.entry)
        let broken = AuditChainVerifier.firstBreak(entries)
        do {
            if broken == nil {
                try store.pinAudit(entries)
            } else {
                try store.auditPin().check(entries)
            }
        } catch let error as AuditPinError {
            throw CLIError("refusing the audit log of \(server): \(error)",
                           hint: "nothing was changed here; tell the administrator and your team's leads (the pin is in the local store)",
                           status: .authentication)
        } catch {
            throw CLIError("cannot read or write the audit pin in the local store (\(error))")
        }
        return broken
    }
}
