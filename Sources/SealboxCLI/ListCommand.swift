// `sealbox list`: the cases in the local store, newest first, from stored metadata
// only (nothing is decrypted, no passphrase is asked). When a team key file is
// configured, cases sealed to another team key are marked, read from the envelopes'
// key ids. --mine, --unassigned and --due read the team's case data (assignment and
// follow-up day, PROTOCOL §3.4), which needs the team key: it is opened only when the
// store holds case data, and only the case data items are decrypted.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the cases in the local store, newest first, with status and deadlines.",
        discussion: """
            Shows each case's reference, status, the day it was received, the day of its \
            last activity, its deadlines, and how many messages (report, follow-ups, \
            replies) and attachments it has. Nothing is decrypted. Run `sealbox sync` first \
            to fetch new reports and the current status of every case.

            STATUS is the server's, as of the last `sealbox sync` (or your last `reply` / \
            `status`); for a server without a case list it is read from the status changes \
            synced (the latest wins; a case with a reply is at least acknowledged).

            DEADLINES are the office's promise to reporters, the same as the daemon's \
            office.acknowledge_days and office.feedback_days (set them here with \
            --acknowledge-days / --feedback-days, SEALBOX_ACKNOWLEDGE_DAYS / \
            SEALBOX_FEEDBACK_DAYS or "acknowledge_days" / "feedback_days" in the settings \
            file). Without them, as in the whistleblowing act (HinSchG §17): the \
            acknowledgement is due 7 days after the day received, as long as the case is \
            "received"; the feedback is due 3 months after the day received (the same day of \
            the month, or the month's last day), until the case is closed. A deadline is marked "due soon" from 7 days before its day and \
            "overdue" from the day after. --due shows only the cases with a deadline that is \
            overdue or due soon, nearest deadline first; a follow-up day set with `sealbox \
            follow-up` counts as a deadline too.

            THE AGG CLOCK: claims under the AGG must usually be raised within two months. \
            --due also lists every open case whose report gives an incident date (a month \
            or a day) for which those two months may still be running, with "AGG two-month \
            deadline may run until DAY": the last day the incident may have been, two \
            months later, a weekend moved to the Monday (docs/WORKSTATION.md §5). The date \
            is sealed in the report, so --due opens the reports of the cases received in \
            the last three months with the team key (asking its passphrase once).

            REPLY BY marks with ! every case with a reporter's message (the report or a \
            follow-up) that no reply of the team has followed yet, open and closed cases \
            alike, with the day a reply is due: reply_due_days (SEALBOX_REPLY_DUE_DAYS, \
            default 7) after the oldest unanswered message; --due shows them from 7 days before. \
            --new shows only the cases `sealbox sync` changed since you last opened them \
            with `sealbox show` (new messages, replies, status changes, the team's notes).

            Statuses and column headers follow LANG (LC_ALL, LC_MESSAGES): German for de, \
            else English. On a terminal (or with COLUMNS set) the table is cut to its width; \
            the case reference is never cut.

            --mine shows the cases assigned to you (your member id, or your staff key), \
            --unassigned the cases \
            assigned to nobody (`sealbox assign`). These read the team's sealed case data, \
            so they need the team key file and its passphrase once any case data exists. \
            With trusted_leads set, members are named by their labels in the roster this \
            workstation has verified.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var teamKey: TeamKeyOptions

    @OptionGroup var passphrase: PassphraseOptions

    @Flag(name: .customLong("due"), help: "Only the cases with a deadline or follow-up day overdue or within 7 days, nearest first.")
    var due = false

    @Flag(name: .customLong("expiring"), help: "Only the cases the server deletes within 30 days (retention), soonest first.")
    var expiring = false

    @Flag(name: .customLong("mine"), help: "Only the cases assigned to you (your staff key).")
    var mine = false

    @Flag(name: .customLong("unassigned"), help: "Only the cases assigned to nobody.")
    var unassigned = false

    @Flag(name: .customLong("new"), help: "Only the cases changed by a sync since you last opened them with `show`.")
    var new = false

    func validate() throws {
        if mine && unassigned { throw ValidationError("give either --mine or --unassigned, not both") }
    }

    @Option(name: .customLong("acknowledge-days"), help: ArgumentHelp(
        "Days after receipt the office promises an acknowledgement (default 7).", valueName: "DAYS"))
    var acknowledgeDays: String?

    @Option(name: .customLong("feedback-days"), help: ArgumentHelp(
        "Days after receipt the office promises feedback (default: 3 months).", valueName: "DAYS"))
    var feedbackDays: String?

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    @Option(name: .customLong("today"), help: ArgumentHelp("Compute deadlines as on this day (YYYY-MM-DD).",
                                                           visibility: .hidden))
    var today: Day?

    struct Row {
        let summary: LocalCase
        let otherKey: Bool
        let deadlines: Deadlines
        /// The case data, when it was read (--mine, --unassigned, --due).
        var work: CaseWorkState?
        var followUp: Deadline?
        /// The incident date of the report and its AGG clock while it may run (read with --due).
        var incident: IncidentDate?
        var agg: Deadline?

        /// The reporter's messages no reply has followed (issue 11).
        var replyDue = ReplyDue(messages: [])
        /// A sync changed the case since the user last opened it.
        var isNew = false

        /// The day a reply is due, once it is due soon or overdue (with the default 7 days,
        /// from the day the message arrived).
        var replyDeadline: Deadline?

        /// The nearest of the legal deadlines, the follow-up day and the day a reply is due
        /// that need action, and the AGG clock for as long as it may run.
        var nextDue: Day? {
            [deadlines.needsAction ? deadlines.next?.due : nil, followUp.flatMap { $0.state == .pending ? nil : $0.due },
             replyDeadline.flatMap { $0.state == .pending ? nil : $0.due }, agg?.due]
                .compactMap { $0 }.min()
        }
    }

    func run() throws {
        let settings = try Settings.current()
        let directory = settings.storeDirectory(flag: store.store)
        let day = today ?? Day.today()
        let policy = try settings.deadlinePolicy(acknowledgeFlag: acknowledgeDays, feedbackFlag: feedbackDays)
        let dueDays = try settings.replyDueDays()
        var rows: [Row] = []
        if let local = try LocalStore.open(directory, create: false) {
            let source = try? TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: teamKey.teamKey,
                                                    purpose: "`sealbox list`")
            do {
                // The report alone tells in nearly every case; all items only when it is foreign.
                let reports = source == nil ? [:] : try local.reports()
                let repliesDue = try local.repliesDue(dueDays: dueDays)
                let unread = try local.unreadCases()
                rows = try local.cases().map { summary in
                    var otherKey = false
                    if let source {
                        if source.foreignKeyIDs(of: reports[summary.reference].map { [$0] } ?? []) != nil {
                            otherKey = source.foreignKeyIDs(of: try local.items(case: summary.reference)) != nil
                        }
                    }
                    var row = Row(summary: summary, otherKey: otherKey, deadlines: Self.deadlines(summary, today: day, policy: policy))
                    row.replyDue = repliesDue[summary.reference] ?? ReplyDue(messages: [])
                    row.replyDeadline = row.replyDue.deadline(today: day)
                    row.isNew = unread.contains(summary.reference)
                    return row
                }
            } catch {
                throw CLIError("cannot read the local store \(directory.path)")
            }
        }
        let total = rows.count
        let team = try TeamDirectory.load(settings: settings, store: try LocalStore.open(directory, create: false))
        if mine || unassigned || due, let local = try LocalStore.open(directory, create: false) {
            var keyring: TeamKeyring?
            rows = try readCaseWork(rows, store: local, settings: settings, today: day, team: team, keyring: &keyring)
            if due { rows = try readIncidents(rows, store: local, settings: settings, today: day, keyring: &keyring) }
        }
        if mine {
            let own = try settings.requiredPath(.staffKey, flag: nil, for: "`sealbox list --mine`")
            let ownID = try KeyFiles.ownMemberID(at: own)
            rows = rows.filter { $0.work?.assigned == ownID }
        }
        if unassigned { rows = rows.filter { $0.work?.assigned == nil } }
        if new { rows = rows.filter(\.isNew) }
        if due { rows = Self.needingAction(rows) }
        if expiring { rows = Self.expiring(rows, today: day) }
        if json {
            print(Self.json(rows, today: day))
        } else if rows.isEmpty {
            if new && total > 0 {
                print("No case has changed since you last opened it.")
            } else if mine || unassigned {
                print(mine ? "No case is assigned to you." : "No case is unassigned.")
            } else if expiring && total > 0 {
                print("No case is due for deletion within \(Self.expiringWindow) days.")
            } else if due && total > 0 {
                print("No case needs action: no deadline is overdue or due within 7 days.")
            } else {
                print("No cases in the local store yet.")
                Terminal.error("sealbox: hint: \(LocalStore.syncHint)")
            }
        } else {
            let texts = WorkstationTexts(environment: ProcessInfo.processInfo.environment)
            print(Self.table(rows, today: day, team: team, texts: texts, width: Terminal.width), terminator: "")
        }
    }

    static func deadlines(_ summary: LocalCase, today: Day, policy: DeadlinePolicy = .standard) -> Deadlines {
        Deadlines(received: summary.received, status: summary.status, today: today, policy: policy)
    }

    /// Opens the case data of every case (only when the store holds any) with the team key.
    func readCaseWork(_ rows: [Row], store local: WorkstationStore, settings: Settings, today: Day,
                      team: TeamDirectory, keyring opened: inout TeamKeyring?) throws -> [Row] {
        let threads: [CaseReference: [StoredItem]]
        do {
            threads = try local.items(ofKinds: [.caseData, .coding])
        } catch {
            throw CLIError("cannot read the local store")
        }
        guard threads.values.contains(where: { $0.contains { $0.kind == .caseData } }) else {
            return rows.map { var row = $0; row.work = CaseWorkState(); return row }
        }
        let source = try TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: teamKey.teamKey,
                                               purpose: "reading the case data")
        let key = try source.open(settings: settings, store: local, passphraseFlag: passphrase.passphraseFile)
        opened = key
        var staffKeys = try KeyFiles.knownStaffKeys(settings: settings).union(team.signingKeys)
        staffKeys.formUnion(((try? local.rosterEntries()) ?? []).compactMap { $0.member?.key.signingKey })
        return rows.map { row in
            var row = row
            let work = CaseWorkState.read(threads[row.summary.reference] ?? [], case: row.summary.reference, keyring: key,
                                          staffKeys: staffKeys)
            row.work = work
            row.followUp = work.followUp.map { Deadline(kind: .followUp, due: $0, state: Deadlines.state(due: $0, today: today)) }
            return row
        }
    }

    /// Reads the incident date from the report of every open case whose AGG clock may still
    /// run, and sets the clock. Without a team key configured, says so and leaves them out.
    func readIncidents(_ rows: [Row], store local: WorkstationStore, settings: Settings, today: Day,
                       keyring opened: inout TeamKeyring?) throws -> [Row] {
        let candidates = rows.indices.filter {
            rows[$0].summary.status != .closed && AGGClock.mayRun(received: rows[$0].summary.received, today: today)
        }
        guard !candidates.isEmpty else { return rows }
        let key: TeamKeyring
        if let opened {
            key = opened
        } else {
            let source: TeamKeySource
            do {
                source = try TeamKeySource.resolve(settings: settings, store: local, teamKeyFlag: teamKey.teamKey,
                                                   purpose: "reading the incident dates (AGG clock)")
            } catch {
                Terminal.warning("the AGG clock is not shown: \(error.message)")
                return rows
            }
            key = try source.open(settings: settings, store: local, passphraseFlag: passphrase.passphraseFile)
            opened = key
        }
        var rows = rows
        for index in candidates {
            let reference = rows[index].summary.reference
            let items: [StoredItem]
            do {
                items = try local.items(case: reference)
            } catch {
                throw CLIError("cannot read the local store")
            }
            // The case's report: the first report item that opens (PROTOCOL §3.3).
            let report = items.lazy.filter { $0.kind == .report }.compactMap { item -> ReportContent? in
                if case .opened(_, let content) = CaseOpener.open(item, filedUnder: reference, with: key) { return content }
                return nil
            }.first
            guard let incident = report?.incident else { continue }
            rows[index].incident = incident
            rows[index].agg = AGGClock.deadline(incident: incident, today: today)
        }
        return rows
    }

    /// The rows with a deadline or follow-up day overdue or due soon, nearest first.
    static func needingAction(_ rows: [Row]) -> [Row] {
        rows.filter { $0.nextDue != nil }.sorted { a, b in
            let x = a.nextDue
            let y = b.nextDue
            if x != y, let x, let y { return x < y }
            return x != y ? x != nil : a.summary.reference < b.summary.reference
        }
    }

    /// How far ahead `--expiring` looks, in days.
    static let expiringWindow = 30

    /// The rows whose retention expiry (as of the last sync) is within the window, soonest first.
    static func expiring(_ rows: [Row], today: Day) -> [Row] {
        let limit = today.adding(days: expiringWindow)
        return rows.filter { $0.summary.expires.map { $0 <= limit } ?? false }
            .sorted { ($0.summary.expires!, $0.summary.reference.text) < ($1.summary.expires!, $1.summary.reference.text) }
    }

    /// "deletion requested by <label, or key id> on <day>", the note of a pending four-eyes deletion.
    static func deletionNote(_ deletion: PendingDeletion, team: TeamDirectory = TeamDirectory()) -> String {
        "deletion requested by \(team.shown(deletion.requestedBy, own: nil)) on \(deletion.day.text)"
    }

    static func cell(_ deadline: Deadline?, texts: WorkstationTexts = WorkstationTexts(language: "en")) -> String {
        guard let deadline else { return "-" }
        switch deadline.state {
        case .overdue: return "\(deadline.due.text) (\(texts["deadline.overdue"]))"
        case .dueSoon: return "\(deadline.due.text) (\(texts["deadline.due_soon"]))"
        case .pending: return deadline.due.text
        }
    }

    /// The REPLY BY cell: `! DAY (state)` with the count when more than one message waits, else `-`.
    static func replyCell(_ due: ReplyDue, today: Day, texts: WorkstationTexts = WorkstationTexts(language: "en")) -> String {
        guard let deadline = due.deadline(today: today) else { return "-" }
        var text = "! " + cell(deadline, texts: texts)
        if due.messages.count > 1 { text += " [\(due.messages.count) \(texts["attention.unanswered"])]" }
        return text
    }

    static func table(_ rows: [Row], today: Day = Day.today(), team: TeamDirectory = TeamDirectory(),
                      texts: WorkstationTexts = WorkstationTexts(language: "en"), width: Int? = nil) -> String {
        var lines = [[texts["list.case"], texts["list.status"], texts["list.received"], texts["list.last_activity"],
                      texts["list.acknowledge_by"], texts["list.feedback_by"], texts["list.reply_by"], texts["list.items"],
                      texts["list.attachments"], ""]]
        for row in rows {
            let s = row.summary
            var attachments = "\(s.attachments)"
            if s.missingAttachments > 0 { attachments += " (\(s.missingAttachments) not fetched)" }
            var notes: [String] = []
            if row.isNew { notes.append(texts["attention.new"]) }
            if row.otherKey { notes.append("sealed to another team key") }
            if let work = row.work {
                notes.append(work.assigned.map { "assigned to \(team.shown($0, own: nil))" } ?? "unassigned")
                if let followUp = row.followUp { notes.append("follow-up \(cell(followUp))") }
            }
            if let agg = row.agg { notes.append("AGG two-month deadline may run until \(cell(agg))") }
            if let deletion = s.deletion { notes.append(deletionNote(deletion, team: team)) }
            if let expires = s.expires, today.days(until: expires) <= Self.expiringWindow {
                notes.append("deleted by retention after \(expires.text)")
            }
            if s.lostOnServer {
                notes.append("lost on the server (restored from an older backup?)")
            } else if s.onServer == false {
                notes.append("deleted on the server")
            }
            lines.append([s.reference.text, texts.name(of: s.status), s.received.text, s.lastActivity.text,
                          cell(row.deadlines.acknowledgement, texts: texts), cell(row.deadlines.feedback, texts: texts),
                          replyCell(row.replyDue, today: today, texts: texts), "\(s.items)", attachments,
                          notes.joined(separator: "; ")])
        }
        guard let width else { return TextTable.render(lines, rightAligned: [7]) }
        // Too narrow for every column: attachments, items, last activity, received and the
        // acknowledgement go first; the reference is never cut.
        let dropped = [8, 7, 3, 2, 4]
        let fitted = TableFit.fit(lines, available: width, dropping: dropped)
        let keptItems = fitted.first?.count == lines.first?.count ? 7 : (fitted.first?.firstIndex(of: lines[0][7]) ?? -1)
        return TextTable.render(fitted, rightAligned: keptItems >= 0 ? [keptItems] : [])
    }

    struct UnansweredJSON: Encodable {
        let id: String
        let kind: String
        let day: Day
        let due: Day
    }

    struct JSONCase: Encodable {
        let row: Row
        let today: Day

        enum CodingKeys: String, CodingKey {
            case `case`, status, received, acknowledged, items, attachments
            case lastActivity = "last_activity"
            case attachmentsNotFetched = "attachments_not_fetched"
            case otherTeamKey = "other_team_key"
            case onServer = "on_server"
            case lostOnServer = "lost_on_server"
            case acknowledgementDue = "acknowledgement_due"
            case acknowledgementOverdue = "acknowledgement_overdue"
            case acknowledgementDueSoon = "acknowledgement_due_soon"
            case feedbackDue = "feedback_due"
            case feedbackOverdue = "feedback_overdue"
            case feedbackDueSoon = "feedback_due_soon"
            case needsAction = "needs_action"
            case assigned
            case followUp = "follow_up"
            case followUpOverdue = "follow_up_overdue"
            case expires
            case retainedUntil = "retained_until"
            case deletionRequestedBy = "deletion_requested_by"
            case deletionRequested = "deletion_requested"
            case incident
            case aggDeadline = "agg_deadline"
            case unanswered
            case replyDue = "reply_due"
            case replyOverdue = "reply_overdue"
            case new
        }

        func encode(to encoder: any Encoder) throws {
            let s = row.summary
            let d = row.deadlines
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(s.reference, forKey: .case)
            try c.encode(s.status, forKey: .status)
            try c.encode(s.received, forKey: .received)
            try c.encode(s.acknowledged, forKey: .acknowledged)
            try c.encode(s.lastActivity, forKey: .lastActivity)
            try c.encode(s.items, forKey: .items)
            try c.encode(s.attachments, forKey: .attachments)
            try c.encode(s.missingAttachments, forKey: .attachmentsNotFetched)
            try c.encode(row.otherKey, forKey: .otherTeamKey)
            try c.encode(s.onServer, forKey: .onServer)
            try c.encode(s.lostOnServer, forKey: .lostOnServer)
            try c.encode(d.acknowledgement?.due, forKey: .acknowledgementDue)
            try c.encode(d.acknowledgement?.state == .overdue, forKey: .acknowledgementOverdue)
            try c.encode(d.acknowledgement?.state == .dueSoon, forKey: .acknowledgementDueSoon)
            try c.encode(d.feedback?.due, forKey: .feedbackDue)
            try c.encode(d.feedback?.state == .overdue, forKey: .feedbackOverdue)
            try c.encode(d.feedback?.state == .dueSoon, forKey: .feedbackDueSoon)
            try c.encode(d.needsAction, forKey: .needsAction)
            if let work = row.work {
                try c.encode(work.assigned, forKey: .assigned)
                try c.encode(work.followUp, forKey: .followUp)
                try c.encode(row.followUp?.state == .overdue, forKey: .followUpOverdue)
            }
            try c.encode(s.expires, forKey: .expires)
            try c.encode(s.retainedUntil, forKey: .retainedUntil)
            try c.encode(s.deletion?.requestedBy.hex, forKey: .deletionRequestedBy)
            try c.encode(s.deletion?.day, forKey: .deletionRequested)
            try c.encodeIfPresent(row.incident, forKey: .incident)
            if row.incident != nil { try c.encode(row.agg?.due, forKey: .aggDeadline) }
            try c.encode(row.replyDue.messages.map { UnansweredJSON(id: $0.id.text, kind: $0.kind.rawValue, day: $0.day, due: $0.due) },
                         forKey: .unanswered)
            try c.encode(row.replyDue.due, forKey: .replyDue)
            try c.encode(row.replyDue.due.map { Deadlines.state(due: $0, today: today) == .overdue } ?? false, forKey: .replyOverdue)
            try c.encode(row.isNew, forKey: .new)
        }
    }

    static func json(_ rows: [Row], today: Day = Day.today()) -> String {
        Terminal.prettyJSON(["cases": rows.map { JSONCase(row: $0, today: today) }])
    }
}
