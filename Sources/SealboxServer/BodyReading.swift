// Reads request bodies within the configured limits: a declared Content-Length over the
// limit is refused before a byte is read, and a streamed body is cut off at the limit.
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A media type with its parameters, e.g. `multipart/form-data; boundary=x`.
struct MediaType: Equatable {
    let type: String
    let parameters: [String: String]

    init?(_ header: String?) {
        guard let header else { return nil }
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        type = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
        guard !type.isEmpty else { return nil }
        parameters = HeaderParameters.parse(parts.dropFirst().joined(separator: ";"))
    }

    /// The `boundary` parameter when it is 1 to 200 characters, else nil.
    var multipartBoundary: String? {
        guard let boundary = parameters["boundary"], !boundary.isEmpty, boundary.count <= 200 else { return nil }
        return boundary
    }
}

enum HeaderParameters {
    /// Parses `a=b; c="d e"` into a dictionary with lower-cased names.
    static func parse(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while !rest.isEmpty {
            rest = rest.drop { $0 == ";" || $0 == " " || $0 == "\t" }
            guard let eq = rest.firstIndex(of: "=") else { break }
            let name = rest[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: eq)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                var end = rest.endIndex
                for index in rest.indices {
                    let c = rest[index]
                    if escaped { value.append(c); escaped = false; continue }
                    if c == "\\" { escaped = true; continue }
                    if c == "\"" { end = index; break }
                    value.append(c)
                }
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : ""
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if !name.isEmpty, result[name] == nil { result[name] = value }
        }
        return result
    }
}

extension Request {
    /// Refuses at once a body whose declared length exceeds `limit`, including one too
    /// large for any integer (a Content-Length of 2^63 must not be read as "unknown").
    func checkDeclaredLength(limit: Int) throws {
        guard let text = headers[.contentLength] else { return }
        let digits = text.utf8
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { throw PublicError.malformedBody }
        guard digits.count <= 18, let length = Int(text), length <= limit else { throw PublicError.bodyTooLarge }
    }

    /// Collects the whole body, refusing it with 413 as soon as it exceeds `limit`.
    func collectBody(limit: Int) async throws -> [UInt8] {
        try checkDeclaredLength(limit: limit)
        var bytes: [UInt8] = []
        for try await buffer in body {
            guard bytes.count + buffer.readableBytes <= limit else { throw PublicError.bodyTooLarge }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }
}

enum URLEncodedForm {
    /// Parses `application/x-www-form-urlencoded`; fails with 400 on invalid UTF-8.
    static func parse(_ bytes: [UInt8]) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        for piece in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let halves = piece.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(halves[0])
            let value = halves.count > 1 ? try decode(halves[1]) : ""
            pairs.append((name, value))
        }
        return pairs
    }

    static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 2
            } else if byte == UInt8(ascii: "%") {
                throw PublicError.malformedBody
            } else {
                out.append(byte)
            }
            index += 1
        }
        return try utf8(out)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Decodes UTF-8 strictly: invalid input is a 400, never replaced.
func utf8(_ bytes: some Collection<UInt8>) throws -> String {
    guard let text = String(validating: bytes, as: UTF8.self) else { throw PublicError.invalidUTF8 }
    return text
}
