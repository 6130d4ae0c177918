// The handlers of the statistics and audit pages (docs/design/DESK.md §5, §7). The
// period is parsed here, at the edge: a value that is neither a year nor a month, or a
// `to` before `from`, is answered 400 with the form and a localised message, and the
// workstation is not asked. The CSV carries the page's suppression and is a download.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

extension DeskHandlers {
    enum StatisticsView {
        case page, printable, csv
    }

    func statistics(_ request: Request, view: StatisticsView) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        let query = request.uri.queryParameters
        let fromField = query.get("from").map { String($0.prefix(20)) } ?? ""
        let toField = query.get("to").map { String($0.prefix(20)) } ?? ""
        guard let period = DeskStatisticsPeriod(from: fromField, to: toField, today: .today()) else {
            let message = pages.notice(pages.texts["stats.error.period"], error: true)
            return Self.page(.badRequest, pages.statistics(nil, period: nil, fromField: fromField, toField: toField,
                                                           message: message))
        }
        do {
            let figures = try await desk.backend.statistics(from: period.from, to: period.to, keys: keys)
            switch view {
            case .page:
                return Self.page(.ok, pages.statistics(figures, period: period, fromField: period.fromText,
                                                       toField: period.toText))
            case .printable:
                return Self.page(.ok, pages.statistics(figures, period: period, fromField: period.fromText,
                                                       toField: period.toText, printable: true))
            case .csv:
                let name = "sealbox-statistics-\(period.from.text)-\(period.to.text).csv"
                return Response(status: .ok, headers: [
                    .contentType: "text/csv; charset=utf-8; header=present",
                    .contentDisposition: "attachment; filename=\"\(name)\"",
                ], body: .init(byteBuffer: ByteBuffer(string: pages.statisticsCSV(figures, period: period))))
            }
        } catch {
            return Self.page(Self.status(of: error), pages.problem(pages.failureText(error), unlocked: true))
        }
    }

    func audit(_ request: Request) async throws -> Response {
        let pages = await pagesFor(request)
        let keys: any DeskKeys
        switch await self.keys(request, pages) {
        case .open(let open): keys = open
        case .signIn(let signIn): return signIn
        }
        do {
            return Self.page(.ok, pages.audit(try await desk.backend.audit(keys: keys)))
        } catch {
            return Self.page(Self.status(of: error), pages.problem(pages.failureText(error), unlocked: true))
        }
    }
}
