import Foundation
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct ConfigurationTests {
    let team = BoxSecretKey.generate().publicKey.teamText

    /// The privacy notice's controller and data protection contact (required), then `environment`.
    static let notice = ["SEALBOX_OFFICE_CONTROLLER": "Region Musterstadt, Musterweg 1, 30000 Musterstadt",
                         "SEALBOX_OFFICE_DATA_PROTECTION_CONTACT": "datenschutz@example.org"]

    func load(_ environment: [String: String], notice: Bool = true) async throws -> ServerConfiguration {
        try await ServerConfiguration.load(
            file: nil, environment: (notice ? Self.notice : [:]).merging(environment) { _, given in given })
    }

    @Test func environmentVariables_setEveryKindOfKey() async throws {
        let staff = SigningSecretKey.generate().publicKey.text
        let other = SigningSecretKey.generate().publicKey.text
        let config = try await load([
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_PUBLIC_LISTEN": "[::1]:9000",
            "SEALBOX_STAFF_KEYS": "\(staff), \(other)", "SEALBOX_LIMITS_CODE_ATTEMPTS": "3",
            "SEALBOX_PUBLIC_ONION_ADDRESS": "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion/",
        ])
        #expect(config.publicListen == ListenAddress(host: "::1", port: 9000))
        #expect(config.staffKeys.map(\.text) == [staff, other])
        #expect(config.codeAttempts == 3)
        #expect(config.onionAddress == "http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion")
    }

    @Test func aMissingTeamKey_andABadOnionAddress_areRefusedByName() async throws {
        await #expect(throws: ConfigurationError.missing("crypto.team_public_key")) { _ = try await load([:]) }
        await #expect(throws: ConfigurationError.self) {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_PUBLIC_ONION_ADDRESS": "http://example.org"])
        }
    }

    @Test func theRecoveryKey_isOptional_readAsItsTextForm_andAnythingElseIsRefusedByName() async throws {
        #expect(try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team]).recoveryPublicKey == nil)
        let recovery = BoxSecretKey.generate().publicKey
        let config = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team,
                                     "SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY": recovery.recoveryText])
        #expect(config.recoveryPublicKey == recovery)
        for bad in [recovery.teamText, "sealbox-recovery-v1:abc", recovery.recoveryText + "A"] {
            await #expect(throws: ConfigurationError.self, "\(bad)") {
                _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_CRYPTO_RECOVERY_PUBLIC_KEY": bad])
            }
        }
    }

    @Test func theCodePool_defaultsTo512_canBeTurnedOff_andIsRefusedOutOfRange() async throws {
        #expect(try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team]).codePool == 512)
        #expect(try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_CRYPTO_CODE_POOL": "0"]).codePool == 0)
        for bad in ["-1", "4097", "many"] {
            await #expect(throws: ConfigurationError.self) {
                _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_CRYPTO_CODE_POOL": bad])
            }
        }
    }

    @Test func officeColours_colourTheStylesheet() async throws {
        let config = try await load([
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_OFFICE_COLORS_BUTTON": "#6A1B4D",
            "SEALBOX_OFFICE_COLORS_LINK": "#6a1b4d",
        ])
        #expect(config.palette.button == "#6a1b4d")
        #expect(Stylesheet.css(config.palette).contains("background: #6a1b4d"))
        #expect(!Stylesheet.css(config.palette).contains("#0b4ea2;"))
    }

    @Test func aColourPairBelowAA_isRefusedWithThePairAndItsRatio() async throws {
        do {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_OFFICE_COLORS_TEXT": "#777777"])
            Issue.record("a grey text on white was accepted")
        } catch let error as ConfigurationError {
            #expect(error.description.contains("text on background"))
            #expect(error.description.contains("#777777 on #ffffff"))
            #expect(error.description.contains("4.48:1"))
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_OFFICE_COLORS_BUTTON": "blue"])
        }
    }

    @Test func resilienceSettings_haveDefaultsThatHoldOnTwoCores_andAreReadFromTheEnvironment() async throws {
        let defaults = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team]).resilience
        #expect(defaults == ResilienceSettings())
        #expect(defaults.onionListen == nil && defaults.maxConnections == 512 && defaults.storageReserve == 64 << 20)
        let config = try await load([
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_LIMITS_SUBMISSIONS": "4", "SEALBOX_LIMITS_SUBMISSIONS_GLOBAL": "40",
            "SEALBOX_STORAGE_RESERVE": "0", "SEALBOX_ONION_LISTEN": "127.0.0.1:8090", "SEALBOX_ONION_CODE_ATTEMPTS_GLOBAL": "99",
            "SEALBOX_PUBLIC_IDLE_TIMEOUT": "5", "SEALBOX_PUBLIC_BODY_TIMEOUT": "60", "SEALBOX_PUBLIC_MAX_CONNECTIONS": "100",
        ])
        let r = config.resilience
        #expect(r.submissions == 4 && r.submissionsGlobal == 40 && r.storageReserve == 0)
        #expect(r.onionListen == ListenAddress(host: "127.0.0.1", port: 8090))
        #expect(r.onionCodeAttemptsGlobal == 99 && r.onionSubmissionsGlobal == 40)
        #expect(r.idleTimeout == 5 && r.bodyTimeout == 60 && r.maxConnections == 100)
    }

    @Test(arguments: [
        ("SEALBOX_LIMITS_SUBMISSIONS", "0"), ("SEALBOX_LIMITS_SUBMISSIONS_GLOBAL", "-1"), ("SEALBOX_STORAGE_RESERVE", "viel"),
        ("SEALBOX_STORAGE_RESERVE", "-5"), ("SEALBOX_ONION_LISTEN", "tor"), ("SEALBOX_ONION_LISTEN", "127.0.0.1:8080"),
        ("SEALBOX_ONION_SUBMISSIONS_GLOBAL", "0"), ("SEALBOX_PUBLIC_IDLE_TIMEOUT", "0"), ("SEALBOX_PUBLIC_IDLE_TIMEOUT", "86400"),
        ("SEALBOX_PUBLIC_BODY_TIMEOUT", "1.5"), ("SEALBOX_PUBLIC_MAX_CONNECTIONS", "0"), ("SEALBOX_PUBLIC_MAX_CONNECTIONS", "1000000"),
        ("SEALBOX_LIMITS_SUBMISSIONS", "601"),
    ])
    func nonsenseResilienceValues_areRefusedAtStart(key: String, value: String) async throws {
        await #expect(throws: ConfigurationError.self) {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, key: value])
        }
    }

    // MARK: The privacy notice, the legal notice and the office's deadlines

    @Test func withoutAControllerOrADataProtectionContact_theDaemonRefusesToStart_namingTheKey() async throws {
        for missing in ["SEALBOX_OFFICE_CONTROLLER", "SEALBOX_OFFICE_DATA_PROTECTION_CONTACT"] {
            var environment = Self.notice
            environment[missing] = nil
            environment["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY"] = team
            do {
                _ = try await load(environment, notice: false)
                Issue.record("started without \(missing)")
            } catch let error as ConfigurationError {
                let key = missing == "SEALBOX_OFFICE_CONTROLLER" ? "office.controller" : "office.data_protection_contact"
                #expect(error.description.contains(key) && error.description.contains("office.privacy_url"))
            }
        }
    }

    @Test func anOfficeWithItsOwnPrivacyNotice_needsNoController() async throws {
        let config = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team,
                                     "SEALBOX_OFFICE_PRIVACY_URL": "https://www.example.org/datenschutz"], notice: false)
        #expect(config.notices.privacyURL == "https://www.example.org/datenschutz")
        await #expect(throws: ConfigurationError.self) {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_OFFICE_PRIVACY_URL": "javascript:alert(1)"],
                               notice: false)
        }
    }

    @Test func notices_haveLowerSaxonysAuthorityAndTheWhistleblowingDeadlines_byDefault() async throws {
        let notices = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team]).notices
        #expect(notices.controller.hasPrefix("Region Musterstadt"))
        #expect(notices.supervisoryAuthority.contains("Landesbeauftragte für den Datenschutz Niedersachsen"))
        #expect(notices.deadlines == .standard && notices.retentionYears == 3 && !notices.hasImprint)
    }

    @Test func deadlinesAndTheLegalNotice_comeFromTheConfiguration() async throws {
        let notices = try await load([
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_OFFICE_ACKNOWLEDGE_DAYS": "3",
            "SEALBOX_OFFICE_FEEDBACK_DAYS": "42", "SEALBOX_OFFICE_IMPRINT": "Region Musterstadt\nMusterweg 1",
            "SEALBOX_OFFICE_RETENTION_YEARS": "2",
        ]).notices
        #expect(notices.deadlines == DeadlinePolicy(acknowledgement: .days(3), feedback: .days(42)))
        #expect(notices.imprint == "Region Musterstadt\nMusterweg 1" && notices.hasImprint && notices.retentionYears == 2)
    }

    @Test(arguments: [
        ("SEALBOX_OFFICE_ACKNOWLEDGE_DAYS", "0"), ("SEALBOX_OFFICE_ACKNOWLEDGE_DAYS", "sieben"),
        ("SEALBOX_OFFICE_FEEDBACK_DAYS", "-1"), ("SEALBOX_OFFICE_FEEDBACK_DAYS", "99999999999"),
        ("SEALBOX_OFFICE_IMPRINT_URL", "ftp://example.org"), ("SEALBOX_OFFICE_RETENTION_YEARS", "0"),
        ("SEALBOX_OFFICE_SUPERVISORY_AUTHORITY", " "),
    ])
    func nonsenseNoticeValues_areRefusedAtStart(key: String, value: String) async throws {
        await #expect(throws: ConfigurationError.self) {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, key: value])
        }
    }

    @Test func backupRetention_defaultsTo30And7_andIsRead() async throws {
        let standard = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team])
        #expect(standard.backupKeepDays == 30 && standard.keystoreKeepDays == 7)
        let set = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_BACKUP_KEEP_DAYS": "14",
                                  "SEALBOX_BACKUP_KEYSTORE_KEEP_DAYS": "3"])
        #expect(set.backupKeepDays == 14 && set.keystoreKeepDays == 3)
    }

    @Test(arguments: [
        ("SEALBOX_BACKUP_KEEP_DAYS", "0"), ("SEALBOX_BACKUP_KEEP_DAYS", "3661"), ("SEALBOX_BACKUP_KEEP_DAYS", "dreißig"),
        ("SEALBOX_BACKUP_KEYSTORE_KEEP_DAYS", "0"), ("SEALBOX_BACKUP_KEYSTORE_KEEP_DAYS", "367"),
        ("SEALBOX_BACKUP_KEYSTORE_KEEP_DAYS", "-7"),
    ])
    func backupRetentionOutOfRange_isRefusedAtStart(key: String, value: String) async throws {
        await #expect(throws: ConfigurationError.self) {
            _ = try await load(["SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, key: value])
        }
    }
}
