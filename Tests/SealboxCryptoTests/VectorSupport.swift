// Loads the JSON test vectors of Vectors/*.json (written by
// Tests/interop/make_vectors.py with PyNaCl) into Sendable cases.

import Foundation
import SealboxCrypto
import Testing

/// One case of one vector file.
struct VectorCase: Sendable, CustomTestStringConvertible {
    let file: String
    let fields: [String: Field]

    var name: String { fields["name"]?.string ?? "?" }
    var testDescription: String { "\(file): \(name)" }

    /// A JSON value, reduced to what the vectors use.
    enum Field: Sendable {
        case string(String), number(Int64), bool(Bool), list([Field]), object([String: Field]), other
        var string: String? { if case .string(let s) = self { s } else { nil } }
        var number: Int64? { if case .number(let n) = self { n } else { nil } }
        var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
        var list: [Field]? { if case .list(let l) = self { l } else { nil } }
        var object: [String: Field]? { if case .object(let o) = self { o } else { nil } }

        init(_ any: Any) {
            switch any {
            case let s as String: self = .string(s)
            case let n as NSNumber where String(cString: n.objCType) == "c": self = .bool(n.boolValue)
            case let n as NSNumber: self = .number(n.int64Value)
            case let l as [Any]: self = .list(l.map(Field.init))
            case let o as [String: Any]: self = .object(o.mapValues(Field.init))
            default: self = .other
            }
        }
    }

    func string(_ key: String) throws -> String {
        try #require(fields[key]?.string, "\(key) missing in \(testDescription)")
    }
    func int(_ key: String) throws -> Int64 {
        try #require(fields[key]?.number, "\(key) missing in \(testDescription)")
    }
    func hex(_ key: String) throws -> [UInt8] {
        try #require(Hex.decode(try string(key)), "\(key) is not hex")
    }
    func b64u(_ key: String) throws -> [UInt8] {
        try #require(Base64URL.decode(try string(key)), "\(key) is not base64url")
    }
    var expectedError: String? { fields["error"]?.string }

    static let files = ["envelope", "attachment", "keyfile", "code", "damm", "padding", "signature", "authorship", "audit", "storage"]

    /// Every case of every file, in file order.
    static let all: [VectorCase] = files.flatMap { file -> [VectorCase] in
        guard let url = Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Vectors"),
              let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cases = root["cases"] as? [[String: Any]]
        else { return [VectorCase(file: file, fields: ["name": .string("vector file missing or unreadable")])] }
        return cases.map { VectorCase(file: file, fields: $0.mapValues(Field.init)) }
    }
}

/// The vector name of an error: the case name of CryptoError or CodeInputError.
func errorName(_ error: any Error) -> String {
    switch error {
    case let e as CryptoError:
        switch e {
        case .authenticationFailed: "authenticationFailed"
        case .notSealedToThisKey: "notSealedToThisKey"
        case .malformed: "malformed"
        case .invalidKey: "invalidKey"
        case .unsupportedVersion: "unsupportedVersion"
        case .internalFailure: "internalFailure"
        }
    case let e as CodeInputError:
        switch e {
        case .tooLong: "tooLong"
        case .malformed: "malformed"
        case .typo: "typo"
        }
    default: "\(type(of: error))"
    }
}

/// Runs `body` and checks it fails with `expected`, or succeeds when `expected` is nil.
/// Returns the value on success.
@discardableResult
func expectOutcome<T>(_ expected: String?, _ label: String, _ body: () throws -> T) -> T? {
    do {
        let value = try body()
        #expect(expected == nil, "\(label): succeeded, expected \(expected ?? "")")
        return expected == nil ? value : nil
    } catch {
        #expect(errorName(error) == expected, "\(label): failed with \(errorName(error)), expected \(expected ?? "success")")
        return nil
    }
}
