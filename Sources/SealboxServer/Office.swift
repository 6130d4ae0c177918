// The office as the reporters' pages show it: one value, built once from the configuration
// and handed to every page, so that no page reads a setting of its own.

/// Who runs this mailbox and how to reach them.
public struct Office: Sendable, Equatable {
    /// The office's name, e.g. "Antidiskriminierungsstelle der Region Hannover".
    public var name: String
    /// How to reach the office by other means (plain text, e.g. phone and e-mail); may be empty.
    public var contact: String
    /// The public address reporters come back to, e.g. "https://melden.example.org"
    /// (plain text on the receipt, never a resource); may be empty.
    public var publicAddress: String
    /// Where to report a barrier (accessibility statement); empty: `contact`.
    public var accessibilityContact: String
    /// The media type of the configured German Sign Language video, nil when there is none.
    public var signLanguageVideoType: String?
    /// Whether the office configured a logo (served at /media/logo).
    public var hasLogo: Bool
    /// The privacy notice, the legal notice and the office's deadlines.
    public var notices: OfficeNotices

    public init(name: String, contact: String = "", publicAddress: String = "", accessibilityContact: String = "",
                signLanguageVideoType: String? = nil, hasLogo: Bool = false, notices: OfficeNotices = OfficeNotices()) {
        self.name = name
        self.contact = contact
        self.publicAddress = publicAddress
        self.accessibilityContact = accessibilityContact
        self.signLanguageVideoType = signLanguageVideoType
        self.hasLogo = hasLogo
        self.notices = notices
    }
}

extension ServerConfiguration {
    /// The office settings (`office.*`, `public.address`) as the pages use them.
    public var office: Office {
        Office(name: officeName, contact: officeContact, publicAddress: publicAddress,
               accessibilityContact: accessibilityContact, signLanguageVideoType: signLanguageVideoType,
               hasLogo: logoType != nil, notices: notices)
    }
}
