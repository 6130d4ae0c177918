// The statistics endpoints of the staff API, protocol version 2 (docs/PROTOCOL.md §3.5,
// §12.8, docs/openapi.yaml): `PUT /api/v2/staff/statistics/{id}` stores or replaces one
// sealed statistic record, `GET /api/v2/staff/statistics?after=&limit=` pages through all
// of them. A record names a month and nothing else in clear.
import SealboxCore
import SealboxCrypto

extension StaffPath {
    public static let statistics = "/api/v2/staff/statistics"

    /// `PUT` one record.
    public static func statistic(_ id: StatisticID) -> String { statistics + "/" + id.text }

    /// `GET` a page of records after `after`.
    public static func statistics(after: StatisticID?, limit: Int) -> String {
        statistics + "?limit=\(limit)" + (after.map { "&after=\($0.text)" } ?? "")
    }

    /// The most records per page, and the default.
    public static let maximumStatisticsPage = 1000
    public static let defaultStatisticsPage = 500
}

/// `PUT /api/v2/staff/statistics/{id}`: the month of the case's first report and the
/// sealed record (envelope kind 7).
public struct StatisticUpload: Codable, Sendable, Equatable {
    public let month: Month
    public let envelope: Base64URLBytes

    public init(month: Month, envelope: Base64URLBytes) {
        self.month = month
        self.envelope = envelope
    }
}

/// The answer to a stored record: 201 when new, 200 when it replaced one.
public struct StatisticStored: Codable, Sendable, Equatable {
    public let id: StatisticID
    public let month: Month

    public init(id: StatisticID, month: Month) {
        self.id = id
        self.month = month
    }
}

/// One record as the daemon serves it.
public struct SealedStatistic: Codable, Sendable, Equatable {
    public let id: StatisticID
    public let month: Month
    public let envelope: Base64URLBytes

    public init(id: StatisticID, month: Month, envelope: Base64URLBytes) {
        self.id = id
        self.month = month
        self.envelope = envelope
    }

    public init(_ stored: StoredStatistic) {
        self.init(id: stored.id, month: stored.month, envelope: Base64URLBytes(stored.envelope))
    }
}

/// `GET /api/v2/staff/statistics`: a page of records in the order of their random ids;
/// `next` is the last id of the page (null when the page is empty).
public struct StatisticPage: Codable, Sendable, Equatable {
    public let statistics: [SealedStatistic]
    public let next: StatisticID?

    public init(statistics: [SealedStatistic], next: StatisticID?) {
        self.statistics = statistics
        self.next = next
    }

    enum CodingKeys: String, CodingKey { case statistics, next }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(statistics, forKey: .statistics)
        try c.encode(next, forKey: .next)
    }
}
