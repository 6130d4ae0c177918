// The one path by which a configuration is judged before the daemon uses it: the start
// (buildApplication) and `sealboxd check-config` run the same checks.
//
// Rules this file enforces:
// - nothing here creates, migrates, records or binds anything: the database is only
//   looked at read-only, the pepper file only read, the texts only loaded;
// - every problem is listed, not the first one only;
// - what the start would create (the storage directory, the database, the pepper of a
//   database without cases) is not a problem; what it would refuse is.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxL10n

/// What `check-config` found: the configuration as read (when it could be read at all)
/// and every problem, each one line.
public struct ConfigurationCheck: Sendable {
    public var configuration: ServerConfiguration?
    public var problems: [String]
    /// Short facts for the "configuration ok" summary.
    public var facts: [String]
}

public enum StartupCheck {
    /// Reads the configuration (file and environment) and checks everything the start
    /// checks, without starting or changing anything.
    public static func run(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async
        -> ConfigurationCheck
    {
        let read = await ServerConfiguration.read(file: file, environment: environment)
        var problems = read.problems.map(\.description)
        guard let configuration = read.configuration else {
            return ConfigurationCheck(configuration: nil, problems: problems, facts: [])
        }
        let files = check(configuration)
        problems += files.problems
        return ConfigurationCheck(configuration: configuration, problems: problems, facts: files.facts)
    }

    /// The problems of the files and directories `configuration` names: texts, storage,
    /// the pepper file and the database (read-only). Empty: the start may go on.
    public static func problems(_ configuration: ServerConfiguration) -> [String] {
        check(configuration).problems
    }

    static func check(_ configuration: ServerConfiguration) -> (problems: [String], facts: [String]) {
        var problems: [String] = []
        var facts: [String] = []
        do {
            _ = try Catalogue.loadShipped(requiredKeys: Catalogue.derivedKeys)
            if !configuration.l10nDirectory.isEmpty {
                let overrides = try CatalogueOverrides.load(directory: configuration.l10nDirectory, requiredKeys: Catalogue.derivedKeys)
                facts.append("texts: overrides from \(configuration.l10nDirectory) (\(overrides.strings.count) languages)")
            }
        } catch {
            problems.append("l10n.directory: \(error)")
        }
        let storage = configuration.storagePath
        let database = URL(fileURLWithPath: storage).appendingPathComponent("sealbox.sqlite").path
        var storageUsable = true
        if let problem = storageProblem(storage) {
            problems.append(problem)
            storageUsable = false
        }
        var state: DatabaseState?
        if storageUsable, let problem = ownerProblem(database) {
            problems.append(problem)
            storageUsable = false
        }
        if storageUsable {
            do {
                state = try MailboxDatabase.inspect(path: database)
                if let state, !state.unknownMigrations.isEmpty {
                    problems.append(DatabaseStateError.newerRelease(path: database, migrations: state.unknownMigrations).description)
                } else if let state {
                    facts.append("database: \(state.cases) cases" + (state.pendingMigrations.isEmpty ? ""
                        : ", to be migrated at start (\(state.pendingMigrations.joined(separator: ", ")))"))
                    // The key store: refused when missing beside cases that need it (PROTOCOL §10.4).
                    let keyStore = MailboxDatabase.keyStorePath(besideDatabase: database)
                    if KeyStore.exists(path: keyStore) {
                        facts.append("key store: \(keyStore)")
                    } else if state.cases > 0, !state.pendingMigrations.contains(MailboxDatabase.storageKeysMigrationName) {
                        problems.append(KeyStoreError.missing(path: keyStore, cases: state.cases).description)
                    } else {
                        facts.append("key store: \(keyStore) missing, created at start")
                    }
                } else {
                    facts.append("database: none yet, created at start")
                }
            } catch {
                problems.append(error.description)
            }
        }
        if storageUsable, state != nil, !configuration.staffLeads.isEmpty {
            // The same verification as at start (RosterBook): the stored chain from staff.leads.
            do {
                var roster = try RosterVerifier(leads: configuration.staffLeads.map { ($0.label, $0.key) })
                for entry in try MailboxDatabase.inspectRoster(path: database) {
                    do {
                        try roster.apply(entry)
                    } catch {
                        throw StartupError(description:
                            "the roster in the database does not verify from staff.leads at entry \(entry.seq): \(error)")
                    }
                }
                if let problem = RosterBook.recoveryProblem(roster, configured: configuration.recoveryPublicKey) {
                    throw StartupError(description: problem)
                }
                facts.append("roster: \(roster.activeMembers.count) active members, verified up to entry \(roster.head.seq)"
                             + (roster.epoch > 0 ? ", epoch \(roster.epoch)" : ""))
            } catch let error as StartupError {
                problems.append(error.description)
            } catch {
                problems.append("the roster in the database cannot be read (\(error))")
            }
        }
        let pepperFile = configuration.resolvedPepperFile
        var pepper: Pepper?
        if PepperFile.exists(path: pepperFile) {
            do {
                pepper = try PepperFile.load(path: pepperFile)
                facts.append("pepper: \(pepperFile)")
            } catch {
                problems.append(error.description)
            }
        } else {
            let directory = (pepperFile as NSString).deletingLastPathComponent
            let willBeCreated = URL(fileURLWithPath: directory).standardized.path == URL(fileURLWithPath: storage).standardized.path
            if willBeCreated || access(directory.isEmpty ? "." : directory, W_OK | X_OK) == 0 {
                facts.append("pepper: \(pepperFile) missing, created at start")
            } else {
                problems.append(PepperFileError.cannotCreate(pepperFile).description
                    + " (its directory does not exist or this user cannot write there)")
            }
        }
        if let state, pepper != nil || !PepperFile.exists(path: pepperFile),
           let problem = PepperCheck.problem(pepperFile: pepperFile, pepper: pepper, cases: state.cases, recorded: state.pepperCheck) {
            problems.append(problem.description)
        }
        return (problems, facts)
    }

    /// The storage directory must be a directory this user can write, or creatable; no one
    /// else may write into it.
    static func storageProblem(_ path: String) -> String? {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            let parent = (path as NSString).deletingLastPathComponent
            var probe = (parent.isEmpty ? "." : parent)
            while !FileManager.default.fileExists(atPath: probe) {
                let up = (probe as NSString).deletingLastPathComponent
                probe = up.isEmpty ? "." : up
            }
            return access(probe, W_OK | X_OK) == 0 ? nil : "storage.path \(path) does not exist and cannot be created"
        }
        guard isDirectory.boolValue else { return "storage.path \(path) is not a directory" }
        guard let attributes = try? files.attributesOfItem(atPath: path),
              let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
        else { return "storage.path \(path) cannot be read" }
        guard access(path, R_OK | W_OK | X_OK) == 0 else {
            return "storage.path \(path) is not writable by this user (uid \(getuid())); the daemon's user must own it"
        }
        guard mode & 0o022 == 0 else {
            return "storage.path \(path) has mode \(String(mode & 0o777, radix: 8)): others may write into it (chmod 700)"
        }
        return nil
    }

    /// A database of another user is not opened: as root, even a read-only look would
    /// leave files the daemon's user cannot open.
    static func ownerProblem(_ database: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: database),
              let owner = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value, owner != getuid()
        else { return nil }
        return "the database \(database) belongs to uid \(owner), not to this user (uid \(getuid())): "
            + "run the check as the daemon's user (sudo -u sealbox sealboxd check-config …)"
    }
}
