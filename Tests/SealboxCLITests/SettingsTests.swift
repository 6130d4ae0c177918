import Foundation
import SealboxCore
import Testing
@testable import SealboxCLI

@Suite struct SettingsTests {
    let file = ConfigFile(values: [.server: "https://file:1", .teamKey: "keys/team.key", .store: "~/file-store"],
                          directory: URL(fileURLWithPath: "/etc/sealbox-test"))

    @Test func aFlag_beatsTheEnvironmentAndTheFile() throws {
        let settings = Settings(environment: ["SEALBOX_SERVER": "https://env:2"], file: file)
        #expect(try settings.server(flag: "https://flag:3").absoluteString == "https://flag:3")
    }

    @Test func theEnvironment_beatsTheFile() throws {
        let settings = Settings(environment: ["SEALBOX_SERVER": "https://env:2", "SEALBOX_TEAM_KEY": "/env/team.key"], file: file)
        #expect(try settings.server(flag: nil).absoluteString == "https://env:2")
        #expect(settings.path(.teamKey, flag: nil)?.path == "/env/team.key")
    }

    @Test func theFile_isUsedWhenNothingElseIsGiven_withRelativePathsFromItsFolder() throws {
        let settings = Settings(environment: ["HOME": "/home/c"], file: file)
        #expect(try settings.server(flag: nil).absoluteString == "https://file:1")
        #expect(settings.path(.teamKey, flag: nil)?.path == "/etc/sealbox-test/keys/team.key")
        #expect(settings.storeDirectory(flag: nil).path == "/home/c/file-store")
    }

    @Test func anEmptyEnvironmentVariable_countsAsUnset() throws {
        let settings = Settings(environment: ["SEALBOX_SERVER": ""], file: file)
        #expect(try settings.server(flag: nil).absoluteString == "https://file:1")
    }

    @Test func withoutAnySetting_theDefaultsApply() throws {
        let settings = Settings(environment: ["HOME": "/home/c"], file: ConfigFile())
        #expect(try settings.server(flag: nil).absoluteString == "http://127.0.0.1:8081")
        #expect(settings.storeDirectory(flag: nil).path == "/home/c/.local/share/sealbox")
        #expect(settings.path(.staffKey, flag: nil) == nil)
    }

    @Test func theStoreDefault_followsXDGDataHome() {
        let settings = Settings(environment: ["HOME": "/home/c", "XDG_DATA_HOME": "/data"], file: ConfigFile())
        #expect(settings.storeDirectory(flag: nil).path == "/data/sealbox")
    }

    @Test func theSettingsFile_isFoundUnderXDGConfigHome_elseUnderDotConfig() {
        #expect(ConfigFile.defaultLocation(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/c"]).path
            == "/cfg/sealbox/config.json")
        #expect(ConfigFile.defaultLocation(environment: ["HOME": "/home/c"]).path == "/home/c/.config/sealbox/config.json")
    }

    @Test func aTildeInAFlag_meansTheHomeFolder() {
        let settings = Settings(environment: ["HOME": "/home/c"], file: ConfigFile())
        #expect(settings.path(.teamKey, flag: "~/team.key")?.path == "/home/c/team.key")
    }

    @Test func aSettingsFile_isParsedByItsKeys() throws {
        let json = #"{"server": "http://s:1", "staff_key": "/k/staff.key", "team_key": "/k/team.key", "store": "/s", "passphrase_file": "/p"}"#
        let parsed = try ConfigFile.parse(Data(json.utf8), location: URL(fileURLWithPath: "/c/config.json"))
        #expect(parsed.values == [.server: "http://s:1", .staffKey: "/k/staff.key", .teamKey: "/k/team.key",
                                  .store: "/s", .passphraseFile: "/p"])
    }

    @Test func aSettingsFileWithAnUnknownKey_isRefusedNamingTheKey() {
        #expect {
            try ConfigFile.parse(Data(#"{"team-key": "/k"}"#.utf8), location: URL(fileURLWithPath: "/c/config.json"))
        } throws: { error in
            (error as? CLIError)?.message.contains("unknown key \"team-key\"") == true
        }
    }

    @Test func aSettingsFileThatIsNotJSON_isRefused() {
        #expect(throws: CLIError.self) {
            try ConfigFile.parse(Data("server = x".utf8), location: URL(fileURLWithPath: "/c/config.json"))
        }
    }

    @Test func aMissingSettingsFile_isAnEmptyOne() throws {
        #expect(try ConfigFile.load(from: URL(fileURLWithPath: "/nonexistent/sealbox/config.json")) == ConfigFile())
    }

    @Test func aServerThatIsNotAWebAddress_isAUsageError() {
        let settings = Settings(environment: [:], file: ConfigFile())
        #expect { try settings.server(flag: "ftp://x") } throws: { ($0 as? CLIError)?.status == .usage }
        #expect { try settings.server(flag: "127.0.0.1:8081") } throws: { ($0 as? CLIError)?.status == .usage }
    }

    @Test(arguments: ["http://127.0.0.1:8081", "http://127.1.2.3:1", "http://localhost:8081", "http://[::1]:8081",
                      "https://sealbox.example.org", "https://192.0.2.7:8443"])
    func httpsAnywhere_andPlainHttpToThisComputer_areAccepted(_ address: String) throws {
        let settings = Settings(environment: [:], file: ConfigFile())
        #expect(try settings.server(flag: address).absoluteString == address)
    }

    @Test(arguments: ["http://192.0.2.7:8081", "http://sealbox.example.org", "http://127.0.0.1.example.org",
                      "http://10.0.0.1", "http://128.0.0.1"])
    func plainHttpToAnotherComputer_isRefusedSayingWhy(_ address: String) {
        let settings = Settings(environment: [:], file: ConfigFile())
        #expect { try settings.server(flag: address) } throws: { error in
            guard let error = error as? CLIError else { return false }
            return error.status == .usage && error.message.contains("plain http to another computer")
                && (error.hint ?? "").contains("use https://")
        }
    }

    @Test func aMissingSetting_saysWhichFlagVariableAndKeySetIt() {
        let error = CLIError.missingSetting(.teamKey, for: "`sealbox show`")
        #expect(error.message == "no team key file given, but `sealbox show` needs one")
        #expect(error.hint?.contains("--team-key FILE") == true)
        #expect(error.hint?.contains("SEALBOX_TEAM_KEY") == true)
        #expect(error.hint?.contains("\"team_key\"") == true)
    }

    @Test func theOfficesDeadlines_comeFromFlagEnvironmentOrFile_withTheWhistleblowingDefaults() throws {
        let none = Settings(environment: [:], file: ConfigFile())
        #expect(try none.deadlinePolicy(acknowledgeFlag: nil, feedbackFlag: nil) == .standard)
        let filed = Settings(environment: ["SEALBOX_ACKNOWLEDGE_DAYS": "5"],
                             file: ConfigFile(values: [.acknowledgeDays: "3", .feedbackDays: "30"]))
        #expect(try filed.deadlinePolicy(acknowledgeFlag: nil, feedbackFlag: nil)
                == DeadlinePolicy(acknowledgement: .days(5), feedback: .days(30)))
        #expect(try filed.deadlinePolicy(acknowledgeFlag: "2", feedbackFlag: nil).acknowledgement == .days(2))
        #expect(throws: CLIError.self) { _ = try none.deadlinePolicy(acknowledgeFlag: "sieben", feedbackFlag: nil) }
        #expect(throws: CLIError.self) { _ = try none.deadlinePolicy(acknowledgeFlag: nil, feedbackFlag: "0") }
    }
}
