// Where a command gets its keys (docs/WORKSTATION.md "Unlock once"): from this user's unlock
// agent when one runs for the same key files, else by opening the key files with their
// passphrase. An agent for other key files is not used; a socket that is not this user's
// agent is not used either, with a warning.
import Foundation
import SealboxCrypto
import SealboxWorkstation

enum KeyAccessResolver {
    /// This user's running agent, or nil.
    static func agent() -> AgentKeyAccess? {
        do throws(AgentClientError) {
            return try AgentKeyAccess(client: .forUser())
        } catch .untrusted(let reason) {
            Terminal.warning("not using the unlock agent: \(reason)")
            return nil
        } catch {
            return nil
        }
    }

    /// The signer of the staff (or member) key file `keyFile`: the agent's when it holds that
    /// key, else the key file opened with its passphrase.
    static func signer(keyFile: URL, settings: Settings, passphraseFlag: String?,
                       staffPassphraseFlag: String?) throws(CLIError) -> any MessageSigner {
        if let signer = agent()?.signer, let own = try? KeyFiles.staffPublicKey(at: keyFile), signer.publicKey == own {
            return signer
        }
        return try KeyFiles.openStaffKey(at: keyFile, settings: settings, passphraseFlag: passphraseFlag,
                                         staffPassphraseFlag: staffPassphraseFlag)
    }
}
