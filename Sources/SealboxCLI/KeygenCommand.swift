// `sealbox keygen`: the team's X25519 key pair. The secret key goes into a
// passphrase-protected file; the public key, printed last, goes into sealboxd's
// crypto.team_public_key.
import Foundation
import ArgumentParser
import SealboxCrypto

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create the team key that reports are sealed to.",
        discussion: """
            Writes the team secret key to FILE, protected by a passphrase, and prints the \
            team public key as the last line. The public key goes into the server's \
            configuration (crypto.team_public_key). Whoever has FILE and its passphrase can \
            read every report: keep both safe, and keep a backup copy of FILE.
            """)

    @OptionGroup var options: KeyGenerationOptions

    func run() throws {
        let key = BoxSecretKey.generate()
        let text = key.publicKey.teamText
        let out = try KeyGeneration.write(secret: key.secret, type: .team, publicKeyText: text, options: options)
        print("Team key written to \(out.path) (key id \(key.publicKey.keyID.hex)).")
        print("Keep this file and its passphrase safe: without both, no report can be read.")
        print("Put this line into crypto.team_public_key of the sealboxd configuration:")
        print(text)
    }
}
