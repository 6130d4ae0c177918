// The fields of an application/x-www-form-urlencoded body, kept as bytes so that a
// passphrase goes into SecureBytes without passing through a String; `wipe()` clears
// every value when the handler is done.
import SealboxCrypto

/// A parsed form body.
struct DeskForm {
    private var fields: [(name: String, value: [UInt8])] = []

    /// Parses `body`; malformed percent escapes are kept as they are.
    init(parsing body: [UInt8]) {
        var body = body
        defer { SecureMemory.wipe(&body) }
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: Self.decode(parts[0]), as: UTF8.self)
            fields.append((name, parts.count > 1 ? Self.decode(parts[1]) : []))
        }
    }

    /// The first value of `name` as text.
    func text(_ name: String) -> String? {
        fields.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Every field as text, in order (the inbox's GET filters; never a secret).
    var textFields: [(name: String, value: String)] {
        fields.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
    }

    /// Every value of `name` as text, in order (checkboxes of one name).
    func texts(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// The first value of `name` in secure memory; nil when missing or empty.
    func secret(_ name: String) -> SecureBytes? {
        guard let value = fields.first(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return SecureBytes(copying: value)
    }

    /// Clears every value.
    mutating func wipe() {
        for index in fields.indices { SecureMemory.wipe(&fields[index].value) }
        fields.removeAll()
    }

    /// `+` as space and `%XX` decoded.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
