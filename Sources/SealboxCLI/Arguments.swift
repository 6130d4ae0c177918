// How the command line's values become types, once, where they enter (STYLE.md lesson 16):
// a case reference, a status and a day are parsed by ArgumentParser through these
// conformances, so every command receives them typed and `--help` lists the statuses.
import ArgumentParser
import Foundation
import SealboxCore

extension CaseReference: ExpressibleByArgument {
    /// Accepts `7KQM-3XWP`, lower case, and a missing dash; surrounding spaces are ignored.
    public init?(argument: String) {
        guard let reference = try? CaseReference(parsing: argument.trimmingCharacters(in: .whitespaces)) else { return nil }
        self = reference
    }
}

extension CaseStatus: ExpressibleByArgument {
    /// Accepts any case and `_` or nothing for the hyphen: `In-Progress`, `in_progress`, `inprogress`.
    public init?(argument: String) {
        let normalised = argument.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        guard let status = CaseStatus(rawValue: normalised == "inprogress" ? "in-progress" : normalised) else { return nil }
        self = status
    }
}

extension Day: ExpressibleByArgument {
    /// Accepts `YYYY-MM-DD`.
    public init?(argument: String) {
        self.init(argument)
    }
}

extension Month: ExpressibleByArgument {
    /// Accepts `YYYY-MM`.
    public init?(argument: String) {
        guard let month = try? Month(parsing: argument.trimmingCharacters(in: .whitespaces)) else { return nil }
        self = month
    }
}
