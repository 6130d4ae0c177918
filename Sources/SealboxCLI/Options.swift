// Option groups shared by several subcommands, so that every command names a
// setting the same way. Each defaults to its environment variable, then to the
// settings file (see Settings.swift).
import ArgumentParser
import Foundation
import SealboxCrypto

struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The folder of the local store (default: $SEALBOX_STORE, \"store\" in the settings file, or $XDG_DATA_HOME/sealbox).",
        valueName: "dir"))
    var store: String?
}

struct ServerOptions: ParsableArguments {
    @Option(name: .customLong("server"), help: ArgumentHelp(
        "The staff address of sealboxd (default: $SEALBOX_SERVER, \"server\" in the settings file, or \(Settings.defaultServer)).",
        valueName: "url"))
    var server: String?

    @Option(name: .customLong("staff-key"), help: ArgumentHelp(
        "Your staff key file (default: $SEALBOX_STAFF_KEY or \"staff_key\" in the settings file).",
        valueName: "file"))
    var staffKey: String?

    @Option(name: .customLong("server-ca-file"), help: ArgumentHelp(
        "Trust the server's certificate when this PEM file's certificate authority issued it, instead of the system's authorities (default: $SEALBOX_SERVER_CA_FILE or \"server_ca_file\" in the settings file).",
        valueName: "file"))
    var serverCAFile: String?

    @Option(name: .customLong("server-certificate-sha256"), help: ArgumentHelp(
        "Accept only the server certificate with this SHA-256 fingerprint, whoever issued it (default: $SEALBOX_SERVER_CERTIFICATE_SHA256 or \"server_certificate_sha256\" in the settings file).",
        valueName: "sha256"))
    var serverCertificateSHA256: String?
}

struct TeamKeyOptions: ParsableArguments {
    @Option(name: .customLong("team-key"), help: ArgumentHelp(
        "The team key file (default: $SEALBOX_TEAM_KEY or \"team_key\" in the settings file).",
        valueName: "file"))
    var teamKey: String?
}

struct PassphraseOptions: ParsableArguments {
    @Option(name: .customLong("passphrase-file"), help: ArgumentHelp(
        "Read the key file's passphrase from this file instead of asking (default: $SEALBOX_PASSPHRASE_FILE or \"passphrase_file\" in the settings file).",
        valueName: "file"))
    var passphraseFile: String?
}

struct StaffPassphraseOptions: ParsableArguments {
    @Option(name: .customLong("staff-passphrase-file"), help: ArgumentHelp(
        "Read the staff key file's passphrase from this file, when it differs from the team key's (default: $SEALBOX_STAFF_PASSPHRASE_FILE or \"staff_passphrase_file\" in the settings file; else the passphrase file).",
        valueName: "file"))
    var staffPassphraseFile: String?
}

/// The options of every command that sends a signed request: server, staff key and passphrases.
struct StaffOptions: ParsableArguments {
    @OptionGroup var server: ServerOptions
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var staffPassphrase: StaffPassphraseOptions

    /// Opens the staff key these options name and makes a client for the configured server.
    func client(settings: Settings, purpose: String) throws(CLIError) -> StaffClient {
        try StaffClient.configured(settings: settings, server: server, passphrase: passphrase,
                                   staffPassphrase: staffPassphrase, purpose: purpose)
    }

    /// As `client(settings:purpose:)`, signing with `signingKey` when the member key was opened already.
    func client(settings: Settings, purpose: String, signingKey: (any MessageSigner)?) throws(CLIError) -> StaffClient {
        guard let signingKey else { return try client(settings: settings, purpose: purpose) }
        let serverURL = try settings.server(flag: server.server)
        let keyFile = try settings.requiredPath(.staffKey, flag: server.staffKey, for: purpose)
        let trust = try settings.serverTrust(for: serverURL, caFileFlag: server.serverCAFile, pinFlag: server.serverCertificateSHA256)
        return StaffClient(server: serverURL, key: signingKey, keyFileName: keyFile.path, trust: trust)
    }
}
