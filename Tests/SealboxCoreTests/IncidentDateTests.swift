// The incident date (PROTOCOL §3.2 `incident`), the reporter's language (`lang`) and
// the AGG clock: parsing at the edge, the sealed plaintext's coding, and the arithmetic.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite struct IncidentDateTests {
    let today = Day("2026-12-01")!

    @Test(arguments: ["2026-10", "2026-10-14", "1900-01", "2024-02-29", "2026-12-02"])
    func canonicalText_parsesAndPrintsBack(_ text: String) throws {
        #expect(try IncidentDate(parsing: text).text == text)
    }

    @Test(arguments: ["", "2026", "2026-13", "2026-00", "2026-1", "2026-02-30", "2025-02-29", "2026-10-", "2026-10-1",
                      "26-10", "2026/10", " 2026-10", "2026-10-14T00:00", "٢٠٢٦-١٠", "2026-10-00", "abcd-ef"])
    func anythingElse_isRefusedAsAValue(_ text: String) {
        #expect(throws: InvalidValue.self) { try IncidentDate(parsing: text) }
    }

    @Test func aMonth_spansItsDays_andADayOnlyItself() throws {
        let month = try IncidentDate(parsing: "2026-02")
        #expect(month.isMonth && month.earliest == Day("2026-02-01")! && month.latest == Day("2026-02-28")!)
        let day = try IncidentDate(parsing: "2026-02-14")
        #expect(!day.isMonth && day.earliest == day.latest && day.latest == Day("2026-02-14")!)
    }

    @Test func theApisString_isTrimmed_andReadsDigitsOfEveryScript() {
        #expect(IncidentDate.entered(" 2026-10 \n", today: today) == .success(try! IncidentDate(parsing: "2026-10")))
        #expect(IncidentDate.entered("٢٠٢٦-١٠-١٤", today: today) == .success(try! IncidentDate(parsing: "2026-10-14")))
        #expect(IncidentDate.entered("۲۰۲۶-۰۹", today: today) == .success(try! IncidentDate(parsing: "2026-09")))
        #expect(IncidentDate.entered("２０２６-１１", today: today) == .success(try! IncidentDate(parsing: "2026-11")))
        #expect(IncidentDate.entered("", today: today) == nil)
        #expect(IncidentDate.entered("  ", today: today) == nil)
        #expect(IncidentDate.entered(nil, today: today) == nil)
    }

    @Test func theFormsThreeInputs_makeAMonthOrADay() {
        #expect(IncidentDate.entered(year: "2026", month: "3", day: "", today: today)
            == .success(try! IncidentDate(parsing: "2026-03")))
        #expect(IncidentDate.entered(year: " 2026 ", month: "03", day: "7", today: today)
            == .success(try! IncidentDate(parsing: "2026-03-07")))
        #expect(IncidentDate.entered(year: "١٤٠٥", month: "", day: "", today: today) == .failure(.invalid))
        #expect(IncidentDate.entered(year: "", month: "", day: "", today: today) == nil)
    }

    @Test(arguments: [("2026", "", ""), ("", "3", ""), ("", "", "7"), ("2026", "", "7"), ("26", "3", ""),
                      ("2026", "13", ""), ("2026", "0", ""), ("2026", "2", "30"), ("2026", "3", "0"), ("2026", "x", ""),
                      ("2026", "3", "123"), ("2026", "-3", ""), ("20266", "3", "")])
    func incompleteOrImpossibleParts_areInvalid(_ parts: (String, String, String)) {
        #expect(IncidentDate.entered(year: parts.0, month: parts.1, day: parts.2, today: today) == .failure(.invalid))
    }

    @Test func aDateAfterTomorrow_isInTheFuture_tomorrowIsNot() {
        #expect(IncidentDate.entered("2026-12-02", today: today)?.isSuccess == true)  // the reporter's day may be ahead of UTC
        #expect(IncidentDate.entered("2026-12", today: today)?.isSuccess == true)
        #expect(IncidentDate.entered("2026-12-03", today: today) == .failure(.future))
        #expect(IncidentDate.entered("2027-01", today: today) == .failure(.future))
        #expect(IncidentDate.entered("9999-12-31", today: today) == .failure(.future))
        // On the last day of a month, tomorrow's month is still accepted.
        #expect(IncidentDate.entered("2027-01", today: Day("2026-12-31")!)?.isSuccess == true)
    }

    @Test func aYearBefore1900_isTooEarly() {
        #expect(IncidentDate.entered("1899-12-31", today: today) == .failure(.tooEarly))
        #expect(IncidentDate.entered("0000-01", today: today) == .failure(.tooEarly))
        #expect(IncidentDate.entered(year: "1405", month: "7", day: "", today: today) == .failure(.tooEarly))
        #expect(IncidentDate.entered("1900-01-01", today: today)?.isSuccess == true)
    }

    @Test func garbageAndHugeInput_areInvalid_quickly() {
        #expect(IncidentDate.entered("last week", today: today) == .failure(.invalid))
        #expect(IncidentDate.entered("2026-10\u{0}", today: today) == .failure(.invalid))
        #expect(IncidentDate.entered("\u{202E}2026-10", today: today) == .failure(.invalid))
        let huge = String(repeating: "2", count: 1_000_000)
        let started = ContinuousClock.now
        #expect(IncidentDate.entered(huge, today: today) == .failure(.invalid))
        #expect(IncidentDate.entered(year: huge, month: "3", day: "", today: today) == .failure(.invalid))
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func problems_nameTheirMessageKeys() {
        #expect([IncidentDate.Problem.invalid, .tooEarly, .future].map(\.messageKey)
            == ["error.incident_invalid", "error.incident_too_early", "error.incident_future"])
    }

    @Test func aDraftWithAnInvalidDate_hasAnIssueAtTheIncidentField_inFormOrder() {
        let draft = ReportDraft(text: "", when: String(repeating: "x", count: 600), incident: .failure(.future)).normalised()
        #expect(draft.issues(limits: SubmissionLimits()) == [
            ValidationIssue(field: "text", messageKey: "error.text_missing"),
            ValidationIssue(field: "when", messageKey: "error.field_too_long"),
            ValidationIssue(field: "incident", messageKey: "error.incident_future"),
        ])
        let good = ReportDraft(text: "x", incident: .success(try! IncidentDate(parsing: "2026-10"))).normalised()
        #expect(good.issues(limits: SubmissionLimits()).isEmpty && good.incidentDate?.text == "2026-10")
    }
}

@Suite struct LanguageTagTests {
    @Test(arguments: ["de", "tr", "de-simple", "pt-BR", "zh-Hant-TW", "sr-Latn", "x-klingon"])
    func wellFormedTags_parse_inLowerCase(_ text: String) throws {
        if text == "x-klingon" {
            #expect(throws: InvalidValue.self) { try LanguageTag(parsing: text) }  // the first subtag has 2–8 letters
        } else {
            #expect(try LanguageTag(parsing: text).text == text.lowercased())
        }
    }

    @Test(arguments: ["", "d", "de-", "-de", "de--simple", "de_simple", "de simple", "d3", "de-toolongsubtag",
                      "ar-\u{0661}", String(repeating: "a", count: 8) + String(repeating: "-abcdefgh", count: 4)])
    func malformedTags_areRefused(_ text: String) {
        #expect(throws: InvalidValue.self) { try LanguageTag(parsing: text) }
    }
}

@Suite struct ReporterLanguagePlaintextTests {
    let reference = try! CaseReference(parsing: "7KQM-3XWP")
    let day = Day("2026-11-30")!

    func object(_ content: ReportContent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(content.encoded())) as? [String: Any])
    }

    @Test func aReport_sealsLangAndIncident_andDecodesThem() throws {
        var report = ReportContent(type: .report, caseReference: reference, day: day, reporterKey: nil, text: "Hallo")
        report.lang = try LanguageTag(parsing: "tr")
        report.incident = try IncidentDate(parsing: "2026-10")
        let json = try object(report)
        #expect(json["lang"] as? String == "tr" && json["incident"] as? String == "2026-10")
        let decoded = try ReportContent.decode(try report.encoded())
        #expect(decoded.lang?.text == "tr" && decoded.incident?.text == "2026-10" && decoded == report)
    }

    @Test func aFollowUp_sealsLang_butNeverAnIncident_andItsSignatureStillVerifies() throws {
        let key = SigningSecretKey.generate()
        var followUp = ReportContent(type: .followUp, caseReference: reference, day: day, reporterKey: nil, text: "Nachtrag")
        followUp.lang = try LanguageTag(parsing: "de-simple")
        followUp.incident = try IncidentDate(parsing: "2026-10")
        try followUp.sign(with: key)
        let json = try object(followUp)
        #expect(json["lang"] as? String == "de-simple" && json["incident"] == nil)
        // lang is outside the signature (PROTOCOL §3.2): a reader before 0.9.0 verifies the same pieces.
        var withoutLang = followUp
        withoutLang.lang = nil
        #expect(try withoutLang.verifiedSigner().signer == key.publicKey)
        #expect(try ReportContent.decode(try followUp.encoded()).verifiedSigner().signer == key.publicKey)
    }

    @Test func anOldReportWithoutTheMembers_stillOpens() throws {
        let old = #"{"v":1,"type":"report","case":"7KQM-3XWP","day":"2026-11-24","text":"alt","attachments":[]}"#
        let content = try ReportContent.decode(Array(old.utf8))
        #expect(content.lang == nil && content.incident == nil && content.text == "alt")
    }

    @Test func unreadableValues_areIgnored_notTheItem() throws {
        let odd = #"{"v":2,"type":"report","case":"7KQM-3XWP","day":"2026-11-24","text":"x","attachments":[],"#
            + #""lang":"not a tag!","incident":"2026-W43","later":{"member":1}}"#
        let content = try ReportContent.decode(Array(odd.utf8))
        #expect(content.text == "x" && content.lang == nil && content.incident == nil)
        let wrongTypes = #"{"v":2,"type":"follow-up","case":"7KQM-3XWP","day":"2026-11-24","text":"x","lang":7}"#
        #expect(try ReportContent.decode(Array(wrongTypes.utf8)).lang == nil)
    }

    @Test func itemsOfTheTeam_carryNeither() throws {
        var reply = ReportContent(type: .reply, caseReference: reference, day: day, reporterKey: nil, text: "Danke")
        reply.lang = try LanguageTag(parsing: "en")
        reply.incident = try IncidentDate(parsing: "2026-10")
        let json = try object(reply)
        #expect(json["lang"] == nil && json["incident"] == nil)
    }
}

@Suite struct AGGClockTests {
    func end(_ text: String) -> String { AGGClock.latestEnd(of: try! IncidentDate(parsing: text)).text }

    @Test func aMonth_countsFromItsLastDay_twoMonthsLater() {
        #expect(end("2026-10") == "2026-12-31")  // a Thursday
        #expect(end("2026-11") == "2027-02-01")  // 2027-01-30 is a Saturday: the Monday after
    }

    @Test func theSameDayOfTheMonth_orTheMonthsLastDay() {
        #expect(end("2026-10-14") == "2026-12-14")  // Monday
        #expect(end("2026-12-31") == "2027-03-01")  // 2027-02-28 is a Sunday: the Monday after
        #expect(end("2027-12-30") == "2028-02-29")  // leap year, Tuesday
    }

    @Test func aWeekend_movesToTheMonday() {
        #expect(end("2026-10-17") == "2026-12-17")  // Thursday stays
        #expect(end("2026-10-19") == "2026-12-21")  // 2026-12-19 Saturday → Monday 21st
        #expect(end("2026-10-20") == "2026-12-21")  // Sunday → Monday
    }

    @Test func theClock_runsUntilItsDay_thenIsGone() {
        let incident = try! IncidentDate(parsing: "2026-10")
        #expect(AGGClock.deadline(incident: incident, today: Day("2026-12-01")!)?.state == .pending)
        #expect(AGGClock.deadline(incident: incident, today: Day("2026-12-28")!)?.state == .dueSoon)
        #expect(AGGClock.deadline(incident: incident, today: Day("2026-12-31")!)?.due.text == "2026-12-31")
        #expect(AGGClock.deadline(incident: incident, today: Day("2027-01-01")!) == nil)
        #expect(AGGClock.deadline(incident: try! IncidentDate(parsing: "2026-08"), today: Day("2026-12-01")!) == nil)
    }

    @Test func onlyRecentlyReceivedCases_canHaveARunningClock() {
        #expect(AGGClock.mayRun(received: Day("2026-11-30")!, today: Day("2026-12-01")!))
        #expect(AGGClock.mayRun(received: Day("2026-10-05")!, today: Day("2026-12-31")!))
        #expect(!AGGClock.mayRun(received: Day("2026-09-05")!, today: Day("2026-12-01")!))
    }

    @Test func weekdays_followTheCalendar() {
        #expect(Day("1970-01-01")!.weekday == 4)
        #expect(Day("2026-12-01")!.weekday == 2)
        #expect(Day("1969-12-28")!.weekday == 7)
        #expect(Day("2027-02-28")!.weekday == 7)
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}
