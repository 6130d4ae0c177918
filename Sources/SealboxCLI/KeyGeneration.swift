// What `keygen` and `staff-keygen` share: the output path check, the new
// passphrase, the Argon2id cost and writing the key file. The public key text is
// printed as the last line on stdout so that scripts can take it with `tail -n 1`.
import ArgumentParser
import Foundation
import SealboxCrypto

/// The Argon2id cost of a new key file (a hidden option, so that tests can be fast).
enum KDFCostName: String, ExpressibleByArgument, CaseIterable {
    case interactive, moderate, sensitive

    var cost: KDFCost {
        switch self {
        case .interactive: .interactive
        case .moderate: .moderate
        case .sensitive: .sensitive
        }
    }
}

struct KeyGenerationOptions: ParsableArguments {
    @Option(name: .customLong("out"), help: ArgumentHelp("Where to write the new secret key file.", valueName: "file"))
    var out: String

    @Option(name: .customLong("passphrase-file"), help: ArgumentHelp(
        "Read the new passphrase from this file instead of asking twice (default: $SEALBOX_PASSPHRASE_FILE).",
        valueName: "file"))
    var passphraseFile: String?

    @Flag(name: .customLong("force"), help: "Replace an existing file. The key in it is then lost for good.")
    var force = false

    @Option(name: .customLong("kdf-cost"), help: .hidden)
    var kdfCost: KDFCostName = .moderate
}

enum KeyGeneration {
    /// Writes `secret` as a key file of `type` after getting a new passphrase; returns the file's URL.
    static func write(secret: SecureBytes, type: KeyFileType, publicKeyText: String,
                      options: KeyGenerationOptions) throws(CLIError) -> URL {
        let settings = try Settings.current()
        let out = URL(fileURLWithPath: options.out).standardizedFileURL
        try KeyFiles.checkWritable(out, force: options.force)
        let passphrase = try Passphrase.obtainNew(settings: settings, flag: options.passphraseFile, for: out)
        let bytes: [UInt8]
        do {
            bytes = try KeyFile.write(secret: secret, type: type, publicKeyText: publicKeyText,
                                      passphrase: passphrase, cost: options.kdfCost.cost)
        } catch {
            throw CLIError("could not encrypt the new key (\(error))")
        }
        try KeyFiles.createParentFolders(of: out)
        try KeyFiles.writeNew(bytes, to: out, force: options.force)
        return out
    }
}
