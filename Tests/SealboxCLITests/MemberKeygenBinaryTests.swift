// Runs the real `sealbox` binary for `keygen --member` (docs/PROTOCOL.md §12.1).
import Foundation
import SealboxCrypto
import Testing

@Suite struct MemberKeygenBinaryTests {
    let home: TemporaryFolder

    init() throws { home = try TemporaryFolder() }

    @Test func memberKeygen_writesTheKeyFileAndThePublicFileWithTheLabel() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let out = home.path("keys/anna.key")
        let result = try SealboxBinary.run(
            ["keygen", "--member", "--out", out.path, "--passphrase-file", passphrase.path, "--kdf-cost", "interactive"],
            home: home)
        #expect(result.status == 0, "\(result.stderr)")
        let publicKey = try MemberPublicKey(text: result.lastLine)
        #expect(try permissions(of: home.path("keys")) == 0o700)
        #expect(try permissions(of: out) == 0o600)
        let opened = try KeyFile.openMemberKey(Array(try Data(contentsOf: out)),
                                               passphrase: SecureBytes(copying: Array(Fixtures.passphrase.utf8)))
        #expect(opened.publicKey == publicKey)
        let pub = try String(contentsOf: home.path("keys/anna.key.pub"), encoding: .utf8)
        #expect(pub == "\(publicKey.text)\nlabel: anna\n")
    }

    @Test func memberKeygen_refusesALabelWithAComma() throws {
        let passphrase = try Fixtures.passphraseFile(in: home)
        let result = try SealboxBinary.run(
            ["keygen", "--member", "--label", "A, B", "--out", "a.key", "--passphrase-file", passphrase.path,
             "--kdf-cost", "interactive"], home: home)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot be a label"))
        #expect(!FileManager.default.fileExists(atPath: home.path("a.key").path))
    }

    @Test func labelWithTheTeamKey_isAUsageError() throws {
        let result = try SealboxBinary.run(["keygen", "--team", "--label", "Anna", "--out", "a.key"], home: home)
        #expect(result.status == 2)
    }
}
