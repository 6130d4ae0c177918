// The desk's composer part over the workstation: the reply templates (shipped, with the
// office's `reply_templates` folder over them) and attachments opened in memory. An
// attachment's sealed blob comes from the local store, or, when sync has not fetched it
// yet, from the server (the request `sealbox sync` makes), kept in memory only; it is
// opened by AttachmentOpening, the code of `sealbox show --attachments`. The case page
// lists each attachment's sniffed kind, so the attachments whose blobs are stored are
// opened once per page view and dropped at once.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxDesk
import SealboxWorkstation

extension DeskWorkstation {
    func replyTemplates() throws(DeskFailure) -> ReplyTemplates {
        do {
            return try settings.replyTemplates()
        } catch {
            throw DeskFailure(.other, detail: error.message)
        }
    }

    func attachment(_ reference: CaseReference, id: AttachmentID, keys: any DeskKeys) async throws(DeskFailure)
        -> DeskAttachmentContent
    {
        guard let keys = keys as? DeskWorkstationKeys else { throw DeskFailure(.other) }
        let opened = try keys.get()
        let local: WorkstationStore
        let manifest: AttachmentManifest
        do {
            guard let store = try LocalStore.open(directory, create: false) else { throw DeskFailure(.unknownCase) }
            local = store
            let items = try local.thread(case: reference)
            guard !items.isEmpty else { throw DeskFailure(.unknownCase) }
            var found: AttachmentManifest?
            for item in items where item.kind == .report || item.kind == .followUp {
                if case .opened(_, let content) = CaseOpener.open(item, filedUnder: reference, with: opened.keyring),
                   let match = content.attachments.first(where: { $0.id == id }) {
                    found = match
                    break
                }
            }
            guard let found else { throw DeskFailure(.attachmentUnknown) }
            manifest = found
        } catch let failure as DeskFailure {
            throw failure
        } catch {
            throw Self.failure(error)
        }
        let blob: [UInt8]
        if let stored = try? local.blob(id: id) {
            blob = stored
        } else {
            // The sealed size the server announced (the manifest names the plaintext's).
            guard let announced = (try? local.missingAttachments())?.first(where: { $0.id == id }) else {
                throw DeskFailure(.attachmentUnknown, detail: "the server never announced it")
            }
            blob = try await fetchBlob(id, size: announced.size, signing: opened.signing)
        }
        do {
            return DeskAttachmentContent(name: manifest.name,
                                         bytes: try AttachmentOpening.open(blob, manifest: manifest, keyring: opened.keyring))
        } catch .notSealedToThisKey {
            throw DeskFailure(.attachmentDamaged, detail: "it was sealed to a different team key")
        } catch {
            throw DeskFailure(.attachmentDamaged)
        }
    }

    /// The sealed blob from the server, in memory (as `sealbox sync` fetches it).
    private func fetchBlob(_ id: AttachmentID, size: Int, signing: SigningSecretKey) async throws(DeskFailure) -> [UInt8] {
        do {
            let server = try settings.server(flag: nil)
            let file = try settings.requiredPath(.staffKey, flag: nil, for: "`sealbox desk`")
            let trust = try settings.serverTrust(for: server, caFileFlag: nil, pinFlag: nil)
            let client = StaffClient(server: server, key: signing, keyFileName: file.path, trust: trust)
            let answer = try await client.send(method: "GET", pathAndQuery: StaffPath.attachment(id), limit: size)
            if answer.status == 404 { throw DeskFailure(.attachmentUnknown, detail: "it is no longer on the server") }
            guard answer.status == 200 else { throw client.unexpected(answer.status) }
            guard answer.body.count == size else {
                throw CLIError("the attachment arrived incomplete", status: .server)
            }
            return Array(answer.body)
        } catch let failure as DeskFailure {
            throw failure
        } catch {
            throw Self.failure(error)
        }
    }

    /// The item with its reporter's language and its attachments' sniffed kinds (those
    /// whose blobs are in the store; the plaintext is dropped at once).
    static func withAttachments(_ shown: DeskThreadItem, _ content: ReportContent, store: WorkstationStore,
                                keyring: TeamKeyring) -> DeskThreadItem {
        var item = shown
        item.language = content.lang?.text
        item.attachments = content.attachments.map { manifest in
            var kind: AttachmentKind?
            if let blob = try? store.blob(id: manifest.id),
               let plaintext = try? AttachmentOpening.open(blob, manifest: manifest, keyring: keyring) {
                kind = AttachmentKind.sniff(plaintext)
            }
            return DeskAttachment(id: manifest.id, name: manifest.name, size: manifest.size, kind: kind)
        }
        return item
    }
}
