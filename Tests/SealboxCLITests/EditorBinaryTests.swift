// `sealbox reply` without --file: the editor runs on a private template file that is
// gone afterwards. Needs a terminal, so the binary runs under script(1) (skipped where
// script is missing); the server is unreachable, so nothing is sent.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation
import Testing

@Suite struct EditorBinaryTests {
    static let scriptPath = "/usr/bin/script"

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: scriptPath)))
    func theEditor_getsAPrivateTemplateThatIsRemovedAfterwards() throws {
        let home = try TemporaryFolder()
        let (team, teamFile) = try Fixtures.teamKey(in: home)
        let staffFile = try Fixtures.staffKey(in: home).file
        let passphrase = try Fixtures.passphraseFile(in: home)
        let store = try WorkstationStore(directory: home.path("data/sealbox").creatingDirectory())
        let reporter = BoxSecretKey.generate()
        let content = ReportContent(type: .report, caseReference: try CaseReference(parsing: "7KQM-3XWP"),
                                    day: Day("2026-11-24")!, reporterKey: reporter.publicKey, text: "report")
        let item = StoredItem(id: .generate(), caseReference: Fixtures.ref("7KQM-3XWP"), kind: .report,
                              day: Fixtures.day("2026-11-24"), position: 1,
                              envelope: try Envelope.seal(try content.encoded(), kind: .report, to: [team.publicKey]))
        try store.insert(items: [item])

        // The template goes to $XDG_RUNTIME_DIR (a tmpfs in a real session), before $TMPDIR.
        let runtime = try home.path("runtime").creatingDirectory()
        // The "editor" records what it saw and writes a reply above the template.
        let seen = home.path("seen")
        let editor = try home.write("editor.sh", """
            #!/bin/sh
            stat -c '%a' "$1" > '\(seen.path).file-mode'
            stat -c '%a' "$(dirname "$1")" > '\(seen.path).folder-mode'
            echo "$1" > '\(seen.path).path'
            grep 'Max core file size' /proc/$PPID/limits > '\(seen.path).core-limit'
            cp "$1" '\(seen.path).template'
            { echo 'Thank you, we will call.'; cat "$1"; } > "$1.new" && mv "$1.new" "$1"

            """)
        chmod(editor.path, 0o755)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.scriptPath)
        process.arguments = ["-qec", "'\(try SealboxBinary.location().path)' reply 7KQM-3XWP", "/dev/null"]
        process.environment = [
            "HOME": home.url.path, "XDG_CONFIG_HOME": home.path("config").path, "XDG_DATA_HOME": home.path("data").path,
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": "/var/tmp", "EDITOR": editor.path,
            "XDG_RUNTIME_DIR": runtime.path,
            "SEALBOX_SERVER": "http://127.0.0.1:9", "SEALBOX_STAFF_KEY": staffFile.path,
            "SEALBOX_TEAM_KEY": teamFile.path, "SEALBOX_PASSPHRASE_FILE": passphrase.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 4, "\(text)")
        #expect(text.contains("cannot reach the server"))
        let template = try String(contentsOf: URL(fileURLWithPath: seen.path + ".template"), encoding: .utf8)
        #expect(template.contains("# Write your reply to case 7KQM-3XWP"))
        #expect(try String(contentsOf: URL(fileURLWithPath: seen.path + ".file-mode"), encoding: .utf8) == "600\n")
        #expect(try String(contentsOf: URL(fileURLWithPath: seen.path + ".folder-mode"), encoding: .utf8) == "700\n")
        let file = try String(contentsOf: URL(fileURLWithPath: seen.path + ".path"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(file.hasPrefix(runtime.path + "/sealbox-reply-"))
        // sealbox (the editor's parent) cannot leave a core file with decrypted text in it.
        let coreLimit = try String(contentsOf: URL(fileURLWithPath: seen.path + ".core-limit"), encoding: .utf8)
        #expect(coreLimit.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"],
                "\(coreLimit)")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(!FileManager.default.fileExists(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path))
    }
}
