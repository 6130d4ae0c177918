import Foundation
import SealboxAPI
import SealboxCore
import Testing

/// The staff API's bodies decode only when every value parses, and encode as docs/openapi.yaml says.
@Suite struct StaffAPIContractTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try APICoding.decode(T.self, from: Array(json.utf8))
    }

    func encode(_ value: some Encodable) throws -> String {
        String(decoding: try APICoding.encoder().encode(value), as: UTF8.self)
    }

    @Test func aPage_isDecodedWithBase64URLEnvelopesAndTypedValues() throws {
        let id = ItemID.generate()
        let attachment = AttachmentID.generate()
        let json = """
            {"items": [{"id": "\(id)", "case": "7kqm3xwp", "kind": "report", "day": "2026-11-24",
              "position": 3, "envelope": "-_8B", "attachments": [{"id": "\(attachment)", "size": 99}]}],
             "next": "\(id)"}
            """
        let page = try decode(ItemPage.self, json)
        #expect(page.next == id)
        #expect(page.items.first?.case == (try CaseReference(parsing: "7KQM-3XWP")))
        #expect(page.items.first?.position == 3)
        #expect(page.items.first?.envelope?.bytes == [0xFB, 0xFF, 0x01])
        #expect(page.items.first?.attachments == [AttachmentReference(id: attachment, size: 99)])
    }

    @Test func anEmptyPage_hasNoItemsAndANullNext() throws {
        let page = try decode(ItemPage.self, #"{"items": [], "next": null}"#)
        #expect(page.items.isEmpty && page.next == nil)
        #expect(try encode(page) == #"{"items":[],"next":null}"#)
    }

    @Test func aStatusItem_isReadWithoutAnEnvelope() throws {
        let id = ItemID.generate()
        let page = try decode(ItemPage.self, #"{"items":[{"id":"\#(id)","case":"7KQM-3XWP","kind":"status","day":"2026-11-26","position":2,"envelope":null,"status":"in-progress","attachments":[]}],"next":"\#(id)"}"#)
        #expect(page.items.first?.status == .inProgress && page.items.first?.envelope == nil)
        #expect(try encode(page.items[0]).contains(#""envelope":null"#))
        #expect(try encode(page.items[0]).contains(#""position":2"#))
    }

    @Test(arguments: [
        #"{"items": [{"id": "1", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 1, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "0000-0000", "kind": "report", "day": "2026-11-24", "position": 1, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "memo", "day": "2026-11-24", "position": 1, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-13-24", "position": 1, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 1, "envelope": "AA=="}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 1, "envelope": null}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "status", "day": "2026-11-24", "position": 1, "envelope": null, "status": "done"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 1, "envelope": "AA", "attachments": [{"id": "00000000000000000000000000000000", "size": -1}]}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 0, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": -3, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 4294967296, "envelope": "AA"}], "next": null}"#,
        #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": "1", "envelope": "AA"}], "next": null}"#,
        #"<html>not json</html>"#,
    ])
    func aPageWithSomethingUnexpected_isRefused(json: String) {
        #expect(throws: (any Error).self) { try decode(ItemPage.self, json) }
    }

    @Test func theRefusedPages_differFromAGoodOneOnlyInWhatTheyTest() throws {
        let good = #"{"items": [{"id": "00000000000000000000000000000000", "case": "7KQM-3XWP", "kind": "report", "day": "2026-11-24", "position": 1, "envelope": "AA"}], "next": null}"#
        #expect(try decode(ItemPage.self, good).items.first?.position == 1)
    }

    @Test func theItemsPath_carriesFromAndAfter() throws {
        let id = ItemID.generate()
        #expect(StaffPath.items(after: nil, limit: 100) == "/api/v1/staff/items?limit=100")
        #expect(StaffPath.items(from: Day("2026-11-23")!, after: id, limit: 5)
                == "/api/v1/staff/items?limit=5&from=2026-11-23&after=\(id)")
    }

    @Test func aReplyCreated_needsAnItemIDADayAndAKnownStatus() throws {
        let id = ItemID.generate()
        let good = try decode(ReplyCreated.self, #"{"id":"\#(id)","case":"7KQM-3XWP","day":"2026-11-25","status":"acknowledged","position":2}"#)
        #expect(good == ReplyCreated(id: id, case: try CaseReference(parsing: "7KQM-3XWP"), day: Day("2026-11-25")!,
                                     status: .acknowledged, position: 2))
        #expect(throws: (any Error).self) { try decode(ReplyCreated.self, #"{"id":"1","case":"7KQM-3XWP","day":"2026-11-25","status":"acknowledged","position":2}"#) }
        #expect(throws: (any Error).self) { try decode(ReplyCreated.self, #"{"id":"\#(id)","case":"7KQM-3XWP","day":"2026-11-25","status":"done","position":2}"#) }
    }

    @Test func theCaseList_alwaysCarriesAcknowledged() throws {
        let list = CaseList(cases: [CaseSummary(case: try CaseReference(parsing: "7KQM-3XWP"), status: .received,
                                                received: Day("2026-11-24")!, acknowledged: nil, updated: Day("2026-11-24")!)])
        #expect(try encode(list) == #"{"cases":[{"acknowledged":null,"case":"7KQM-3XWP","deletion":null,"expires":null,"received":"2026-11-24","retained_until":null,"status":"received","updated":"2026-11-24"}]}"#)
        // A server before retention sends none of the new fields: still read.
        let old = #"{"cases":[{"acknowledged":null,"case":"7KQM-3XWP","received":"2026-11-24","status":"received","updated":"2026-11-24"}]}"#
        #expect(try decode(CaseList.self, old) == list)
        #expect(try decode(CaseList.self, try encode(list)) == list)
    }

    @Test func anAuditEntry_carriesItsMemberRequestAndLinks_andTheDaemonsOwnHasNulls() throws {
        let h = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE", z = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        let json = #"{"entries":[{"action":"status:closed","case":"7KQM-3XWP","day":"2026-11-25","hash":"\#(h)","id":"0123456789abcdef0123456789abcdef","member":"0123456789abcdef","prev":"\#(z)","request":"\#(h)"},"#
            + #"{"action":"retention-delete","case":"7KQM-3XWP","day":"2026-11-26","hash":"\#(h)","id":"00000000000000000000000000000000","member":null,"prev":"\#(h)","request":""},"#
            + #"{"action":"sync","case":null,"day":"2026-11-26","hash":"\#(h)","id":"10000000000000000000000000000000","member":"0123456789abcdef","prev":"\#(h)","request":"\#(h)"}]}"#
        let log = try decode(AuditLog.self, json)
        #expect(log.entries.map(\.action) == [.status(.closed), .retentionDelete, .sync])
        #expect(log.entries[1].member == nil && log.entries[2].case == nil && log.entries[1].request.bytes.isEmpty)
        #expect(try encode(log) == json)
        #expect(log.entries[0].entry.request == [UInt8](repeating: 1, count: 32))
        #expect(throws: (any Error).self) { try decode(AuditLog.self, json.replacingOccurrences(of: "closed", with: "gone")) }
        #expect(throws: (any Error).self) { try decode(AuditLog.self, json.replacingOccurrences(of: "retention-delete", with: "retain:2026-02-30")) }
    }

    @Test func anErrorBody_carriesAMachineCode() throws {
        let body = try decode(APIErrorBody.self, #"{"error":{"code":"unknown_cursor","message":"Die Anfrage ist fehlerhaft."}}"#)
        #expect(body.error.code == "unknown_cursor" && body.error.fields == nil)
    }
}
