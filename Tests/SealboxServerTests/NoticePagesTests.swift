// Issue 12 on the pages: the privacy notice and the legal notice, linked from every
// footer; the AGG time limit; the contact field's hint; "we do not know who you are"
// only without contact details; the office's deadlines; values isolated for right to
// left, in pages (bdi) and in the receipt file (U+2066…U+2069); one sentence per line
// in Leichte Sprache.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxL10n
import Testing
@testable import SealboxServer
import SealboxHTML

@Suite struct NoticePagesTests {
    static func notices(imprint: String = "") -> OfficeNotices {
        var notices = OfficeNotices()
        notices.controller = "Region Musterstadt\nMusterweg 1, 30000 Musterstadt"
        notices.dataProtectionContact = "datenschutz@example.org"
        notices.imprint = imprint
        return notices
    }

    static func context(_ language: Language = .german, notices: OfficeNotices = notices(), path: String = "/") -> PageContext {
        PageContext(localiser: Localiser(language), path: path,
                    office: Office(name: "Antidiskriminierungsstelle Musterstadt", contact: "+49 511 1234567",
                                   publicAddress: "https://melden.example.org", notices: notices))
    }

    @Test(arguments: Language.all)
    func thePrivacyNotice_namesController_officer_authority_andRetentionInWords(language: Language) {
        let html = Pages.privacyNotice(Self.context(language, path: "/privacy")).markup
        #expect(html.contains("Region Musterstadt\nMusterweg 1") && html.contains("datenschutz@example.org"))
        #expect(html.contains("Landesbeauftragte für den Datenschutz Niedersachsen"))
        #expect(html.contains(Localiser(language).counted(3, "period.years")))
        #expect(!html.contains("⟦"))
        #expect(html.contains("dir=\"auto\""))
    }

    @Test(arguments: Language.all)
    func everyFooter_linksThePrivacyNotice_andTheLegalNoticeWhenThereIsOne(language: Language) {
        let withImprint = Self.context(language, notices: Self.notices(imprint: "Region Musterstadt"))
        for html in [Pages.landing(withImprint).markup, Pages.error(withImprint, status: 404).markup,
                     Pages.accessibilityStatement(withImprint).markup, Pages.privacyNotice(withImprint).markup] {
            #expect(html.contains("<a href=\"/privacy\">") && html.contains("<a href=\"/imprint\">"))
        }
        let without = Pages.landing(Self.context(language)).markup
        #expect(without.contains("<a href=\"/privacy\">") && !without.contains("/imprint"))
        #expect(Pages.imprint(withImprint).markup.contains("<div class=\"imprint-text\" dir=\"auto\">Region Musterstadt</div>"))
    }

    @Test(arguments: Language.all)
    func theLandingPage_andTheConfirmation_sayTheAGGTimeLimit(language: Language) {
        let l = Localiser(language)
        let landing = Markup.text(Pages.landing(Self.context(language)).markup)
        let confirmation = Markup.text(Pages.confirmation(Self.context(language), receipt: PageSamples.receipt).markup)
        #expect(landing.contains(l.lines("landing.law.text").last!))
        #expect(confirmation.contains(l.lines("confirm.law").first!))
        #expect(l["landing.law.text"].contains("AGG") || language == .easyGerman)
    }

    @Test func theContactField_saysThatContactDetailsEndAnonymityTowardsTheTeam() {
        let html = Pages.reportForm(Self.context(path: "/report"), state: ReportFormState(), limits: PageSamples.limits).markup
        #expect(html.contains("ist Ihre Meldung für das Beratungsteam nicht mehr anonym"))
    }

    @Test func weDoNotKnowWhoYouAre_isSaidOnlyWithoutContactDetails() {
        var receipt = PageSamples.receipt
        let anonymous = Pages.confirmation(Self.context(), receipt: receipt).markup
        #expect(anonymous.contains("Das Beratungsteam weiß nicht, wer Sie sind."))
        #expect(!anonymous.contains("contact_given"))
        receipt.contactGiven = true
        let named = Pages.confirmation(Self.context(), receipt: receipt).markup
        #expect(!named.contains("weiß nicht, wer Sie sind"))
        #expect(named.contains("nicht mehr anonym"))
        #expect(named.contains("name=\"contact_given\" value=\"yes\""))
        let text = Pages.receiptText(Localiser(.german), receipt: receipt)
        #expect(!text.contains("weiß nicht, wer Sie sind") && text.contains("nicht mehr anonym"))
    }

    @Test func theOfficesDeadlines_areOnTheLandingPage_andTheConfirmation_asItsPromise() {
        var notices = Self.notices()
        notices.deadlines = DeadlinePolicy(acknowledgement: .days(3), feedback: .days(42))
        let landing = Markup.text(Pages.landing(Self.context(notices: notices)).markup)
        #expect(landing.contains("Unser Versprechen: Wir bestätigen den Eingang Ihrer Meldung spätestens 3 Tage danach."))
        #expect(landing.contains("Spätestens 42 Tage nach dem Eingang"))
        let confirmation = Markup.text(Pages.confirmation(Self.context(notices: notices), receipt: PageSamples.receipt).markup)
        #expect(confirmation.contains("Bis zum 27. November 2026 bestätigen wir"))  // received 24 November
        #expect(confirmation.contains("Bis zum 5. Januar 2027 geben wir Ihnen eine Rückmeldung"))
        let standard = Markup.text(Pages.landing(Self.context()).markup)
        #expect(standard.contains("spätestens 7 Tage danach") && standard.contains("Spätestens 3 Monate nach"))
    }

    @Test func witnesses_andTheGroundsAsAGG1NamesThem() {
        let html = Pages.reportForm(Self.context(path: "/report"), state: ReportFormState(), limits: PageSamples.limits).markup
        #expect(html.contains("Warum wurde jemand benachteiligt"))
        let first = html.range(of: "Rassismus oder ethnische Herkunft")!.lowerBound
        #expect(first < html.range(of: ">Geschlecht<")!.lowerBound)
        #expect(Localiser(.english)["ground.ethnic-origin"] == "Racism or ethnic origin")
    }

    @Test(arguments: [Language.arabic, .persian, .german])
    func valuesFilledIntoATextAreIsolated(language: Language) {
        let html = Pages.landing(Self.context(language)).markup
        #expect(html.contains("<bdi>+49 511 1234567</bdi>"))
        #expect(html.contains("<bdi>Antidiskriminierungsstelle Musterstadt</bdi>"))
        let confirmation = Pages.confirmation(Self.context(language), receipt: PageSamples.receipt).markup
        #expect(confirmation.contains("<bdi>https://melden.example.org</bdi>"))
    }

    @Test func theReceiptFile_isolatesCodeAndReference_inRightToLeftLanguages_andTheCodeStillReads() throws {
        let arabic = Pages.receiptText(Localiser(.arabic), receipt: PageSamples.receipt, officeName: "Stelle",
                                       publicAddress: "https://melden.example.org")
        #expect(arabic.contains(": \u{2066}4721 0938 5562 1170\u{2069}\n"))
        #expect(arabic.contains("\u{2066}7KQM-3XWP\u{2069}") && arabic.contains("\u{2066}https://melden.example.org\u{2069}"))
        let german = Pages.receiptText(Localiser(.german), receipt: PageSamples.receipt)
        #expect(!german.unicodeScalars.contains { (0x2066...0x2069).contains($0.value) })
        // A code copied from the Arabic receipt, marks and all, is still a code.
        let line = try #require(arabic.split(separator: "\n").first { $0.contains("4721") })
        let copied = String(line.split(separator: ":").last!)
        let code = ReporterCode.generate()
        #expect(try ReporterCode(normalising: "\u{2066}\(code.grouped)\u{2069}") == code)
        #expect(copied.unicodeScalars.contains("\u{2066}"))
    }

    @Test func leichteSprache_putsEachSentenceOnALine() {
        let html = Pages.landing(Self.context(.easyGerman)).markup
        #expect(html.contains("Jemand behandelt einen Menschen ungerecht.<br>\nZum Beispiel"))
        #expect(!Pages.landing(Self.context(.german)).markup.contains("<br>"))
    }
}
