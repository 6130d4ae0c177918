// `sealbox sync`: fetches new sealed items and their attachment blobs over the
// signed staff API into the local store, still sealed. Each page of items is
// committed with the cursor after it, and each blob on its own, so a sync that was
// interrupted resumes where it stopped. Nothing is decrypted here.
import ArgumentParser
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Fetch new reports from the server into the local store.",
        discussion: """
            Reports stay sealed in the local store; `sealbox show` opens them. Needs your \
            staff key file and its passphrase. If a sync is interrupted, run it again: it \
            continues where it stopped.
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var passphrase: PassphraseOptions
    @OptionGroup var staffPassphrase: StaffPassphraseOptions

    /// Items asked for per request.
    static let pageSize = 100

    func run() async throws {
        let settings = try Settings.current()
        let serverURL = try settings.server(flag: server.server)
        let keyFile = try settings.requiredPath(.staffKey, flag: server.staffKey, for: "`sealbox sync`")
        let directory = settings.storeDirectory(flag: store.store)
        let key = try KeyFiles.openStaffKey(at: keyFile, settings: settings, passphraseFlag: passphrase.passphraseFile,
                                            staffPassphraseFlag: staffPassphrase.staffPassphraseFile)
        guard let local = try LocalStore.open(directory, create: true) else { return }
        let client = StaffClient(server: serverURL, key: key, keyFileName: keyFile.path)
        var sync = Synchroniser(client: client, store: local, progress: ProgressLine())
        let totals = try await sync.run()
        sync.progress.finish()
        for id in totals.unavailable {
            Terminal.warning("attachment \(id) is no longer on the server; it cannot be shown")
        }
        print("\(Terminal.count(totals.items, "new item")), \(Terminal.count(totals.attachments, "new attachment")).")
    }
}

/// The sync loop, separate from the command so that tests can drive it.
struct Synchroniser {
    struct Totals {
        var items = 0
        var attachments = 0
        var unavailable: [String] = []
    }

    let client: StaffClient
    let store: WorkstationStore
    let progress: ProgressLine
    var totals = Totals()

    init(client: StaffClient, store: WorkstationStore, progress: ProgressLine) {
        self.client = client
        self.store = store
        self.progress = progress
    }

    mutating func run() async throws(CLIError) -> Totals {
        show()
        try await fetchMissingBlobs()  // left over from an interrupted sync
        var cursor = try storeCall { try store.cursor }
        var fallbacks: [String]? = nil
        while true {
            var path = "/api/v1/staff/items?"
            if let cursor { path += "after=\(cursor)&" }
            path += "limit=\(SyncCommand.pageSize)"
            let answer = try await client.send(method: "GET", pathAndQuery: path)
            if answer.status == 400, let unknown = cursor {
                // The item this computer fetched last is gone: its case was deleted (here
                // or on another computer). Resume at an earlier item the server still has;
                // items fetched twice are stored once.
                if fallbacks == nil {
                    let earlier = try storeCall { try store.syncedItems(before: unknown, limit: 1 << 14) }
                    fallbacks = Self.fallbackCursors(earlier)
                }
                if let next = fallbacks?.first {
                    fallbacks?.removeFirst()
                    cursor = next
                    continue
                }
                throw CLIError(
                    "the server does not know the last report this computer fetched",
                    hint: "its database may have been replaced; ask the administrator. "
                        + "To fetch everything again, use a new, empty --store folder",
                    status: .server)
            }
            guard answer.status == 200 else { throw client.unexpected(answer.status) }
            fallbacks = nil
            let page = try ItemPage.decode(answer.body, server: client.serverText)
            if page.items.isEmpty { break }
            let next = page.next ?? page.items.last!.id
            let new = try storeCall { try store.insert(items: page.items, cursor: next) }
            totals.items += new.items
            cursor = next
            show()
            try await fetchMissingBlobs()
        }
        try await fetchCases()
        return totals
    }

    /// Earlier items to resume at, nearest first. A case is deleted as a whole, so only
    /// the latest item of each case is tried: the nearest 8 cases one by one, then ever
    /// further back (2, 4, 8, … cases), at most 16 requests in all.
    static func fallbackCursors(_ earlier: [(id: String, caseReference: String)]) -> [String] {
        var seen = Set<String>()
        let perCase = earlier.filter { seen.insert($0.caseReference).inserted }.map(\.id)
        var picked: [String] = []
        var index = 0
        var step = 1
        while index < perCase.count, picked.count < 16 {
            picked.append(perCase[index])
            if picked.count >= 8 { step *= 2 }
            index += step
        }
        return picked
    }

    /// The server's view of every case (status, days), stored for `list`. A server
    /// without the case list (before issue 3) answers 404: statuses then come from
    /// the status changes among the items.
    private mutating func fetchCases() async throws(CLIError) {
        let answer = try await client.send(method: "GET", pathAndQuery: "/api/v1/staff/cases")
        if answer.status == 404 { return }
        guard answer.status == 200 else { throw client.unexpected(answer.status) }
        let cases = try ServerCaseList.decode(answer.body, server: client.serverText)
        try storeCall { try store.replaceServerCases(cases) }
    }

    private mutating func fetchMissingBlobs() async throws(CLIError) {
        let missing = try storeCall { try store.missingAttachments() }
        for attachment in missing where !totals.unavailable.contains(attachment.id) {
            let answer = try await client.send(method: "GET", pathAndQuery: "/api/v1/staff/attachments/\(attachment.id)")
            if answer.status == 404 {
                totals.unavailable.append(attachment.id)
                continue
            }
            guard answer.status == 200 else { throw client.unexpected(answer.status) }
            guard answer.body.count == attachment.size else {
                throw CLIError("an attachment arrived incomplete (\(answer.body.count) of \(attachment.size) bytes)",
                               hint: "run `sealbox sync` again", status: .server)
            }
            try storeCall { try store.storeBlob(id: attachment.id, data: Array(answer.body)) }
            totals.attachments += 1
            show()
        }
    }

    private func show() {
        progress.update("Fetching… \(Terminal.count(totals.items, "item")), \(Terminal.count(totals.attachments, "attachment"))")
    }

    @discardableResult
    private func storeCall<T>(_ body: () throws -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError("cannot write to the local store (\(error))",
                           hint: "check the free disk space and the permissions of the store folder")
        }
    }
}

/// One page of `GET /api/v1/staff/items`, checked before anything is stored.
struct ItemPage {
    let items: [SyncedItem]
    let next: String?

    private struct Wire: Decodable {
        struct Item: Decodable {
            let id: String
            let `case`: String
            let kind: String
            let day: String
            let envelope: String?
            let attachments: [Attachment]?
            let status: String?
        }
        struct Attachment: Decodable {
            let id: String
            let size: Int
        }
        let items: [Item]
        let next: String?
    }

    static func decode(_ data: Data, server: String) throws(CLIError) -> ItemPage {
        let unreadable = CLIError("the server at \(server) sent a list of reports that sealbox cannot read",
                                  hint: "check that --server names the staff address of sealboxd, and that sealbox is up to date",
                                  status: .server)
        guard let wire = try? JSONDecoder().decode(Wire.self, from: data) else { throw unreadable }
        var items: [SyncedItem] = []
        for item in wire.items {
            if item.kind == SyncedItem.statusKind {
                // A status change: no envelope, no attachments (PROTOCOL §9.3).
                guard Random.isIdentifier(item.id),
                      let reference = try? CaseReference(parsing: item.case),
                      Day(item.day) != nil,
                      item.envelope == nil, item.attachments?.isEmpty ?? true,
                      let status = item.status, CaseStatus(rawValue: status) != nil
                else { throw unreadable }
                items.append(SyncedItem(statusChange: item.id, caseReference: reference.text, day: item.day,
                                        status: status))
                continue
            }
            guard Random.isIdentifier(item.id),
                  let reference = try? CaseReference(parsing: item.case),
                  EnvelopeKind(name: item.kind) != nil,
                  Day(item.day) != nil,
                  let envelope = item.envelope.flatMap(Base64.decode)
            else { throw unreadable }
            let attachments = item.attachments ?? []
            guard attachments.allSatisfy({ Random.isIdentifier($0.id) && $0.size >= 0 }) else { throw unreadable }
            items.append(SyncedItem(id: item.id, caseReference: reference.text, kind: item.kind, day: item.day,
                                    envelope: envelope,
                                    attachments: attachments.map { SyncedAttachment(id: $0.id, size: $0.size) }))
        }
        if let next = wire.next, !Random.isIdentifier(next) { throw unreadable }
        return ItemPage(items: items, next: wire.next)
    }
}

/// Standard base64 (what the staff API uses for envelopes), also accepting base64url.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}

/// `GET /api/v1/staff/cases`, checked before anything is stored.
enum ServerCaseList {
    private struct Wire: Decodable {
        struct Case: Decodable {
            let `case`: String
            let status: String
            let received: String
            let acknowledged: String?
            let updated: String
        }
        let cases: [Case]
    }

    static func decode(_ data: Data, server: String) throws(CLIError) -> [ServerCase] {
        let unreadable = CLIError("the server at \(server) sent a list of cases that sealbox cannot read",
                                  hint: "check that sealbox is up to date", status: .server)
        guard let wire = try? JSONDecoder().decode(Wire.self, from: data) else { throw unreadable }
        var cases: [ServerCase] = []
        for record in wire.cases {
            guard let reference = try? CaseReference(parsing: record.case),
                  let status = CaseStatus(rawValue: record.status),
                  Day(record.received) != nil, Day(record.updated) != nil,
                  record.acknowledged.map({ Day($0) != nil }) ?? true
            else { throw unreadable }
            cases.append(ServerCase(reference: reference.text, status: status, received: record.received,
                                    acknowledged: record.acknowledged, updated: record.updated))
        }
        return cases
    }
}
