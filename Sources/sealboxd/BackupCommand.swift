// `sealboxd backup --to FILE` copies the live database consistently into a new 0600 file;
// `sealboxd backup --to-dir DIR --keep N` does so into DIR/sealbox-YYYY-MM-DD.sqlite and
// keeps the N newest of those (systemd/sealboxd-backup.service runs it daily).
import ArgumentParser
import Foundation
import SealboxCore
import SealboxServer

extension SealboxDaemonCommand {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database consistently into a new file (mode 0600) while the daemon runs.",
            discussion: """
                With --to, the copy goes into FILE, which must not exist. With --to-dir, it goes into \
                DIR/sealbox-YYYY-MM-DD.sqlite (the day in UTC; nothing is copied when that file exists \
                already), and only the --keep newest files of that form stay in DIR. The pepper file is \
                not in the copy: back it up once, apart from the database (docs/OPERATIONS.md §7).
                """)

        @OptionGroup var options: ConfigOption

        @Option(name: .long, help: ArgumentHelp("The backup file to create; an existing file is never overwritten.",
                                                valueName: "file"))
        var to: String?

        @Option(name: .customLong("to-dir"), help: ArgumentHelp(
            "The folder of daily backups, instead of --to.", valueName: "dir"))
        var toDir: String?

        @Option(name: .long, help: ArgumentHelp("With --to-dir: how many daily backups to keep (1–3660).",
                                                valueName: "n"))
        var keep: Int = 30

        func validate() throws {
            guard (to == nil) != (toDir == nil) else { throw ValidationError("give either --to FILE or --to-dir DIR") }
            guard BackupRotation.keepRange.contains(keep) else { throw ValidationError("--keep must be between 1 and 3660") }
        }

        func run() async throws {
            umask(0o077)
            do {
                let configuration = try await options.load()
                let source = URL(fileURLWithPath: configuration.storagePath).appendingPathComponent("sealbox.sqlite").path
                if let to {
                    let summary = try MailboxDatabase.backup(databaseAt: source, to: to)
                    print("sealboxd: backup of \(summary.cases) cases (\(summary.bytes) bytes) written to \(to)")
                    return
                }
                let outcome = try BackupRotation.run(databaseAt: source, intoDirectory: toDir ?? ".", keep: keep)
                if let summary = outcome.summary {
                    print("sealboxd: backup of \(summary.cases) cases (\(summary.bytes) bytes) written to \(outcome.path)")
                } else {
                    print("sealboxd: \(outcome.path) exists already; no new backup today")
                }
                for name in outcome.removed { print("sealboxd: removed the expired backup \(name)") }
            } catch {
                FileHandle.standardError.write(Data("sealboxd: error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
