// sealboxd: `run` (the default) serves the mailbox until SIGTERM; `check-config` checks
// everything the start checks and changes nothing; `print-texts TAG` prints a
// shipped language's texts; `check-texts` lists translations whose German or English source
// changed since they were translated; `benchmark-kdf` measures the bare Argon2id rate; `backup`
// (BackupCommand.swift) copies the live database consistently into a new 0600 file; `notify`
// sends the daily notice once, now, to check `notify.command`. Everything
// it does is a call into SealboxServer, so that tests reach the same code.
import ArgumentParser
import Foundation
import Logging
import SealboxCore
import SealboxL10n
import SealboxServer

@main
struct SealboxDaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sealboxd",
        abstract: "The Sealbox daemon: anonymous reports in, sealed to the counselling team.",
        discussion: "Every configuration key can also be set by an environment variable SEALBOX_<KEY>; see config/README.md.",
        version: SealboxRelease.version,
        subcommands: [Run.self, CheckConfig.self, PrintTexts.self, CheckTexts.self, BenchmarkKDF.self, Backup.self, Notify.self],
        defaultSubcommand: Run.self)
}

/// The configuration file option shared by the subcommands.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file (JSON).")
    var config: String?

    func load() async throws -> ServerConfiguration {
        try await ServerConfiguration.load(file: config)
    }
}

extension SealboxDaemonCommand {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the reporters' pages and the staff API until SIGTERM.")

        @OptionGroup var options: ConfigOption

        func run() async throws {
            umask(0o077)
            do {
                let configuration = try await options.load()
                let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
                LoggingSystem.bootstrap { label in PlainLogHandler(label: label, level: level) }
                let application = try buildApplication(configuration: configuration, logger: Logger(label: "sealboxd"))
                try await application.run()
            } catch {
                FileHandle.standardError.write(Data("sealboxd: error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct CheckConfig: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-config",
            abstract: "Check the configuration, texts, pepper file and database as a start would, changing nothing.",
            discussion: """
                Runs every check the daemon makes at start (keys, colours, texts, limits, listeners, \
                the storage directory, the pepper file against the database, the database's schema) \
                without binding a listener, creating a pepper or migrating the database. Run it as \
                the daemon's user before a restart. Exits 0 with a short summary when the daemon \
                would start; otherwise lists every problem on stderr and exits 1.
                """)

        @OptionGroup var options: ConfigOption

        func run() async throws {
            let check = await StartupCheck.run(file: options.config)
            guard check.problems.isEmpty, let configuration = check.configuration else {
                var text = "sealboxd: error: the configuration has \(check.problems.count) problem\(check.problems.count == 1 ? "" : "s"):\n"
                for problem in check.problems { text += "  - \(problem)\n" }
                FileHandle.standardError.write(Data(text.utf8))
                throw ExitCode(1)
            }
            print("sealboxd: configuration ok (\(SealboxRelease.version))")
            print("  listeners: public \(configuration.publicListen), staff \(configuration.staffListen)"
                + (configuration.resilience.onionListen.map { ", onion \($0)" } ?? ""))
            print("  staff keys: \(configuration.staffKeys.count); first leads of the roster: \(configuration.staffLeads.count); storage: \(configuration.storagePath)")
            for fact in check.facts { print("  \(fact)") }
        }
    }

    struct PrintTexts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a shipped language's texts as the JSON file an office starts its own from.")

        @Argument(help: "A shipped language tag: de, de-simple, en, tr, ar, uk, ru, pl or fa.")
        var tag: String

        func run() throws {
            guard let json = CatalogueOverrides.exportJSON(tag: tag) else {
                FileHandle.standardError.write(Data(
                    "sealboxd: error: no shipped language has the tag (de, de-simple, en, tr, ar, uk, ru, pl, fa)\n".utf8))
                throw ExitCode(64)
            }
            print(json)
        }
    }

    struct CheckTexts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-texts",
            abstract: "List, per language, the texts whose German or English source changed since they were translated.",
            discussion: """
                Each line is TAG KEY HASH: the text KEY of the language TAG is stale, and HASH is the \
                hash of its current source, which goes into the catalogue's "_source_hashes" once \
                a translator has updated the text. Exits 0 when nothing is stale, 1 otherwise.
                """)

        func run() throws {
            let set = Catalogue.shippedSet
            let stale = CatalogueReview.staleKeys(in: set)
            for language in set.languages {
                guard let keys = stale[language.tag] else { continue }
                let hashes = CatalogueReview.currentHashes(for: language.tag, in: set)
                for key in keys { print("\(language.tag) \(key) \(hashes[key] ?? "")") }
            }
            if !stale.isEmpty { throw ExitCode(1) }
        }
    }

    struct BenchmarkKDF: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "benchmark-kdf", abstract: "Measure the bare Argon2id rate with the configured cost and workers.")

        @OptionGroup var options: ConfigOption

        @Argument(help: "How long to measure, in seconds (1–600).")
        var seconds: Double = 5

        func validate() throws {
            guard (1...600).contains(seconds) else { throw ValidationError("seconds must be between 1 and 600") }
        }

        func run() async throws {
            let configuration = try await options.load()
            let result = try await KDFBenchmark.run(
                cost: configuration.kdfCost, workers: configuration.kdfWorkers, seconds: seconds)
            print("argon2id: \(result.count) derivations in \(String(format: "%.2f", result.elapsed)) s = "
                + "\(String(format: "%.1f", result.rate))/s (\(configuration.kdfWorkers) workers, \(configuration.kdfCost))")
        }
    }

    struct Notify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the daily notice once, now, to check notify.command.",
            discussion: """
                Runs notify.command with the notice's text on its standard input, as the daemon \
                does every day at notify.time (whatever notify.only_when_new says), and reports \
                how the command ended. Its output is not shown. Exits 0 when the command succeeded.
                """)

        @OptionGroup var options: ConfigOption

        func run() async throws {
            let configuration: ServerConfiguration
            do {
                configuration = try await options.load()
            } catch {
                FileHandle.standardError.write(Data("sealboxd: error: \(error)\n".utf8))
                throw ExitCode(1)
            }
            guard configuration.notice.isEnabled else {
                FileHandle.standardError.write(Data("sealboxd: error: notify.command is not set; there is no notice to send\n".utf8))
                throw ExitCode(1)
            }
            switch await NoticeCommand.run(configuration.notice.command, input: configuration.notice.text) {
            case .succeeded:
                print("sealboxd: the notice was sent (\(configuration.notice.command[0]) exited 0)")
            case .failed(let status):
                FileHandle.standardError.write(Data("sealboxd: error: \(configuration.notice.command[0]) failed with exit status \(status)\n".utf8))
                throw ExitCode(1)
            case .timedOut:
                FileHandle.standardError.write(Data("sealboxd: error: \(configuration.notice.command[0]) did not finish within \(Int(NoticeSettings.commandTimeout)) s and was stopped\n".utf8))
                throw ExitCode(1)
            case .cannotStart:
                FileHandle.standardError.write(Data("sealboxd: error: \(configuration.notice.command[0]) could not be started\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
