// What a public office must tell the people who use its website, from configuration:
// the privacy notice (Art. 13 GDPR: controller, data protection officer, supervisory
// authority, how long reports are kept), the legal notice (Impressum) and the office's
// own deadlines. Rule: the daemon refuses to start without a controller and a data
// protection contact, unless the office publishes its own notice (`office.privacy_url`);
// every value is plain text, shown as written, never interpreted as HTML.
import Configuration
import Foundation
import SealboxCore
import SealboxHTML

/// The office's privacy notice, legal notice and deadlines (keys `office.*`, config/README.md).
public struct OfficeNotices: Sendable, Equatable {
    /// The body responsible for the processing, with its address (`office.controller`).
    public var controller = ""
    /// How to reach the data protection officer (`office.data_protection_contact`).
    public var dataProtectionContact = ""
    /// The supervisory authority a reporter may complain to (`office.supervisory_authority`).
    public var supervisoryAuthority = OfficeNotices.lowerSaxonyAuthority
    /// The office's own privacy notice, to which `/privacy` leads instead (`office.privacy_url`).
    public var privacyURL = ""
    /// The office's legal notice elsewhere (`office.imprint_url`), or its text (`office.imprint`).
    public var imprintURL = ""
    public var imprint = ""
    /// How many years a case's documentation is kept after it is closed (`office.retention_years`).
    public var retentionYears = 3
    /// The office's promise of acknowledgement and feedback (`office.acknowledge_days`, `office.feedback_days`).
    public var deadlines = DeadlinePolicy.standard

    public init() {}

    /// The supervisory authority for public bodies in Lower Saxony, the default.
    public static let lowerSaxonyAuthority =
        "Die Landesbeauftragte für den Datenschutz Niedersachsen, Prinzenstraße 5, 30159 Hannover, https://www.lfd.niedersachsen.de"

    /// Whether the footer links to a legal notice.
    public var hasImprint: Bool { !imprintURL.isEmpty || !imprint.isEmpty }

    /// Reads the `office.*` keys of the notices and refuses what cannot be published.
    static func from(_ reader: ConfigReader) throws -> OfficeNotices {
        var notices = OfficeNotices()
        var problems = ProblemList()
        func text(_ key: String) -> String? {
            reader.string(forKey: ConfigKey(key)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        notices.controller = text("office.controller") ?? ""
        notices.dataProtectionContact = text("office.data_protection_contact") ?? ""
        if let authority = text("office.supervisory_authority") {
            if authority.isEmpty {
                problems.add("office.supervisory_authority must name the authority and its address (or be left out for Lower Saxony's)")
            } else {
                notices.supervisoryAuthority = authority
            }
        }
        problems.check { notices.privacyURL = try url(text("office.privacy_url") ?? "", key: "office.privacy_url") }
        problems.check { notices.imprintURL = try url(text("office.imprint_url") ?? "", key: "office.imprint_url") }
        notices.imprint = text("office.imprint") ?? ""
        if !notices.imprintURL.isEmpty && !notices.imprint.isEmpty {
            problems.add("set office.imprint_url or office.imprint, not both")
        }
        if notices.privacyURL.isEmpty {
            for key in ["office.controller", "office.data_protection_contact"]
            where (key == "office.controller" ? notices.controller : notices.dataProtectionContact).isEmpty {
                problems.add(
                    "\(key) is required for the privacy notice (Art. 13 GDPR) at /privacy "
                        + "(or SEALBOX_\(ServerConfiguration.environmentName(key))); "
                        + "an office that publishes its own notice sets office.privacy_url instead")
            }
        }
        problems.check {
            notices.retentionYears = try ServerConfiguration.positive(reader, "office.retention_years", notices.retentionYears)
            guard notices.retentionYears <= 10 else {
                throw ConfigurationError.invalid("office.retention_years must be from 1 to 10")
            }
        }
        problems.check {
            do {
                notices.deadlines = try DeadlinePolicy.configured(
                    acknowledgeDays: try days(reader, "office.acknowledge_days"),
                    feedbackDays: try days(reader, "office.feedback_days"),
                    acknowledgeKey: "office.acknowledge_days", feedbackKey: "office.feedback_days")
            } catch let error as DeadlinePolicyError {
                throw ConfigurationError.invalid(error.description)
            }
        }
        try problems.throwIfAny()
        return notices
    }

    private static func days(_ reader: ConfigReader, _ key: String) throws -> Int? {
        if let value = reader.int(forKey: ConfigKey(key)) { return value }
        if reader.string(forKey: ConfigKey(key)) != nil {
            throw ConfigurationError.invalid("\(key) must be a whole number of days")
        }
        return nil
    }

    /// `text` if empty or an absolute http(s) URL without spaces or quotes.
    private static func url(_ text: String, key: String) throws -> String {
        guard !text.isEmpty else { return "" }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
              url.host?.isEmpty == false, !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" })
        else { throw ConfigurationError.invalid("\(key) must be an http:// or https:// address") }
        return text
    }
}
