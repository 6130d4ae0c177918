// The desk's one session (docs/design/DESK.md §3, §4): the one-time start secret, the
// cookie secret it is exchanged for (which also keys the form tokens), and the unlocked
// keys with the time of the last request. The keys are wiped on "Lock", after
// `desk.idle_lock` without a request, and when the desk stops; a locked desk keeps
// nothing decrypted (pages are built per request and never cached).
import Foundation
import SealboxCrypto

/// The state of the desk's single counsellor session.
public actor DeskSession {
    /// The start secret, until it is used once.
    private var startSecret: SecureBytes?
    /// The cookie secret, once the start address was opened.
    private(set) var cookieSecret: SecureBytes?
    private var keys: (any DeskKeys)?
    /// The port the desk listens on (0 until it listens).
    var port = 0
    private var lastUse: ContinuousClock.Instant
    /// How long the keys stay open without a request.
    public let idleLock: Duration
    private let clock = ContinuousClock()

    /// A session with a fresh 32-byte start secret.
    public init(idleLock: Duration) {
        startSecret = SecureBytes.random(count: 32)
        self.idleLock = idleLock
        lastUse = ContinuousClock().now
    }

    /// The start secret as it goes into the start address (printed once).
    public func startSecretText() -> String? {
        startSecret.map { secret in secret.withUnsafeBytes { Base64URL.encode(Array($0)) } }
    }

    /// Consumes the start secret: a new cookie secret when `given` is it (first use only), else nil.
    public func start(with given: String?) -> SecureBytes? {
        guard DeskDoor.matches(given, startSecret) else { return nil }
        startSecret = nil
        let secret = SecureBytes.random(count: 32)
        cookieSecret = secret
        return secret
    }

    /// Whether `cookie` is the session cookie, in constant time.
    public func admits(cookie: String?) -> Bool {
        DeskDoor.matches(cookie, cookieSecret)
    }

    /// The open keys, when unlocked and not idle for too long; counts as use. An idle
    /// session is locked here.
    public func useKeys() -> (any DeskKeys)? {
        let now = clock.now
        if keys != nil, now - lastUse > idleLock { lock() }
        guard let keys else { return nil }
        lastUse = now
        return keys
    }

    /// The open keys for background work, without counting as use; nil when locked.
    public func keysForBackgroundWork() -> (any DeskKeys)? {
        isUnlocked ? keys : nil
    }

    /// Holds the keys of a successful unlock.
    public func unlocked(_ new: any DeskKeys) {
        keys?.wipe()
        keys = new
        lastUse = clock.now
    }

    /// Wipes the keys.
    public func lock() {
        keys?.wipe()
        keys = nil
    }

    /// Whether keys are open (without counting as use); locks an idle session.
    public var isUnlocked: Bool {
        if keys != nil, clock.now - lastUse > idleLock { lock() }
        return keys != nil
    }
}
