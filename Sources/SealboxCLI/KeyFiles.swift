// Reading and writing secret key files on the workstation. A new key file is
// created with O_EXCL and mode 0600 and never replaces an existing file unless
// --force was given (then it is written beside it and renamed over it, so that a
// failure leaves the old file intact). Opening failures are told apart for people:
// a wrong passphrase, a file of the other key type, a file that is no key file.
import Foundation
import SealboxCore
import SealboxCrypto

enum KeyFiles {
    /// The bytes of a key file, or a clear error.
    static func readFile(_ url: URL, what: String) throws(CLIError) -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "permission denied?" : "no such file"
            throw CLIError("cannot read the \(what) \(url.path) (\(reason))")
        }
    }

    /// The public key of the team key file at `url`, read without the passphrase.
    static func teamPublicKey(at url: URL) throws(CLIError) -> BoxPublicKey {
        let bytes = try readFile(url, what: "team key file")
        guard let text = try? KeyFile.publicKeyText(of: bytes) else { throw notAKeyFile(url) }
        guard let key = try? BoxPublicKey(teamText: text) else { throw wrongType(url, expected: .team) }
        return key
    }

    /// The public signing key of the staff (or member) key file at `url`, read without the passphrase.
    static func staffPublicKey(at url: URL) throws(CLIError) -> SigningPublicKey {
        let bytes = try readFile(url, what: "staff key file")
        guard let text = try? KeyFile.publicKeyText(of: bytes) else { throw notAKeyFile(url) }
        if let member = try? MemberPublicKey(text: text) { return member.signingKey }
        guard let key = try? SigningPublicKey(text: text) else { throw wrongType(url, expected: .staff) }
        return key
    }

    /// The user's own member id: the member id of a member key file (PROTOCOL §12.1), the
    /// key id of a staff key file; read without the passphrase.
    static func ownMemberID(at url: URL) throws(CLIError) -> KeyID {
        let bytes = try readFile(url, what: "staff key file")
        guard let text = try? KeyFile.publicKeyText(of: bytes) else { throw notAKeyFile(url) }
        if let member = try? MemberPublicKey(text: text) { return member.memberID }
        guard let key = try? SigningPublicKey(text: text) else { throw wrongType(url, expected: .staff) }
        return key.keyID
    }

    /// Opens the member key file at `url` (PROTOCOL §12.1), asking for or reading its passphrase.
    static func openMemberKey(at url: URL, settings: Settings, passphraseFlag: String?,
                              staffPassphraseFlag: String? = nil) throws(CLIError) -> MemberSecretKey {
        let bytes = try readFile(url, what: "member key file")
        try checkType(bytes, at: url, expected: .member)
        let passphrase = try staffPassphrase(url, settings: settings, passphraseFlag: passphraseFlag,
                                             staffPassphraseFlag: staffPassphraseFlag, what: "member key")
        return try openMemberKey(bytes, at: url, passphrase: passphrase)
    }

    /// Opens the member key file at `url` with a passphrase given (the desk's sign-in).
    static func openMemberKey(at url: URL, passphrase: SecureBytes) throws(CLIError) -> MemberSecretKey {
        let bytes = try readFile(url, what: "member key file")
        try checkType(bytes, at: url, expected: .member)
        return try openMemberKey(bytes, at: url, passphrase: passphrase)
    }

    private static func openMemberKey(_ bytes: [UInt8], at url: URL, passphrase: SecureBytes) throws(CLIError) -> MemberSecretKey {
        do {
            return try KeyFile.openMemberKey(bytes, passphrase: passphrase)
        } catch {
            throw openingError(error, url: url)
        }
    }

    /// The member public key in a `.pub` file (its first line) or given as text, and the
    /// file's label line (`label: NAME`) when there is one.
    static func memberPublicKey(_ argument: String) throws(CLIError) -> (key: MemberPublicKey, label: String?) {
        if let key = try? MemberPublicKey(text: argument) { return (key, nil) }
        let url = URL(fileURLWithPath: argument)
        let bytes = try readFile(url, what: "member public key file")
        guard let found = memberPublicKey(contents: String(decoding: bytes, as: UTF8.self)) else {
            throw CLIError("\(url.path) holds no member public key",
                           hint: "name the NAME.key.pub file written by `sealbox keygen --member`, or give the sealbox-member-v1:… text")
        }
        return found
    }

    /// The key and label of a public key file's text (NAME.key.pub), or of the key text alone.
    static func memberPublicKey(contents: String) -> (key: MemberPublicKey, label: String?)? {
        let lines = contents.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first, let key = try? MemberPublicKey(text: first) else { return nil }
        let label = lines.dropFirst().first { $0.hasPrefix("label:") }
            .map { String($0.dropFirst("label:".count)).trimmingCharacters(in: .whitespaces) }
        return (key, label?.isEmpty == false ? label : nil)
    }

    /// The staff keys whose signed replies this workstation accepts (PROTOCOL §3.3): the
    /// user's own (from the staff key file, when one is set) and the `staff_public_keys` setting.
    static func knownStaffKeys(settings: Settings, staffKeyFlag: String? = nil) throws(CLIError) -> Set<SigningPublicKey> {
        var keys = Set<SigningPublicKey>()
        if let url = settings.path(.staffKey, flag: staffKeyFlag) { keys.insert(try staffPublicKey(at: url)) }
        let listed = settings.value(.staffPublicKeys, flag: nil) ?? ""
        for text in listed.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            guard let key = try? SigningPublicKey(text: String(text)) else {
                throw CLIError("\"\(Terminal.displaySafe(String(text.prefix(40))))\" in staff_public_keys is not a staff public key",
                               hint: "list keys like sealbox-staff-v1:…, separated by commas (SEALBOX_STAFF_PUBLIC_KEYS or \"staff_public_keys\")",
                               status: .usage)
            }
            keys.insert(key)
        }
        return keys
    }

    /// Opens the team key file at `url`, asking for or reading its passphrase.
    static func openTeamKey(at url: URL, settings: Settings, passphraseFlag: String?) throws(CLIError) -> BoxSecretKey {
        let bytes = try readFile(url, what: "team key file")
        try checkType(bytes, at: url, expected: .team)
        let passphrase = try Passphrase.obtain(settings: settings, flag: passphraseFlag,
                                               prompt: "Passphrase for the team key \(url.path): ")
        do {
            return try KeyFile.openTeamKey(bytes, passphrase: passphrase)
        } catch {
            throw openingError(error, url: url)
        }
    }

    /// Opens the team key file at `url` with a passphrase given (the desk's sign-in).
    static func openTeamKey(at url: URL, passphrase: SecureBytes) throws(CLIError) -> BoxSecretKey {
        let bytes = try readFile(url, what: "team key file")
        try checkType(bytes, at: url, expected: .team)
        do {
            return try KeyFile.openTeamKey(bytes, passphrase: passphrase)
        } catch {
            throw openingError(error, url: url)
        }
    }

    /// Opens the staff (or member) key file at `url` with a passphrase given (the desk's sign-in).
    static func openStaffKey(at url: URL, passphrase: SecureBytes) throws(CLIError) -> SigningSecretKey {
        let bytes = try readFile(url, what: "staff key file")
        if (try? KeyFile.type(of: bytes)) == .member {
            return try openMemberKey(bytes, at: url, passphrase: passphrase).signingKey
        }
        try checkType(bytes, at: url, expected: .staff)
        do {
            return try KeyFile.openStaffKey(bytes, passphrase: passphrase)
        } catch {
            throw openingError(error, url: url)
        }
    }

    /// Opens the staff key file at `url`, asking for or reading its passphrase.
    /// A staff key passphrase file (--staff-passphrase-file, SEALBOX_STAFF_PASSPHRASE_FILE,
    /// "staff_passphrase_file") is preferred to the passphrase file, for commands that
    /// open both keys.
    static func openStaffKey(at url: URL, settings: Settings, passphraseFlag: String?,
                             staffPassphraseFlag: String? = nil) throws(CLIError) -> SigningSecretKey {
        let bytes = try readFile(url, what: "staff key file")
        // A member key file (PROTOCOL §12.1) signs requests with its Ed25519 key.
        if (try? KeyFile.type(of: bytes)) == .member {
            return try openMemberKey(at: url, settings: settings, passphraseFlag: passphraseFlag,
                                     staffPassphraseFlag: staffPassphraseFlag).signingKey
        }
        try checkType(bytes, at: url, expected: .staff)
        let passphrase = try staffPassphrase(url, settings: settings, passphraseFlag: passphraseFlag,
                                             staffPassphraseFlag: staffPassphraseFlag, what: "staff key")
        do {
            return try KeyFile.openStaffKey(bytes, passphrase: passphrase)
        } catch {
            throw openingError(error, url: url)
        }
    }

    private static func staffPassphrase(_ url: URL, settings: Settings, passphraseFlag: String?, staffPassphraseFlag: String?,
                                        what: String) throws(CLIError) -> SecureBytes {
        if let file = settings.path(.staffPassphraseFile, flag: staffPassphraseFlag) {
            return try Passphrase.read(file: file)
        }
        return try Passphrase.obtain(settings: settings, flag: passphraseFlag, prompt: "Passphrase for the \(what) \(url.path): ")
    }

    /// Refuses, before any passphrase is asked, a file that is not a key file of the expected type.
    private static func checkType(_ bytes: [UInt8], at url: URL, expected: KeyFileType) throws(CLIError) {
        guard let text = try? KeyFile.publicKeyText(of: bytes) else { throw notAKeyFile(url) }
        let matches = switch expected {
        case .team: text.hasPrefix(BoxPublicKey.textPrefix)
        case .staff: text.hasPrefix(SigningPublicKey.textPrefix)
        case .member: text.hasPrefix(MemberPublicKey.textPrefix)
        }
        guard matches else { throw wrongType(url, expected: expected) }
    }

    static func openingError(_ error: CryptoError, url: URL) -> CLIError {
        switch error {
        case .authenticationFailed:
            CLIError("the passphrase does not open \(url.path)",
                     hint: "check the passphrase (or the file named by --passphrase-file / SEALBOX_PASSPHRASE_FILE) and try again",
                     status: .authentication)
        case .unsupportedVersion:
            CLIError("\(url.path) was written by a newer version of Sealbox", hint: "update sealbox")
        case .invalidKey:
            CLIError("\(url.path) is damaged: its secret key does not match its public key",
                     hint: "use a backup copy of the key file", status: .authentication)
        case .malformed, .notSealedToThisKey, .internalFailure:
            notAKeyFile(url)
        }
    }

    private static func notAKeyFile(_ url: URL) -> CLIError {
        CLIError("\(url.path) is not a Sealbox key file", hint: "key files are made by `sealbox keygen` (--team for the team key) and `sealbox staff-keygen`")
    }

    private static func wrongType(_ url: URL, expected: KeyFileType) -> CLIError {
        switch expected {
        case .team:
            CLIError("\(url.path) holds a staff signing key, not the team key",
                     hint: "name the team key file (made by `sealbox keygen --team`) with --team-key or SEALBOX_TEAM_KEY")
        case .staff:
            CLIError("\(url.path) holds the team key, not a staff signing key",
                     hint: "name your staff key file (made by `sealbox staff-keygen`) with --staff-key or SEALBOX_STAFF_KEY")
        case .member:
            CLIError("\(url.path) is not a member key file",
                     hint: "name your member key file (made by `sealbox keygen`) with --staff-key or SEALBOX_STAFF_KEY")
        }
    }

    // MARK: - Writing

    /// Refuses early when `url` exists and `force` is not set.
    static func checkWritable(_ url: URL, force: Bool) throws(CLIError) {
        var info = stat()
        if lstat(url.path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw CLIError("\(url.path) is a folder", hint: "give a file name with --out") }
            if !force { throw exists(url) }
        }
    }

    /// Creates the missing folders above `url` with mode 0700, so that `--out
    /// ~/.config/sealbox/team.key` works on a fresh account; existing folders are left as they are.
    static func createParentFolders(of url: URL) throws(CLIError) {
        var missing: [URL] = []
        var folder = url.deletingLastPathComponent()
        var info = stat()
        while folder.path != "/" && lstat(folder.path, &info) != 0 {
            missing.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        for folder in missing.reversed() where mkdir(folder.path, 0o700) != 0 && errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw CLIError("cannot create the folder \(folder.path) (\(reason))",
                           hint: "check that you may write in \(folder.deletingLastPathComponent().path)")
        }
    }

    /// Writes a new key file with mode 0600: O_EXCL, or write-beside-and-rename with `force`.
    static func writeNew(_ bytes: [UInt8], to url: URL, force: Bool) throws(CLIError) {
        if !force {
            try writeExclusive(bytes, to: url)
            return
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).new-\(Hex.encode(Random.bytes(6)))")
        try writeExclusive(bytes, to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw CLIError("cannot replace \(url.path) (\(reason))")
        }
    }

    private static func writeExclusive(_ bytes: [UInt8], to url: URL) throws(CLIError) {
        do {
            try PrivateFile.create(at: url.path, contents: bytes)
        } catch {
            if error.fileExists { throw exists(url) }
            if error.step == .create {
                throw CLIError("cannot create \(url.path) (\(error.reason))",
                               hint: "check that the folder exists and that you may write in it")
            }
            throw CLIError("cannot write \(url.path) (\(error.reason))")
        }
    }

    private static func exists(_ url: URL) -> CLIError {
        CLIError("\(url.path) exists already, and sealbox does not overwrite a key file",
                 hint: "choose another name with --out, or add --force to replace it (the old key is then gone for good)")
    }
}
