// `staff.leads` (docs/PROTOCOL.md §12.2, config/README.md): LABEL=KEY entries, each a
// valid label and member key, together a valid entry 0 of the roster.
import Foundation
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct RosterConfigurationTests {
    let team = BoxSecretKey.generate().publicKey.teamText
    let lena = MemberSecretKey.generate().publicKey.text
    let ben = MemberSecretKey.generate().publicKey.text

    func load(_ leads: String) async throws -> ServerConfiguration {
        try await ServerConfiguration.load(file: nil, environment: ConfigurationTests.notice.merging([
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team, "SEALBOX_STAFF_LEADS": leads]) { _, given in given })
    }

    @Test func twoLeads_areReadWithTheirLabels() async throws {
        let config = try await load("Lena Krause=\(lena), Ben=\(ben)")
        #expect(config.staffLeads.map(\.label) == ["Lena Krause", "Ben"])
        #expect(config.staffLeads.map(\.key.text) == [lena, ben])
    }

    @Test func noLeads_meansNoRoster() async throws {
        let config = try await ServerConfiguration.load(file: nil, environment: ConfigurationTests.notice.merging([
            "SEALBOX_CRYPTO_TEAM_PUBLIC_KEY": team]) { _, given in given })
        #expect(config.staffLeads.isEmpty)
    }

    @Test(arguments: ["Lena", "=KEY", "Lena=sealbox-staff-v1:AAAA", "Lena=Ben=x"])
    func anEntryThatIsNotLabelAndMemberKey_isRefused(_ entry: String) async throws {
        await #expect(throws: ConfigurationError.self) { _ = try await load(entry) }
    }

    @Test func twoLeadsWithOneKeyOrOneLabel_areRefused() async throws {
        await #expect(throws: ConfigurationError.self) { _ = try await load("Lena=\(lena), Ben=\(lena)") }
        await #expect(throws: ConfigurationError.self) { _ = try await load("Lena=\(lena), Lena=\(ben)") }
    }
}
