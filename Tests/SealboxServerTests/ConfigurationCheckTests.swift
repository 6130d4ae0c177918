import Foundation
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

/// A configuration is judged whole: every problem listed, by the same checks at start and
/// in `sealboxd check-config`; `onion.address` is a version 3 onion hostname.
@Suite struct ConfigurationCheckTests {
    let team = BoxSecretKey.generate().publicKey.teamText

    func environment(_ extra: [String: String]) -> [String: String] {
        ConfigurationTests.notice.merging(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team]) { $1 }.merging(extra) { $1 }
    }

    @Test func threeBadValues_areRefusedTogether_eachNamed() async throws {
        do {
            _ = try await ServerConfiguration.load(file: nil, environment: environment([
                "SEALBOX_PUBLIC_LISTEN": "nowhere", "SEALBOX_LIMITS_CODE_ATTEMPTS": "0", "SEALBOX_OFFICE_COLORS_TEXT": "red",
            ]))
            Issue.record("a configuration with three problems was accepted")
        } catch let error as ConfigurationError {
            #expect(error.problems.count == 3)
            #expect(error.description.hasPrefix("3 problems:"))
            for part in ["nowhere", "limits.code_attempts", "office.colors.text"] { #expect(error.description.contains(part)) }
        }
    }

    @Test func withoutATeamKey_theOtherProblemsAreStillListed() async throws {
        await #expect(throws: ConfigurationError.several([
            .missing("crypto.team_public_key"), .invalid("crypto.kdf_workers must be a whole number"),
        ])) {
            _ = try await ServerConfiguration.load(file: nil, environment: ConfigurationTests.notice.merging(
                ["SEALBOX_CRYPTO_KDF_WORKERS": "two"]) { $1 })
        }
    }

    @Test(arguments: [
        ("abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion", "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"),
        ("http://ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWX.onion/", "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"),
    ])
    func anOnionHostname_isKeptAsItsOrigin(text: String, origin: String) async throws {
        let config = try await ServerConfiguration.load(file: nil, environment: environment(["SEALBOX_ONION_ADDRESS": text]))
        #expect(config.onionAddress == origin)
    }

    @Test(arguments: ["example.org", "short.onion", "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvw1.onion",
                      "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion/inbox",
                      "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion:8080"])
    func anythingElse_isRefused(text: String) async throws {
        await #expect(throws: ConfigurationError.self) {
            _ = try await ServerConfiguration.load(file: nil, environment: environment(["SEALBOX_ONION_ADDRESS": text]))
        }
    }

    @Test func theOldAndTheNewKey_mustAgree() async throws {
        let a = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"
        let b = "bbcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"
        await #expect(throws: ConfigurationError.self) {
            _ = try await ServerConfiguration.load(file: nil, environment: environment(
                ["SEALBOX_ONION_ADDRESS": a, "SEALBOX_PUBLIC_ONION_ADDRESS": "http://" + b]))
        }
        let same = try await ServerConfiguration.load(file: nil, environment: environment(
            ["SEALBOX_ONION_ADDRESS": a, "SEALBOX_PUBLIC_ONION_ADDRESS": "http://" + a]))
        #expect(same.onionAddress == "http://" + a)
    }

    @Test func theStartupCheck_createsNothing_andNamesAStorageOthersMayWrite() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sealbox-check-\(Random.identifier())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = ServerConfiguration(teamPublicKey: BoxSecretKey.generate().publicKey)
        config.storagePath = dir.appendingPathComponent("data").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(StartupCheck.problems(config).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: config.storagePath))
        try FileManager.default.createDirectory(atPath: config.storagePath, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o777])
        chmod(config.storagePath, 0o777)
        #expect(StartupCheck.problems(config).first?.contains("others may write") == true)
    }

    @Test func theLastBackupDay_becomesMidnightUTC_andAnswersAreClassedWithoutTheirPath() {
        #expect(Monitoring.midnight(Day("1970-01-01")!) == 0)
        #expect(Monitoring.midnight(Day("2026-11-30")!) == 1_795_996_800)
        #expect(Monitoring.midnight(Day("2000-03-01")!) == 951_868_800)
        #expect(AnswerCounters.statusClass(201) == "2xx" && AnswerCounters.statusClass(418) == "4xx"
            && AnswerCounters.statusClass(507) == "507" && AnswerCounters.statusClass(502) == "5xx")
        #expect(AnswerCounters.reportersRoute("/inbox/messages") == .inbox && AnswerCounters.reportersRoute("/api/v1/reports") == .publicAPI
            && AnswerCounters.reportersRoute("/report") == .publicForm && AnswerCounters.reportersRoute("/api/v1/inbox") == .inbox)
    }
}
