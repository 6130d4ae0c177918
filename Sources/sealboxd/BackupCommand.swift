// `sealboxd backup --to FILE` copies the live database consistently into a new 0600 file,
// and the key store into FILE's sibling `….keystore.sqlite`;
// `sealboxd backup --to-dir DIR` does so into DIR/sealbox-YYYY-MM-DD.sqlite and
// DIR/sealbox-YYYY-MM-DD.keystore.sqlite, keeps the `backup.keep_days` (or --keep) newest
// database copies and the key-store copies of the last `backup.keystore_keep_days` days
// (systemd/sealboxd-backup.service runs it daily; docs/OPERATIONS.md §7).
import ArgumentParser
import Foundation
import SealboxCore
import SealboxServer

extension SealboxDaemonCommand {
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database consistently into a new file (mode 0600) while the daemon runs.",
            discussion: """
                With --to, the copy goes into FILE, which must not exist, and the key store's copy into \
                FILE with .sqlite replaced by .keystore.sqlite. With --to-dir, they go into \
                DIR/sealbox-YYYY-MM-DD.sqlite and DIR/sealbox-YYYY-MM-DD.keystore.sqlite (the day in UTC; \
                nothing is copied when the file exists already); the newest backup.keep_days (or --keep) \
                database copies stay, and the key-store copies of the last backup.keystore_keep_days days: \
                older ones are removed, which is when deleted cases become unreadable from every backup. \
                Never archive key-store copies beyond that. The pepper file is not in the copy: back it up \
                once, apart from the database (docs/OPERATIONS.md §7).
                """)

        @OptionGroup var options: ConfigOption

        @Option(name: .long, help: ArgumentHelp("The backup file to create; an existing file is never overwritten.",
                                                valueName: "file"))
        var to: String?

        @Option(name: .customLong("to-dir"), help: ArgumentHelp(
            "The folder of daily backups, instead of --to.", valueName: "dir"))
        var toDir: String?

        @Option(name: .long, help: ArgumentHelp(
            "With --to-dir: how many daily database copies to keep (1–3660; default backup.keep_days).", valueName: "n"))
        var keep: Int?

        func validate() throws {
            guard (to == nil) != (toDir == nil) else { throw ValidationError("give either --to FILE or --to-dir DIR") }
            if let keep, !BackupRotation.keepRange.contains(keep) { throw ValidationError("--keep must be between 1 and 3660") }
        }

        func run() async throws {
            umask(0o077)
            do {
                let configuration = try await options.load()
                let source = URL(fileURLWithPath: configuration.storagePath).appendingPathComponent("sealbox.sqlite").path
                let keyStore = MailboxDatabase.keyStorePath(besideDatabase: source)
                if let to {
                    let keyCopy = KeyStore.backupPath(besideDatabaseCopy: to)
                    let summary = try MailboxDatabase.backup(databaseAt: source, to: to)
                    print("sealboxd: backup of \(summary.cases) cases (\(summary.bytes) bytes) written to \(to)")
                    if KeyStore.exists(path: keyStore) {
                        let keys = try KeyStore.backup(keyStoreAt: keyStore, to: keyCopy)
                        print("sealboxd: key store (\(keys) keys) written to \(keyCopy)")
                    }
                    return
                }
                // The day of the horizon is the daemon's day (a debug build under test may move it).
                let outcome = try BackupRotation.run(
                    databaseAt: source, intoDirectory: toDir ?? ".", keep: keep ?? configuration.backupKeepDays,
                    keyStore: keyStore, keystoreKeepDays: configuration.keystoreKeepDays, day: DaemonClock.fromEnvironment().today())
                if let summary = outcome.summary {
                    print("sealboxd: backup of \(summary.cases) cases (\(summary.bytes) bytes) written to \(outcome.path)")
                } else {
                    print("sealboxd: \(outcome.path) exists already; no new backup today")
                }
                if let path = outcome.keyStorePath {
                    if let keys = outcome.keysCopied {
                        print("sealboxd: key store (\(keys) keys) written to \(path)")
                    } else {
                        print("sealboxd: \(path) exists already")
                    }
                }
                for name in outcome.removedKeyStores { print("sealboxd: removed the key-store copy \(name) (past the horizon)") }
                for name in outcome.removed { print("sealboxd: removed the expired backup \(name)") }
            } catch {
                FileHandle.standardError.write(Data("sealboxd: error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
