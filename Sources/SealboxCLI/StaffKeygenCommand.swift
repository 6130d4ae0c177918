// `sealbox staff-keygen`: a staff member's Ed25519 signing key. The secret seed
// goes into a passphrase-protected file; the public key, printed last, is added
// to the daemon's staff.keys by the administrator.
import Foundation
import ArgumentParser
import SealboxCrypto

struct StaffKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff-keygen",
        abstract: "Create your staff key, which lets you fetch reports from the server.",
        discussion: """
            Writes your staff secret key to FILE, protected by a passphrase, and prints \
            your staff public key as the last line. The administrator adds that line to \
            the server's staff.keys; until then the server refuses your requests.
            """)

    @OptionGroup var options: KeyGenerationOptions

    func run() throws {
        let key = SigningSecretKey.generate()
        let text = key.publicKey.text
        let out = try KeyGeneration.write(secret: key.seed, type: .staff, publicKeyText: text, options: options)
        print("Staff key written to \(out.path) (key id \(key.publicKey.keyID.hex)).")
        print("Ask the administrator to add this line to the server's staff.keys:")
        print(text)
    }
}
