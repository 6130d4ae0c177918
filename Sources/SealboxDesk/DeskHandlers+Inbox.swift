// The inbox request after its filters parsed (DeskInboxFilter): the rows of the
// backend (cached by it until the store changes), the filters applied, the search asked
// of the session's in-memory index. A ground or area no case carries is refused like a
// value that does not parse (400): the form offers only those the cases carry.
import HTTPTypes
import Hummingbird
import SealboxCore
import SealboxHTML

extension DeskHandlers {
    func inboxPage(_ all: [DeskCaseSummary], filter: DeskInboxFilter, keys: any DeskKeys, today: Day,
                   pages: DeskPages, message: HTML) async throws -> Response {
        var view = DeskInboxView(filter: filter)
        var grounds = Set<String>(), areas = Set<String>()
        for row in all {
            grounds.formUnion(row.grounds)
            if let area = row.area { areas.insert(area) }
        }
        view.grounds = grounds.sorted()
        view.areas = areas.sorted()
        if let ground = filter.ground, !grounds.contains(ground) { throw DeskInboxFilter.Problem.ground }
        if let area = filter.area, !areas.contains(area) { throw DeskInboxFilter.Problem.area }
        var rows = all.filter { filter.matches($0, today: today) }
        if let query = filter.search {
            let result = await desk.backend.search(query, keys: keys)
            view.search = result
            rows = rows.filter { result.matches[$0.reference] != nil }
        }
        return Self.page(.ok, pages.inbox(rows, total: all.count, view: view, today: today, message: message))
    }
}
