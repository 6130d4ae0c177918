// The statistics endpoints (docs/PROTOCOL.md §3.5, §12.8): any accepted signer stores or
// replaces a sealed statistic record under its random id and reads them all. The daemon
// checks what it can without a key (an envelope of kind 7, sealed to exactly the
// recipients of the team's case work, of the smallest padded length) and stores the
// month in clear beside it; nothing names a case, a member or a day, and nothing is
// audited (the coding the record comes with is). Records stay when cases are deleted.
import Foundation
import HTTPTypes
import Hummingbird
import SealboxAPI
import SealboxCore
import SealboxCrypto

extension StaffController {
    func addStatisticsRoutes(to router: Router<SealboxRequestContext>) {
        router.put("/api/v2/staff/statistics/:id") { request, context in try await putStatistic(request, context: context) }
        router.get(RouterPath(StaffPath.statistics)) { request, _ in try await statisticsPage(request) }
    }

    static let statisticsFull = PublicError(.conflict, "error.invalid_choice", code: "statistics_full")

    func putStatistic(_ request: Request, context: SealboxRequestContext) async throws -> Response {
        guard let id = try? StatisticID(parsing: context.parameters.get("id") ?? "") else { throw PublicError.notFound }
        let bytes = try await request.collectBody(limit: StaffAuthenticator.bodyLimit)
        guard let body = try? APICoding.decode(StatisticUpload.self, from: bytes) else {
            throw (try? APICoding.decode(LooseStatisticUpload.self, from: bytes)) != nil
                ? PublicError(.unprocessableContent, "error.malformed_body") : PublicError.malformedBody
        }
        let envelope = body.envelope.bytes
        guard let header = try? Envelope.recipients(of: envelope), header.kind == .statistic,
              acceptsCaseWorkRecipients(header.keyIDs),
              envelope.count == Envelope.minimumLength(recipients: header.keyIDs.count)
        else { throw PublicError(.unprocessableContent, "error.malformed_body") }
        let created: Bool
        do {
            created = try await database.putStatistic(StoredStatistic(id: id, month: body.month, envelope: envelope))
        } catch StatisticStorageError.full {
            throw Self.statisticsFull
        }
        return pages.json(StatisticStored(id: id, month: body.month), status: created ? .created : .ok)
    }

    func statisticsPage(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        var after: StatisticID?
        if let text = query.get("after") {
            guard let id = try? StatisticID(parsing: String(text)) else { throw PublicError.malformedBody }
            after = id
        }
        var limit = StaffPath.defaultStatisticsPage
        if let text = query.get("limit") {
            guard text.utf8.count <= 4, let value = Int(text), (1...StaffPath.maximumStatisticsPage).contains(value) else {
                throw PublicError.malformedBody
            }
            limit = value
        }
        let records = try await database.statistics(after: after, limit: limit)
        return pages.json(StatisticPage(statistics: records.map(SealedStatistic.init), next: records.last?.id), status: .ok)
    }
}

/// A statistic body before its month and envelope are checked (a bad one is 422, not 400).
private struct LooseStatisticUpload: Decodable {
    let month: String
    let envelope: String
}
