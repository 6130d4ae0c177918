// The AGG clock (docs/WORKSTATION.md §5, PROTOCOL §3.2 `incident`): claims under the
// General Equal Treatment Act must usually be raised in writing within two months
// (AGG §15(4), §21(5)). Sealbox cannot know when that period really ends: it starts
// when the reporter learned of the discrimination, which may be later than the
// incident, and a collective agreement may set another period. So it only ever names
// the latest day it may still run, conservatively:
// - from the last day the incident may have been (the day, or the month's last day),
// - two months later, on the same day of the month or the month's last day (BGB §188(2),
//   (3)): an incident on 2026-10-31 or in October 2026 gives 2026-12-31;
// - a Saturday or Sunday moves to the Monday after (BGB §193); public holidays, which
//   differ by state, are not counted, so the true end may be a day later still.
// It is a reminder to tell the reporter about the time limit, not legal advice.

/// The latest day the two months of the AGG may run after an incident.
public enum AGGClock {
    /// The months of the period.
    public static let months = 2

    /// The latest day the period may end for an incident on (or in) `incident`.
    public static func latestEnd(of incident: IncidentDate) -> Day {
        let end = incident.latest.adding(months: months)
        switch end.weekday {
        case 6: return end.adding(days: 2)
        case 7: return end.adding(days: 1)
        default: return end
        }
    }

    /// The clock of a case as a deadline seen on `today`: nil once the latest end has passed.
    public static func deadline(incident: IncidentDate, today: Day) -> Deadline? {
        let due = latestEnd(of: incident)
        guard today <= due else { return nil }
        return Deadline(kind: .agg, due: due, state: Deadlines.state(due: due, today: today))
    }

    /// Whether a case received on `received` can still have a running clock on `today`: the
    /// incident lies no later than the day after the day received (IncidentDate.checked).
    public static func mayRun(received: Day, today: Day) -> Bool {
        today <= latestEnd(of: IncidentDate(monthOf: received.adding(days: 1)))
    }
}
