// Member ids and roles on case actions (docs/PROTOCOL.md §9.5, §12.3; TEAM.md §5): with a
// team roster, audit entries and deletion requests name the roster member id (the key id
// of her X25519 key), confirming a deletion takes a lead (403 `role_required`, nothing
// deleted), and every stored roster entry is an audit entry `roster:<seq>` by its signer.
// Without a roster (staff.keys only) nothing changes: key ids, no roles.
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

@Suite struct StaffRoleTests {
    let lena = MemberSecretKey.generate()   // first lead (staff.leads)
    let anna = MemberSecretKey.generate()   // counsellor
    let ben = MemberSecretKey.generate()    // second lead

    /// A daemon with Lena as first lead, Anna added as counsellor and Ben as lead (entries 1, 2).
    func teamDaemon() async throws -> TestDaemon {
        let t = try TestDaemon(configure: { $0.staffLeads = [RosterLead(label: "Lena", key: lena.publicKey)] })
        try await t.staffApp.test(.router) { client in
            var roster = try RosterVerifier(leads: [("Lena", lena.publicKey)])
            for (label, key, role) in [("Anna", anna, RosterRole.counsellor), ("Ben", ben, .lead)] {
                let entry = RosterVerifier.sign(RosterEntry(
                    seq: roster.head.seq + 1, prev: roster.head.hash, day: .today(), action: .add,
                    member: RosterMemberField(label: label, key: key.publicKey, role: role), epoch: nil,
                    signer: lena.publicKey.memberID, signature: []), with: lena)
                try roster.apply(entry)
                let body = Array(try APICoding.encoder().encode(RosterAppendRequest(entry: entry)))
                let response = try await send(t, client, "POST", StaffPath.roster, body: body, key: lena.signingKey)
                #expect(response.status == .created)
            }
        }
        return t
    }

    func send(_ t: TestDaemon, _ client: some TestClientProtocol, _ method: String, _ path: String, body: [UInt8] = [],
              key: SigningSecretKey) async throws -> TestResponse {
        var headers = t.signedHeaders(method: method, path: path, body: body, key: key)
        if !body.isEmpty { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: HTTPRequest.Method(method)!, headers: headers,
                                        body: body.isEmpty ? nil : ByteBuffer(bytes: body))
    }

    func submit(_ t: TestDaemon) async throws -> CaseReference {
        let text = try await t.publicApp.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(),
                                                    body: ByteBuffer(string: #"{"text":"x"}"#))
            #expect(response.status == .created)
            return try response.json()["case"] as? String
        }
        return try CaseReference(parsing: try #require(text))
    }

    func code(_ response: TestResponse) throws -> String? {
        (try response.json()["error"] as? [String: Any])?["code"] as? String
    }

    @Test func aCounsellorsConfirmation_is403RoleRequired_andDeletesNothing_aLeadsDeletes() async throws {
        let t = try await teamDaemon()
        defer { t.remove() }
        let reference = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let asked = try await send(t, client, "POST", StaffPath.deletionRequest(reference), key: anna.signingKey)
            #expect(asked.status == .created)
            #expect(try asked.json()["requested_by"] as? String == anna.publicKey.memberID.hex)
            // Ben's own request would be refused as his; here Anna asked, and Anna is no lead.
            let refused = try await send(t, client, "POST", StaffPath.deletionConfirm(reference), key: anna.signingKey)
            #expect(refused.status == .forbidden)
            #expect(try code(refused) == "role_required")
            #expect(try await t.daemon.database.caseRecord(reference: reference) != nil)
            let confirmed = try await send(t, client, "POST", StaffPath.deletionConfirm(reference), key: ben.signingKey)
            #expect(confirmed.status == .noContent)
        }
        #expect(try await t.daemon.database.caseRecord(reference: reference) == nil)
        let steps = try await t.daemon.database.auditEntries().filter { $0.caseReference == reference }
        #expect(Set(steps.map { "\($0.action.text) \($0.member?.hex ?? "")" })
            == ["delete-request \(anna.publicKey.memberID.hex)", "delete-confirm \(ben.publicKey.memberID.hex)"])
    }

    @Test func aCounsellorIsRefused403_evenWithoutARequest_andALeadCannotConfirmHerOwn() async throws {
        let t = try await teamDaemon()
        defer { t.remove() }
        let reference = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let none = try await send(t, client, "POST", StaffPath.deletionConfirm(reference), key: anna.signingKey)
            #expect(none.status == .forbidden)
            #expect(try code(none) == "role_required")
            #expect(try await send(t, client, "POST", StaffPath.deletionRequest(reference), key: ben.signingKey).status == .created)
            let own = try await send(t, client, "POST", StaffPath.deletionConfirm(reference), key: ben.signingKey)
            #expect(own.status == .conflict)
            #expect(try code(own) == "own_deletion_request")
            // A staff.keys key beside the roster has no role: it may not confirm either.
            let legacy = try await send(t, client, "POST", StaffPath.deletionConfirm(reference), key: t.staff)
            #expect(legacy.status == .forbidden)
            #expect(try code(legacy) == "role_required")
            // An unknown case stays 404 for a counsellor too.
            let unknown = try await send(t, client, "POST", StaffPath.deletionConfirm(.generate()), key: anna.signingKey)
            #expect(unknown.status == .notFound)
        }
        #expect(try await t.daemon.database.caseRecord(reference: reference) != nil)
        #expect(try await t.daemon.database.auditEntries().filter { $0.action == .deleteConfirm }.isEmpty)
    }

    @Test func counsellorsKeepCaseWork_statusAndRetention_auditedByMemberID() async throws {
        let t = try await teamDaemon()
        defer { t.remove() }
        let reference = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let status = Array(try APICoding.encoder().encode(StatusRequest(status: .inProgress)))
            #expect(try await send(t, client, "POST", StaffPath.status(reference), body: status, key: anna.signingKey).status == .ok)
            let retain = Array(try APICoding.encoder().encode(RetainRequest(until: Day.today().adding(days: 30))))
            #expect(try await send(t, client, "POST", StaffPath.retention(reference), body: retain, key: anna.signingKey).status == .ok)
            #expect(try await send(t, client, "GET", StaffPath.items(from: nil, after: nil, limit: 10), key: anna.signingKey).status == .ok)
            #expect(try await send(t, client, "GET", StaffPath.cases, key: t.staff).status == .ok)
            #expect(try await send(t, client, "GET", StaffPath.items(from: nil, after: nil, limit: 10), key: t.staff).status == .ok)
        }
        let chain = try await t.daemon.database.auditEntries()
        let annaID = anna.publicKey.memberID
        #expect(chain.first { $0.action == .status(.inProgress) }?.member == annaID)
        #expect(chain.first { if case .retain = $0.action { true } else { false } }?.member == annaID)
        // A member's sync is recorded by her member id, never by her signing key's id.
        let syncs = chain.filter { $0.action == .sync }.compactMap(\.member)
        #expect(Set(syncs) == [annaID, t.staff.publicKey.keyID])
        #expect(!chain.contains { $0.member == anna.signingKey.publicKey.keyID })
    }

    @Test func rosterEntries_areAuditEntriesByTheSigningLead_andRefusedOnesAreNot() async throws {
        let t = try await teamDaemon()
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            // A counsellor's entry is refused (403) and not audited.
            var roster = try RosterVerifier(leads: [("Lena", lena.publicKey)])
            for entry in try t.daemon.database.rosterEntries() { try roster.apply(entry) }
            let entry = RosterVerifier.sign(RosterEntry(
                seq: roster.head.seq + 1, prev: roster.head.hash, day: .today(), action: .add,
                member: RosterMemberField(label: "Mira", key: MemberSecretKey.generate().publicKey, role: .counsellor),
                epoch: nil, signer: lena.publicKey.memberID, signature: []), with: lena)
            let body = Array(try APICoding.encoder().encode(RosterAppendRequest(entry: entry)))
            #expect(try await send(t, client, "POST", StaffPath.roster, body: body, key: anna.signingKey).status == .forbidden)
        }
        let chain = try await t.daemon.database.auditEntries()
        let roster = chain.filter { if case .roster = $0.action { true } else { false } }
        #expect(Set(roster.map(\.action.text)) == ["roster:1", "roster:2"])
        #expect(roster.allSatisfy { $0.member == lena.publicKey.memberID && $0.caseReference == nil && $0.request.count == 32 })
        #expect(AuditChainVerifier.firstBreak(chain) == nil)
    }

    @Test func withoutARoster_aSecondStaffKeyConfirms_andEntriesNameKeyIDs() async throws {
        let other = SigningSecretKey.generate()
        let t = try TestDaemon(configure: { $0.staffKeys.append(other.publicKey) })
        defer { t.remove() }
        let reference = try await submit(t)
        try await t.staffApp.test(.router) { client in
            let asked = try await send(t, client, "POST", StaffPath.deletionRequest(reference), key: t.staff)
            #expect(asked.status == .created)
            let confirmed = try await send(t, client, "POST", StaffPath.deletionConfirm(reference), key: other)
            #expect(confirmed.status == .noContent)
        }
        let steps = try await t.daemon.database.auditEntries()
        #expect(Set(steps.map { "\($0.action.text) \($0.member?.hex ?? "")" })
            == ["delete-request \(t.staff.publicKey.keyID.hex)", "delete-confirm \(other.publicKey.keyID.hex)"])
    }
}
