// Statistic records on the staff API (docs/PROTOCOL.md §3.5, §12.8): stored and replaced
// under their random id, served in pages, refused when the daemon can tell they are not
// a sealed statistic for the team (422, nothing stored) or not JSON (400), and kept when
// the case they were coded from is deleted, with nothing in the table naming a case.
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxAPI
import SealboxCore
import SealboxCrypto
@testable import SealboxServer
import Testing

@Suite struct StaffStatisticsTests {
    func record(_ t: TestDaemon, month: String = "2026-11", kind: EnvelopeKind = .statistic,
                to recipients: [BoxPublicKey]? = nil, padding: Int = 0) throws -> [UInt8] {
        var record = StatisticRecord(month: try Month(parsing: month), scheme: "advd-dezim-ads-2026", grounds: ["racism"],
                                     area: "housing", form: nil, level: "institutional", interventions: ["counselling"],
                                     outcome: nil)
        try record.sign(with: t.staff)
        var plaintext = try record.encoded()
        if padding > 0 { plaintext += [UInt8](repeating: 0x20, count: padding) }
        return try Envelope.seal(plaintext, kind: kind, to: recipients ?? [t.team.publicKey])
    }

    func body(month: String, envelope: [UInt8]) -> [UInt8] {
        Array(#"{"month":"\#(month)","envelope":"\#(Base64URL.encode(envelope))"}"#.utf8)
    }

    func put(_ t: TestDaemon, _ client: some TestClientProtocol, id: String, _ body: [UInt8]) async throws -> TestResponse {
        let path = "/api/v2/staff/statistics/\(id)"
        var headers = t.signedHeaders(method: "PUT", path: path, body: body)
        headers[.contentType] = "application/json"
        return try await client.execute(uri: path, method: .put, headers: headers, body: ByteBuffer(bytes: body))
    }

    func get(_ t: TestDaemon, _ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: t.signedHeaders(method: "GET", path: path))
    }

    @Test func aRecord_isStoredThenReplacedUnderItsID_andServedInPages() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let ids = (0..<3).map { _ in StatisticID.generate() }
        try await t.staffApp.test(.router) { client in
            for id in ids {
                let created = try await put(t, client, id: id.text, body(month: "2026-11", envelope: try record(t)))
                #expect(created.status == .created)
            }
            let replaced = try await put(t, client, id: ids[0].text, body(month: "2026-10", envelope: try record(t, month: "2026-10")))
            #expect(replaced.status == .ok)
            #expect(try replaced.json()["month"] as? String == "2026-10")
            let first = try await get(t, client, StaffPath.statistics(after: nil, limit: 2))
            #expect(first.status == .ok)
            let page = try APICoding.decode(StatisticPage.self, from: Array(first.body.readableBytesView))
            #expect(page.statistics.count == 2)
            let rest = try await get(t, client, StaffPath.statistics(after: page.next, limit: 2))
            let second = try APICoding.decode(StatisticPage.self, from: Array(rest.body.readableBytesView))
            #expect(Set((page.statistics + second.statistics).map(\.id)) == Set(ids))
            #expect((page.statistics + second.statistics).first { $0.id == ids[0] }?.month.text == "2026-10")
            let opened = try Envelope.open(second.statistics[0].envelope.bytes, with: t.team)
            #expect(opened.kind == .statistic)
            #expect(try StatisticRecord.decode(opened.plaintext).verifiedSigner() == t.staff.publicKey)
        }
    }

    @Test(arguments: ["kind", "reporter", "other", "long", "month", "garbage"])
    func aRecordTheDaemonCanTellIsWrong_is422_andNothingIsStored(_ flaw: String) async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let reporter = BoxSecretKey.generate().publicKey
        let envelope: [UInt8] = switch flaw {
        case "kind": try record(t, kind: .coding)
        case "reporter": try record(t, to: [t.team.publicKey, reporter])
        case "other": try record(t, to: [BoxSecretKey.generate().publicKey])
        case "long": try record(t, padding: 3000)
        case "garbage": Random.bytes(2200)
        default: try record(t)
        }
        let month = flaw == "month" ? "2026-13" : "2026-11"
        try await t.staffApp.test(.router) { client in
            let answer = try await put(t, client, id: StatisticID.generate().text, body(month: month, envelope: envelope))
            #expect(answer.status == .unprocessableContent)
        }
        #expect(try await t.daemon.database.statistics(after: nil, limit: 10).isEmpty)
    }

    @Test func aBodyThatIsNotJSON_is400_aBadID_is404_aBadPage_is400() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            statuses.append(try await put(t, client, id: StatisticID.generate().text, Array("{not json".utf8)).status)
            statuses.append(try await put(t, client, id: StatisticID.generate().text, Array(#"{"month":"2026-11"}"#.utf8)).status)
            statuses.append(try await put(t, client, id: "7KQM-3XWP", body(month: "2026-11", envelope: try record(t))).status)
            statuses.append(try await get(t, client, StaffPath.statistics + "?limit=0").status)
            statuses.append(try await get(t, client, StaffPath.statistics + "?limit=1001").status)
            statuses.append(try await get(t, client, StaffPath.statistics + "?after=xyz").status)
            #expect(statuses == [.badRequest, .badRequest, .notFound, .badRequest, .badRequest, .badRequest])
        }
        #expect(try await t.daemon.database.statistics(after: nil, limit: 10).isEmpty)
    }

    @Test func anUnsignedRequest_is401() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            let answer = try await client.execute(uri: StaffPath.statistics, method: .get, headers: HTTPFields())
            #expect(answer.status == .unauthorized)
        }
    }

    @Test func records_stayWhenCasesAreDeleted() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        let reference = CaseReference.generate()
        try await t.daemon.database.insert(NewCase(reference: reference, lookupHash: Random.bytes(32),
                                                   cost: try KDFCost(opslimit: 1, memlimit: 8192),
                                                   reporterKey: BoxSecretKey.generate().publicKey, day: .today(),
                                                   itemID: .generate(), envelope: Random.bytes(1200), blobs: []))
        let id = StatisticID.generate()
        try await t.daemon.database.putStatistic(StoredStatistic(id: id, month: Month(.today()), envelope: try record(t)))
        try await t.daemon.database.deleteCase(reference, day: .today(), staffKeyID: t.staff.publicKey.keyID)
        #expect(try await t.daemon.database.caseRecord(reference: reference) == nil)
        #expect(try await t.daemon.database.statistics(after: nil, limit: 10).map(\.id) == [id])
    }
}
