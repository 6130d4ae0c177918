// Rule: a configuration is judged whole. Reading it collects every problem, key by key,
// and refuses it with all of them at once, so that `sealboxd check-config` (and a start
// that fails) lists everything an administrator must fix, not the first thing only.

/// The problems found so far while reading or checking a configuration.
struct ProblemList {
    private(set) var errors: [ConfigurationError] = []

    /// Runs `body`; a failure is recorded and reading goes on.
    mutating func check(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as ConfigurationError {
            errors.append(contentsOf: error.problems)
        } catch {
            errors.append(.invalid("\(error)"))
        }
    }

    mutating func add(_ message: String) { errors.append(.invalid(message)) }

    /// Throws the one problem, or all of them together.
    func throwIfAny() throws(ConfigurationError) {
        if errors.count == 1 { throw errors[0] }
        if errors.count > 1 { throw .several(errors) }
    }
}

extension ConfigurationError {
    /// The single problems this error stands for.
    public var problems: [ConfigurationError] {
        if case .several(let all) = self { return all.flatMap(\.problems) }
        return [self]
    }
}
