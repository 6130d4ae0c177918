// Runs the real `sealbox` binary for keygen and staff-keygen.
import Foundation
import SealboxCrypto
import Testing

@Suite struct KeygenBinaryTests {
    let home: TemporaryFolder

    init() throws { home = try TemporaryFolder() }

    @Test func plainKeygen_writesAMemberKeyAndItsPublicFile_theTeamKeyNeedsTeam() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let result = try SealboxBinary.run(
            ["keygen", "--out", "anna.key", "--passphrase-file", passphrase.path, "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let publicKey = try MemberPublicKey(text: result.lastLine)
        let bytes = Array(try Data(contentsOf: home.path("anna.key")))
        #expect(try KeyFile.type(of: bytes) == .member)
        let opened = try KeyFile.openMemberKey(bytes, passphrase: SecureBytes(copying: Array(Fixtures.passphrase.utf8)))
        #expect(opened.publicKey == publicKey)
        #expect(try String(contentsOf: home.path("anna.key.pub"), encoding: .utf8) == "\(publicKey.text)\nlabel: anna\n")
        let both = try SealboxBinary.run(["keygen", "--team", "--member", "--out", "x.key"], home: home)
        #expect(both.status == 2)
        let labelled = try SealboxBinary.run(["keygen", "--team", "--label", "X", "--out", "x.key"], home: home)
        #expect(labelled.status == 2)
        #expect(!FileManager.default.fileExists(atPath: home.path("x.key").path))
    }

    @Test func keygen_writesAPrivateKeyFileAndPrintsTheTeamKeyLast() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let result = try SealboxBinary.run(
            ["keygen", "--team", "--out", "team.key", "--passphrase-file", passphrase.path, "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let publicKey = try BoxPublicKey(teamText: result.lastLine)
        #expect(try permissions(of: home.path("team.key")) == 0o600)
        let bytes = Array(try Data(contentsOf: home.path("team.key")))
        let opened = try KeyFile.openTeamKey(bytes, passphrase: SecureBytes(copying: Array(Fixtures.passphrase.utf8)))
        #expect(opened.publicKey == publicKey)
        #expect(!result.stdout.contains(Fixtures.passphrase))
    }

    @Test func keygenIntoMissingFolders_createsThemWithMode0700() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let out = home.path(".config/sealbox/team.key")
        let result = try SealboxBinary.run(
            ["keygen", "--team", "--out", out.path, "--passphrase-file", passphrase.path, "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try permissions(of: home.path(".config")) == 0o700)
        #expect(try permissions(of: home.path(".config/sealbox")) == 0o700)
        #expect(try permissions(of: out) == 0o600)
        #expect(try KeyFile.publicKeyText(of: Array(Data(contentsOf: out))) == result.lastLine)
    }

    @Test func keygenBelowAFile_failsNamingTheFolderAndWritesNothing() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        try home.write("plain", "not a folder")
        let result = try SealboxBinary.run(
            ["keygen", "--team", "--out", home.path("plain/sealbox/team.key").path, "--passphrase-file", passphrase.path,
             "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("sealbox: error: cannot create"))
        #expect(try String(contentsOf: home.path("plain"), encoding: .utf8) == "not a folder")
    }

    @Test func keygen_refusesToOverwriteAnExistingFile() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        try home.write("team.key", "precious")
        let result = try SealboxBinary.run(
            ["keygen", "--team", "--out", "team.key", "--passphrase-file", passphrase.path, "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("sealbox: error: "))
        #expect(result.stderr.contains("exists already"))
        #expect(try String(contentsOf: home.path("team.key"), encoding: .utf8) == "precious")
    }

    @Test func keygenWithForce_replacesTheFile() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        try home.write("team.key", "old")
        let result = try SealboxBinary.run(
            ["keygen", "--team", "--out", "team.key", "--passphrase-file", passphrase.path, "--kdf-cost", "interactive", "--force"],
            home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = Array(try Data(contentsOf: home.path("team.key")))
        #expect(try KeyFile.publicKeyText(of: bytes) == result.lastLine)
        #expect(try permissions(of: home.path("team.key")) == 0o600)
    }

    @Test func keygenWithoutATerminalOrPassphraseFile_failsSayingHowToGiveIt() throws {
        let result = try SealboxBinary.run(["keygen", "--team", "--out", "team.key"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("--passphrase-file"))
        #expect(!FileManager.default.fileExists(atPath: home.path("team.key").path))
    }

    @Test func keygen_takesThePassphraseFileFromTheEnvironment() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let result = try SealboxBinary.run(["keygen", "--team", "--out", "team.key", "--kdf-cost", "interactive"], home: home,
                                           environment: ["SEALBOX_PASSPHRASE_FILE": passphrase.path])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = Array(try Data(contentsOf: home.path("team.key")))
        #expect(throws: Never.self) {
            try KeyFile.openTeamKey(bytes, passphrase: SecureBytes(copying: Array(Fixtures.passphrase.utf8)))
        }
    }

    @Test func keygenWithAnEmptyPassphraseFile_isRefused() throws {
        let empty = try home.write("empty", "\n")
        let result = try SealboxBinary.run(
            ["keygen", "--team", "--out", "team.key", "--passphrase-file", empty.path, "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("is empty"))
    }

    @Test func staffKeygen_printsTheStaffKeyLast() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let result = try SealboxBinary.run(
            ["staff-keygen", "--out", "staff.key", "--passphrase-file", passphrase.path, "--kdf-cost", "interactive"],
            home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let publicKey = try SigningPublicKey(text: result.lastLine)
        let bytes = Array(try Data(contentsOf: home.path("staff.key")))
        let opened = try KeyFile.openStaffKey(bytes, passphrase: SecureBytes(copying: Array(Fixtures.passphrase.utf8)))
        #expect(opened.publicKey == publicKey)
        #expect(try permissions(of: home.path("staff.key")) == 0o600)
    }

    @Test func help_documentsTheExitCodes() throws {
        let result = try SealboxBinary.run(["--help"], home: home)
        #expect(result.status == 0)
        #expect(result.stdout.contains("EXIT CODES"))
        #expect(result.stdout.contains("3  wrong passphrase"))
    }

    @Test func anUnknownSubcommand_isAUsageErrorWithExitCode2() throws {
        let result = try SealboxBinary.run(["frobnicate"], home: home)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("sealbox: error: "))
    }
}
