// What one unlocked desk session keeps in memory (docs/design/DESK.md §6): the inbox
// rows until the store's change fingerprint or the day moves, and the search index.
// Owned by the session's keys (SealboxCLI's DeskWorkstationKeys), dropped when they are
// wiped; nothing of it is written anywhere.
import Foundation
import SealboxCore

/// The decrypted and derived data of one desk session, in memory only.
public final class DeskSessionMemory: @unchecked Sendable {
    public init() {}

    private let lock = NSLock()
    private var inbox: (fingerprint: String, today: Day, rows: [DeskCaseSummary])?
    private var index: (fingerprint: String, index: DeskSearchIndex)?
    private var building = false
    private var rebuilding = false
    private var lastCheck: ContinuousClock.Instant?
    private let clock = ContinuousClock()
    public private(set) var dropped = false

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// The cached inbox rows when built for `fingerprint` on `today`.
    public func inboxRows(fingerprint: String, today: Day) -> [DeskCaseSummary]? {
        locked {
            guard let inbox, inbox.fingerprint == fingerprint, inbox.today == today else { return nil }
            return inbox.rows
        }
    }

    public func keep(inbox rows: [DeskCaseSummary], fingerprint: String, today: Day) {
        locked {
            guard !dropped else { return }
            inbox = (fingerprint, today, rows)
        }
    }

    /// After the case page marked `reference` read: the store's fingerprint moved from `old`
    /// to `new` by the read marks alone, so the caches built for `old` stay right (the
    /// row loses its unread mark) and are kept under `new`, instead of being rebuilt.
    public func markedRead(_ reference: CaseReference, from old: String, to new: String) {
        locked {
            guard !dropped, old != new else { return }
            if var kept = inbox, kept.fingerprint == old {
                if let i = kept.rows.firstIndex(where: { $0.reference == reference }) { kept.rows[i].unread = false }
                kept.fingerprint = new
                inbox = kept
            }
            if let kept = index, kept.fingerprint == old { index = (new, kept.index) }
        }
    }

    /// Forgets the inbox rows (after the desk sent something itself).
    public func invalidate() {
        locked {
            inbox = nil
            lastCheck = nil
        }
    }

    /// The current index and the fingerprint it was built for.
    public var searchIndex: (fingerprint: String, index: DeskSearchIndex)? { locked { index } }

    /// Claims the one build; false when one runs or the memory was dropped.
    public func beginBuild() -> Bool {
        locked {
            guard !building, !dropped else { return false }
            building = true
            return true
        }
    }

    /// The store changed since the current index was built: a new one is being made.
    public func markRebuilding() {
        locked { rebuilding = true }
    }

    public func finishBuild(_ built: DeskSearchIndex?, fingerprint: String) {
        locked {
            building = false
            rebuilding = false
            if let built, !dropped { index = (fingerprint, built) }
        }
    }

    /// Whether a new index is being built while an older one answers.
    public var isRebuilding: Bool { locked { rebuilding } }

    /// Whether the fingerprint is due for a check (at most every `interval`).
    public func shouldCheck(every interval: Duration) -> Bool {
        locked {
            let now = clock.now
            if let lastCheck, now - lastCheck < interval { return false }
            lastCheck = now
            return true
        }
    }

    /// Drops everything (the keys are being wiped).
    public func drop() {
        locked {
            dropped = true
            inbox = nil
            index = nil
        }
    }
}
