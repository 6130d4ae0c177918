// Opening the sealed items of one case with the team key, in memory only. An item
// counts as opened only when its envelope authenticates, its plaintext parses, its
// `case` is the case it is filed under and its `type` is its envelope's kind (and
// the kind the server listed); anything else is reported as altered, damaged or
// malformed, and the other items are still shown. Who wrote an opened item is judged
// afterwards, over the whole case (SealboxCore's AuthorshipJudge, PROTOCOL §3.3).
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

/// What opening one stored item gave.
enum OpenedItem {
    case opened(StoredItem, ReportContent)
    /// Not sealed to our key; the key ids it was sealed to.
    case otherKey(StoredItem, [KeyID])
    /// Altered or damaged: failed authentication or the checks after it.
    case tampered(StoredItem)
    /// Sealed in a format version this sealbox does not read.
    case unsupported(StoredItem)
    /// Opened, but the plaintext is not a well-formed Sealbox item (PROTOCOL §3.2).
    case malformed(StoredItem)
    /// A status change: nothing sealed to open.
    case statusChange(StoredItem)

    var item: StoredItem {
        switch self {
        case .opened(let item, _), .otherKey(let item, _), .tampered(let item), .unsupported(let item),
             .malformed(let item), .statusChange(let item): item
        }
    }

    /// The message for an item that did not open, else nil.
    func problem(case reference: CaseReference) -> String? {
        switch self {
        case .opened, .statusChange: nil
        case .otherKey(let item, let ids):
            "item \(item.id) of case \(reference.text) was sealed to a different team key "
                + "(key id \(ids.map(\.hex).joined(separator: ", "))); use that key file"
        case .tampered(let item):
            "item \(item.id) of case \(reference.text) failed authentication: it was altered or damaged; do not trust it"
        case .unsupported(let item):
            "item \(item.id) of case \(reference.text) was sealed by a newer version of Sealbox; update sealbox"
        case .malformed(let item):
            "item \(item.id) of case \(reference.text) opened, but its content is not a well-formed Sealbox item "
                + "(not written by sealbox); it is not shown"
        }
    }
}

enum CaseOpener {
    /// Opens `item`, filed under `reference`, with `key`.
    static func open(_ item: StoredItem, filedUnder reference: CaseReference, with key: BoxSecretKey) -> OpenedItem {
        open(item, filedUnder: reference, with: TeamKeyring(keys: [key], member: nil))
    }

    /// Opens `item`, filed under `reference`, with the key of `keyring` it is sealed to.
    static func open(_ item: StoredItem, filedUnder reference: CaseReference, with keyring: TeamKeyring) -> OpenedItem {
        if item.isStatusChange { return .statusChange(item) }
        let ids = (try? Envelope.recipients(of: item.envelope).keyIDs) ?? []
        guard ids.isEmpty || ids.contains(where: keyring.keyIDs.contains) else {
            return .otherKey(item, ids)
        }
        let opened: (kind: EnvelopeKind, plaintext: [UInt8])
        do throws(CryptoError) {
            opened = try keyring.open(item.envelope)
        } catch .notSealedToThisKey {
            return .otherKey(item, (try? Envelope.recipients(of: item.envelope).keyIDs) ?? [])
        } catch .unsupportedVersion {
            return .unsupported(item)
        } catch {
            return .tampered(item)
        }
        let content: ReportContent
        do throws(CryptoError) {
            content = try ReportContent.decode(opened.plaintext)
        } catch .unsupportedVersion {
            return .unsupported(item)
        } catch {
            return .malformed(item)
        }
        guard content.case == reference, content.type == opened.kind, item.kind == ItemKind(opened.kind)
        else { return .tampered(item) }
        return .opened(item, content)
    }

    /// The key ids the items are sealed to, read without opening anything; nil
    /// when some item is sealed to `key` (or cannot be parsed).
    static func foreignKeyIDs(of items: [StoredItem], key: BoxPublicKey) -> [KeyID]? {
        foreignKeyIDs(of: items, keyIDs: [key.keyID])
    }

    /// As `foreignKeyIDs(of:key:)`, for any of `keyIDs`.
    static func foreignKeyIDs(of items: [StoredItem], keyIDs: Set<KeyID>) -> [KeyID]? {
        var ids: [KeyID] = []
        for item in items where !item.isStatusChange {
            guard let recipients = try? Envelope.recipients(of: item.envelope).keyIDs else { return nil }
            if recipients.contains(where: keyIDs.contains) { return nil }
            for id in recipients where !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
