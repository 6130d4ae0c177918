// The inbox's filters (docs/design/DESK.md §5): a GET form, so they work without
// script and survive the pager. Parsed once at the edge into typed values; a value that
// does not parse is refused with a named reason (the page answers 400), never ignored.
//
// Parameters: `assigned` = mine | unassigned; `due` = days 0…366 (a deadline of the
// legal clock or a follow-up day within that many days or overdue, or a reply due);
// `new` = 1 (changed since last looked at, as `list --new`); `status` = a case status;
// `ground`, `area` = a code of the coding scheme (as the cases' codings carry it);
// `q` = search text (at most 200 characters); `page` = the page of the result.
import Foundation
import SealboxCore

/// The filters of one inbox request, all optional; they combine (AND).
public struct DeskInboxFilter: Sendable, Equatable {
    public enum Assignment: String, Sendable, CaseIterable { case mine, unassigned }

    /// Why a filter value was refused; the page names it in the counsellor's language.
    public enum Problem: String, Error, Sendable, Equatable {
        case assigned, due, new, status, ground, area, search, page
    }

    public var assignment: Assignment?
    public var dueWithinDays: Int?
    public var onlyNew = false
    public var status: CaseStatus?
    public var ground: String?
    public var area: String?
    /// The search text, trimmed; nil for none.
    public var search: String?
    public var page = 1

    public static let longestDue = 366
    public static let longestSearch = 200
    public static let longestCode = 64

    public init() {}

    /// The filters of a query string's parameters (`name`, value); empty values count as unset.
    public init(parameters: [(name: String, value: String)]) throws(Problem) {
        for (name, raw) in parameters {
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty { continue }
            switch name {
            case "assigned":
                guard let parsed = Assignment(rawValue: value) else { throw .assigned }
                assignment = parsed
            case "due":
                guard value.count <= 3, let days = Int(value), (0...Self.longestDue).contains(days) else { throw .due }
                dueWithinDays = days
            case "new":
                guard value == "1" else { throw .new }
                onlyNew = true
            case "status":
                guard let parsed = CaseStatus(rawValue: value) else { throw .status }
                status = parsed
            case "ground":
                guard Self.isCode(value) else { throw .ground }
                ground = value
            case "area":
                guard Self.isCode(value) else { throw .area }
                area = value
            case "q":
                guard value.count <= Self.longestSearch else { throw .search }
                search = value
            case "page":
                guard value.count <= 6, let number = Int(value), number >= 1 else { throw .page }
                page = number
            default:
                continue
            }
        }
    }

    /// A code of the coding scheme: lower-case letters, digits, `-` and `_`.
    static func isCode(_ value: String) -> Bool {
        !value.isEmpty && value.count <= longestCode
            && value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Whether any filter (or a search) narrows the inbox.
    public var isActive: Bool {
        assignment != nil || dueWithinDays != nil || onlyNew || status != nil || ground != nil || area != nil || search != nil
    }

    /// Whether `row` passes every filter but the search (which the index answers).
    public func matches(_ row: DeskCaseSummary, today: Day) -> Bool {
        switch assignment {
        case .mine: if !row.assignedToMe { return false }
        case .unassigned: if row.assigned != nil { return false }
        case nil: break
        }
        if let status, row.status != status { return false }
        if onlyNew, !row.unread { return false }
        if let ground, !row.grounds.contains(ground) { return false }
        if let area, row.area != area { return false }
        if let days = dueWithinDays {
            let dues = [row.nextDeadline?.due, row.replyDue].compactMap { $0 }
            if !dues.contains(where: { today.days(until: $0) <= days }) { return false }
        }
        return true
    }

    /// The query string of these filters (without the page), for the pager's links.
    public var queryItems: [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        if let assignment { items.append(("assigned", assignment.rawValue)) }
        if let dueWithinDays { items.append(("due", String(dueWithinDays))) }
        if onlyNew { items.append(("new", "1")) }
        if let status { items.append(("status", status.rawValue)) }
        if let ground { items.append(("ground", ground)) }
        if let area { items.append(("area", area)) }
        if let search { items.append(("q", search)) }
        return items
    }

    /// `?name=value&…` with `page`, percent-encoded; "/" alone for the first page without filters.
    public func link(page: Int) -> String {
        var items = queryItems
        if page > 1 { items.append(("page", String(page))) }
        guard !items.isEmpty else { return "/" }
        return "/?" + items.map { "\($0.name)=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
