// The deadline arithmetic of docs/PROTOCOL.md §9.2 (SealboxCore/Deadlines.swift).
import SealboxCore
import Testing

@Suite struct DeadlinesTests {
    private func day(_ text: String) -> Day { Day(text)! }

    @Test(arguments: [
        ("2026-11-24", "2027-02-24"),
        ("2026-11-30", "2027-02-28"),  // no 30 February: the month's last day
        ("2026-11-29", "2027-02-28"),
        ("2027-11-30", "2028-02-29"),  // 2028 is a leap year
        ("2023-11-29", "2024-02-29"),
        ("2026-01-31", "2026-04-30"),
        ("2026-03-31", "2026-06-30"),
        ("2026-10-31", "2027-01-31"),  // across the year
        ("2026-12-31", "2027-03-31"),
        ("2099-11-30", "2100-02-28"),  // 2100 is not a leap year
        ("2399-11-30", "2400-02-29"),  // 2400 is
    ])
    func feedback_isDueThreeMonthsLaterClampedToTheMonthEnd(received: String, due: String) {
        #expect(Deadlines.feedbackDue(received: day(received)) == day(due))
    }

    @Test(arguments: [
        ("2026-11-24", "2026-12-01"),
        ("2026-12-28", "2027-01-04"),
        ("2028-02-25", "2028-03-03"),  // through 29 February
        ("2027-02-25", "2027-03-04"),
    ])
    func acknowledgement_isDueSevenDaysLater(received: String, due: String) {
        #expect(Deadlines.acknowledgementDue(received: day(received)) == day(due))
    }

    @Test func dayOrdinals_roundTripAndCount() {
        #expect(day("1970-01-01").ordinal == 0)
        #expect(day("2000-03-01").ordinal - day("2000-02-28").ordinal == 2)
        #expect(day("2100-03-01").ordinal - day("2100-02-28").ordinal == 1)
        for text in ["1969-12-31", "2024-02-29", "2026-11-24", "2400-12-31"] {
            #expect(Day(ordinal: day(text).ordinal) == day(text))
        }
        #expect(day("2026-11-24").days(until: day("2027-11-24")) == 365)
        #expect(day("2027-11-24").days(until: day("2028-11-24")) == 366)
    }

    @Test func aDeadline_isDueSoonWithinAWeekAndOverdueTheDayAfter() {
        let due = day("2026-12-01")
        #expect(Deadlines.state(due: due, today: day("2026-11-23")) == .pending)
        #expect(Deadlines.state(due: due, today: day("2026-11-24")) == .dueSoon)
        #expect(Deadlines.state(due: due, today: day("2026-12-01")) == .dueSoon)
        #expect(Deadlines.state(due: due, today: day("2026-12-02")) == .overdue)
    }

    @Test func aReceivedCase_hasBothDeadlines() {
        let d = Deadlines(received: day("2026-11-24"), status: .received, today: day("2026-12-02"))
        #expect(d.acknowledgement == Deadline(kind: .acknowledgement, due: day("2026-12-01"), state: .overdue))
        #expect(d.feedback == Deadline(kind: .feedback, due: day("2027-02-24"), state: .pending))
        #expect(d.next?.kind == .acknowledgement)
        #expect(d.needsAction)
    }

    @Test(arguments: [CaseStatus.acknowledged, .inProgress])
    func anAcknowledgedCase_hasOnlyTheFeedbackDeadline(status: CaseStatus) {
        let d = Deadlines(received: day("2026-11-24"), status: status, today: day("2027-02-20"))
        #expect(d.acknowledgement == nil)
        #expect(d.feedback?.state == .dueSoon)
        #expect(d.needsAction)
    }

    @Test func aClosedCase_hasNoDeadlines() {
        let d = Deadlines(received: day("2026-11-24"), status: .closed, today: day("2027-06-01"))
        #expect(d.pending.isEmpty && d.next == nil && !d.needsAction)
    }

    // MARK: The office's own deadlines (office.acknowledge_days, office.feedback_days)

    @Test func anOfficesPolicy_movesBothDeadlines_andTheDefaultIsSevenDaysAndThreeMonths() {
        let policy = DeadlinePolicy(acknowledgement: .days(3), feedback: .days(30))
        let d = Deadlines(received: day("2026-11-24"), status: .received, today: day("2026-11-26"), policy: policy)
        #expect(d.acknowledgement?.due == day("2026-11-27") && d.acknowledgement?.state == .dueSoon)
        #expect(d.feedback?.due == day("2026-12-24"))
        #expect(DeadlinePolicy.standard == DeadlinePolicy(acknowledgement: .days(7), feedback: .months(3)))
        #expect(Deadlines(received: day("2026-11-24"), status: .received, today: day("2026-11-26"))
                == Deadlines(received: day("2026-11-24"), status: .received, today: day("2026-11-26"), policy: .standard))
    }

    @Test func aConfiguredPolicy_takesWholeDaysWithinTenYears_andNamesTheKeyOtherwise() throws {
        #expect(try DeadlinePolicy.configured(acknowledgeDays: nil, feedbackDays: nil, acknowledgeKey: "a", feedbackKey: "f") == .standard)
        #expect(try DeadlinePolicy.configured(acknowledgeDays: 14, feedbackDays: 60, acknowledgeKey: "a", feedbackKey: "f")
                == DeadlinePolicy(acknowledgement: .days(14), feedback: .days(60)))
        #expect(throws: DeadlinePolicyError(key: "office.acknowledge_days")) {
            _ = try DeadlinePolicy.configured(acknowledgeDays: 0, feedbackDays: nil,
                                              acknowledgeKey: "office.acknowledge_days", feedbackKey: "f")
        }
        #expect(throws: DeadlinePolicyError(key: "f")) {
            _ = try DeadlinePolicy.configured(acknowledgeDays: nil, feedbackDays: Int.max, acknowledgeKey: "a", feedbackKey: "f")
        }
    }
}
