// Runs the real `sealbox sync` where no daemon is needed: failures before and at
// the network. The full sync against sealboxd is covered by the end-to-end tests.
import Foundation
import Testing

@Suite struct SyncBinaryTests {
    let home: TemporaryFolder

    init() throws { home = try TemporaryFolder() }

    @Test func syncWithoutAStaffKey_namesTheFlagAndVariable() throws {
        let result = try SealboxBinary.run(["sync"], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("no staff key file given"))
        #expect(result.stderr.contains("--staff-key"))
        #expect(result.stderr.contains("SEALBOX_STAFF_KEY"))
    }

    @Test func syncAgainstAnUnreachableServer_saysSoAndExitsWith4() throws {
        let staff = try Fixtures.staffKey(in: home)
        let passphrase = try Fixtures.passphraseFile(in: home)
        let result = try SealboxBinary.run(["sync"], home: home, environment: [
            "SEALBOX_SERVER": "http://127.0.0.1:9",
            "SEALBOX_STAFF_KEY": staff.file.path,
            "SEALBOX_PASSPHRASE_FILE": passphrase.path,
        ])
        #expect(result.status == 4)
        #expect(result.stderr.contains("sealbox: error: cannot reach the server at http://127.0.0.1:9"))
        #expect(result.stderr.contains("sealbox: hint: "))
    }

    @Test func syncWithTheTeamKeyInsteadOfAStaffKey_saysWhichKeyItNeeds() throws {
        let team = try Fixtures.teamKey(in: home)
        let result = try SealboxBinary.run(["sync", "--staff-key", team.file.path], home: home)
        #expect(result.status == 1)
        #expect(result.stderr.contains("holds the team key, not a staff signing key"))
    }

    @Test func syncWithAWrongPassphrase_exitsWith3BeforeAnyRequest() throws {
        let staff = try Fixtures.staffKey(in: home)
        let wrong = try Fixtures.passphraseFile(in: home, "wrong")
        let result = try SealboxBinary.run(
            ["sync", "--staff-key", staff.file.path, "--passphrase-file", wrong.path, "--server", "http://127.0.0.1:9"],
            home: home)
        #expect(result.status == 3)
        #expect(result.stderr.contains("the passphrase does not open"))
    }
}
