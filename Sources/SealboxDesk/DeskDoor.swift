// The desk's door (docs/design/DESK.md §4): the checks every request passes before any
// page is built, as pure functions so that unit tests reach each one.
//  - Host must be the desk's own loopback address with its port (DNS rebinding → 421);
//  - a state-changing request must come from the desk's own origin (Origin, else Referer);
//  - every POST form carries a token MAC(session secret, "sealbox/desk/form" ‖ path);
//  - secrets (start secret, cookie, form token) are compared in constant time.
// The MAC is keyed BLAKE2b-256 (`crypto_generichash` with the session secret as key).
import SealboxCrypto

/// The door's checks for one desk listening on `port`.
public struct DeskDoor: Sendable {
    /// The port the desk listens on.
    public let port: Int

    /// The name of the session cookie.
    public static let cookieName = "sealbox_desk"
    /// The domain-separation label of form tokens.
    static let formLabel = Array("sealbox/desk/form".utf8)

    public init(port: Int) {
        self.port = port
    }

    /// The desk's own origin, as browsers send it in `Origin`.
    public var origin: String { "http://127.0.0.1:\(port)" }

    /// Whether a `Host` header names this desk: 127.0.0.1, localhost or [::1] with its port.
    public func acceptsHost(_ host: String?) -> Bool {
        guard let host else { return false }
        let lowered = host.lowercased()
        return ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"].contains(lowered)
    }

    /// Whether a state-changing request comes from the desk's own pages: its `Origin`, or
    /// lacking one its `Referer`, must be one of the desk's origins. Under the desk's own
    /// `Referrer-Policy: no-referrer` a browser sends its form posts with `Origin: null` and
    /// no `Referer` (Fetch standard); such a request is accepted only when the browser's
    /// `Sec-Fetch-Site` (which no page can set) says `same-origin`. Anything else → refused.
    public func acceptsOrigin(origin: String?, referer: String?, fetchSite: String? = nil) -> Bool {
        if let origin, origin != "null" { return ownOrigins.contains(origin.lowercased()) }
        if fetchSite?.lowercased() == "same-origin" { return true }
        guard origin == nil, let referer else { return false }
        let lowered = referer.lowercased()
        return ownOrigins.contains { lowered == $0 || lowered.hasPrefix($0 + "/") }
    }

    private var ownOrigins: [String] {
        ["http://127.0.0.1:\(port)", "http://localhost:\(port)", "http://[::1]:\(port)"]
    }

    /// The form token of `path` for a session secret.
    public static func formToken(secret: SecureBytes, path: String) -> String {
        Base64URL.encode(Hash.generic(32, formLabel + Array(path.utf8), key: secret))
    }

    /// Whether `token` is the form token of `path`, compared in constant time.
    public static func checkFormToken(_ token: String?, secret: SecureBytes, path: String) -> Bool {
        guard let token, let given = Base64URL.decode(token) else { return false }
        let expected = Hash.generic(32, formLabel + Array(path.utf8), key: secret)
        return constantTimeEquals(given, expected)
    }

    /// The value of cookie `name` in a `Cookie` header, if present.
    public static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: " ")
            guard let equals = pair.firstIndex(of: "=") else { continue }
            if pair[..<equals] == name { return String(pair[pair.index(after: equals)...]) }
        }
        return nil
    }

    /// Whether `given` (base64url text from the browser) is the secret `expected`, in constant time.
    public static func matches(_ given: String?, _ expected: SecureBytes?) -> Bool {
        guard let given, let expected, let bytes = Base64URL.decode(given) else { return false }
        return expected.withUnsafeBytes { constantTimeEquals(bytes, Array($0)) }
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var result = self
        while result.first == character { result.removeFirst() }
        while result.last == character { result.removeLast() }
        return result
    }
}
