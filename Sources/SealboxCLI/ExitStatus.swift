// The exit codes of `sealbox`, documented in `sealbox --help` (STYLE.md lesson 11).
// Keep this list, the help text in SealboxCommand and docs in step.

/// How `sealbox` ends.
public enum ExitStatus: Int32, Sendable {
    /// Everything worked.
    case ok = 0
    /// Something went wrong: a missing setting, an unknown case, a file problem.
    case failure = 1
    /// The command line was wrong.
    case usage = 2
    /// A passphrase, key or sealed item did not authenticate: wrong passphrase,
    /// data sealed to another team key, or altered/damaged data.
    case authentication = 3
    /// The server could not be reached, or refused or failed the request.
    case server = 4
}

/// An error `sealbox` reports as `sealbox: error: <message>`, with an optional
/// hint line saying what to do, and ends with `status`.
public struct CLIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One sentence, lower case start, no trailing period; never secret or decrypted content.
    public let message: String
    /// What to do about it, or nil.
    public let hint: String?
    /// The exit code.
    public let status: ExitStatus

    public init(_ message: String, hint: String? = nil, status: ExitStatus = .failure) {
        self.message = message
        self.hint = hint
        self.status = status
    }

    /// The lines written to stderr.
    public var description: String {
        var text = "sealbox: error: \(message)"
        if let hint { text += "\nsealbox: hint: \(hint)" }
        return text
    }
}

extension CLIError {
    /// A setting that is needed but given nowhere.
    static func missingSetting(_ setting: Setting, for purpose: String) -> CLIError {
        CLIError(
            "no \(setting.humanName) given, but \(purpose) needs one",
            hint: "use \(setting.flag) \(setting.valueName), set \(setting.environmentVariable), "
                + "or put \"\(setting.configKey)\" into \(ConfigFile.defaultLocationForHumans)",
            status: .failure)
    }
}
