// `sealbox keygen`: a team member's own key (X25519 + Ed25519 under one passphrase,
// docs/PROTOCOL.md §12.1), or with --team the office's legacy shared team key (X25519).
// The secret key goes into a passphrase-protected file; the public key, printed last,
// goes to a lead (member key, also written to FILE.pub) or into sealboxd's
// crypto.team_public_key (team key).
import Foundation
import ArgumentParser
import SealboxCore
import SealboxCrypto

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create your own member key, or (--team) the office's shared team key.",
        discussion: """
            Writes your own member key (an encryption key and a signing key under one \
            passphrase) to FILE and its public key, with your label, to FILE.pub. Give \
            FILE.pub to a lead, who adds you with `sealbox team add`; a first lead's public \
            key goes into the server's staff.leads. The member key file is also your staff \
            key (--staff-key) for every request to the server. (--member, the default, is \
            still accepted.)

            With --team, writes the office's shared team secret key to FILE instead, \
            protected by a passphrase, and prints the team public key as the last line: it \
            goes into the server's configuration (crypto.team_public_key), and `sealbox team \
            init --team-key FILE` makes it key epoch 1. Whoever has FILE and its passphrase \
            can read every report sealed to it: keep both safe.
            """)

    @OptionGroup var options: KeyGenerationOptions

    @Flag(name: .customLong("member"), help: "Create a member key with FILE.pub (the default).")
    var member = false

    @Flag(name: .customLong("team"), help: "Create the office's shared team key instead (crypto.team_public_key).")
    var team = false

    @Option(name: .customLong("label"), help: ArgumentHelp(
        "The name under which the team will know you (default: the file name without .key).",
        valueName: "name"))
    var label: String?

    func validate() throws {
        if team && member { throw ValidationError("give either --team or --member, not both") }
        if label != nil && team { throw ValidationError("--label names a member key; a team key has no label") }
    }

    func run() throws {
        if team {
            let key = BoxSecretKey.generate()
            let text = key.publicKey.teamText
            let out = try KeyGeneration.write(secret: key.secret, type: .team, publicKeyText: text, options: options)
            print("Team key written to \(out.path) (key id \(key.publicKey.keyID.hex)).")
            print("Keep this file and its passphrase safe: without both, no report can be read.")
            print("Put this line into crypto.team_public_key of the sealboxd configuration:")
            print(text)
            return
        }
        let outURL = URL(fileURLWithPath: options.out).standardizedFileURL
        let name = label ?? outURL.deletingPathExtension().lastPathComponent
        guard RosterLabel.isValid(name) else {
            throw CLIError("\"\(Terminal.displaySafe(String(name.prefix(70))))\" cannot be a label",
                           hint: "a label has 1 to 64 characters, without , or = and without spaces at either end; give one with --label",
                           status: .usage)
        }
        let pubURL = outURL.appendingPathExtension("pub")
        try KeyFiles.checkWritable(pubURL, force: options.force)
        let key = MemberSecretKey.generate()
        let text = key.publicKey.text
        let out = try KeyGeneration.write(secret: key.secretBytes, type: .member, publicKeyText: text, options: options)
        try KeyFiles.writeNew(Array("\(text)\nlabel: \(name)\n".utf8), to: pubURL, force: options.force)
        print("Member key written to \(out.path) (member id \(key.publicKey.memberID.hex)), its public key to \(pubURL.path).")
        print("Keep the key file and its passphrase safe. Give \(pubURL.lastPathComponent) to a lead of your team.")
        print(text)
    }
}
