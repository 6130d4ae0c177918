// Statistics that survive deletion (docs/PROTOCOL.md §3.5, docs/design/TEAM.md §8): when a
// member codes a case, her workstation also sends a statistic record, the coding without
// the case, without any text and without any day finer than the month of the case's first
// report, sealed to the team like the coding and signed by her. The daemon stores it
// apart from every case (table `statistics`: id, month, envelope) and keeps it when the
// case is deleted, so that the office's yearly figures stay complete. A random id, kept
// inside the sealed coding, lets the next coding of the same case replace the same record.
import Foundation
import SealboxCrypto

/// A month, `YYYY-MM`: the finest date a statistic record carries.
public struct Month: TextValue, Comparable {
    public let year: Int
    public let month: Int

    /// Accepts exactly `YYYY-MM` with a month 01 to 12.
    public init(parsing text: String) throws(InvalidValue) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              bytes.indices.allSatisfy({ $0 == 4 || (0x30...0x39).contains(bytes[$0]) })
        else { throw InvalidValue("month") }
        let year = bytes[0..<4].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        let month = bytes[5..<7].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard (1...12).contains(month) else { throw InvalidValue("month") }
        self.year = year
        self.month = month
    }

    /// The month of `day`.
    public init(_ day: Day) {
        year = day.year
        month = day.month
    }

    public var text: String {
        String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year) + "-" + (month < 10 ? "0" : "") + String(month)
    }

    public static func < (a: Month, b: Month) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// The id of a statistic record: 16 random bytes, 32 lowercase hex (as item ids).
public struct StatisticID: RandomIdentifier {
    public static let valueName = "statistic id"
    public let text: String
    public init(checkedText: String) { self.text = checkedText }
}

/// The plaintext of a statistic record (PROTOCOL §3.5): no case, no text, no day.
public struct StatisticRecord: Codable, Sendable, Equatable {
    public var v = 2
    public var type = EnvelopeKind.statistic
    /// The month of the case's first report.
    public var month: Month
    public var scheme: String
    public var grounds: [String]
    public var area: String?
    public var form: String?
    public var level: String?
    public var interventions: [String]
    public var outcome: String?
    public var nonce: String?
    public var signer: String?
    public var signature: String?

    enum CodingKeys: String, CodingKey {
        case v, type, month, scheme, grounds, area, form, level, interventions, outcome, nonce, signer, signature
    }

    public init(month: Month, scheme: String, grounds: [String], area: String?, form: String?, level: String?,
                interventions: [String], outcome: String?) {
        self.month = month
        self.scheme = scheme
        self.grounds = grounds
        self.area = area
        self.form = form
        self.level = level
        self.interventions = interventions
        self.outcome = outcome
    }

    /// The record of a coding (PROTOCOL §3.4) of a case first reported in `month`.
    public init(coding: ReportContent, month: Month) {
        self.init(month: month, scheme: coding.scheme ?? "", grounds: coding.grounds ?? [], area: coding.area,
                  form: coding.form, level: coding.level, interventions: coding.interventions ?? [], outcome: coding.outcome)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        v = try c.decode(Int.self, forKey: .v)
        type = try c.decode(EnvelopeKind.self, forKey: .type)
        guard type == .statistic else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "not a statistic")
        }
        month = try c.decode(Month.self, forKey: .month)
        scheme = try c.decode(String.self, forKey: .scheme)
        grounds = try c.decode([String].self, forKey: .grounds)
        area = try c.decodeIfPresent(String.self, forKey: .area)
        form = try c.decodeIfPresent(String.self, forKey: .form)
        level = try c.decodeIfPresent(String.self, forKey: .level)
        interventions = try c.decode([String].self, forKey: .interventions)
        outcome = try c.decodeIfPresent(String.self, forKey: .outcome)
        nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
        signer = try c.decodeIfPresent(String.self, forKey: .signer)
        signature = try c.decodeIfPresent(String.self, forKey: .signature)
    }

    /// Every member, the optional ones as null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(v, forKey: .v)
        try c.encode(type, forKey: .type)
        try c.encode(month, forKey: .month)
        try c.encode(scheme, forKey: .scheme)
        try c.encode(grounds, forKey: .grounds)
        try c.encode(area, forKey: .area)
        try c.encode(form, forKey: .form)
        try c.encode(level, forKey: .level)
        try c.encode(interventions, forKey: .interventions)
        try c.encode(outcome, forKey: .outcome)
        try c.encodeIfPresent(nonce, forKey: .nonce)
        try c.encodeIfPresent(signer, forKey: .signer)
        try c.encodeIfPresent(signature, forKey: .signature)
    }

    /// The UTF-8 JSON bytes that get padded and sealed.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// Parses an opened statistic's plaintext; `malformed` for anything else.
    public static func decode(_ bytes: [UInt8]) throws(CryptoError) -> StatisticRecord {
        guard let record = try? JSONDecoder().decode(StatisticRecord.self, from: Data(bytes)), record.v == 2 else {
            throw CryptoError.malformed("sealed plaintext is not a statistic record")
        }
        return record
    }

    /// What the signature covers (PROTOCOL §3.5): §3.3's pieces with type `statistic`, an
    /// empty case, the month in place of the day, and the coding's members of §3.4.
    func signedFields(signer: SigningPublicKey, nonce: [UInt8]) -> ItemSignature.Fields {
        let members = [scheme, String(grounds.count)] + grounds
            + [area ?? "", form ?? "", level ?? "", String(interventions.count)] + interventions + [outcome ?? ""]
        return ItemSignature.Fields(type: EnvelopeKind.statistic.name, caseReference: "", day: month.text, nonce: nonce,
                                    signer: signer, members: members)
    }

    /// Adds a fresh nonce, `key`'s public key and its signature.
    public mutating func sign(with key: some MessageSigner) throws(CryptoError) {
        let nonceBytes = Random.bytes(ItemSignature.nonceSize)
        let signatureBytes = try ItemSignature.sign(signedFields(signer: key.publicKey, nonce: nonceBytes), with: key)
        nonce = Base64URL.encode(nonceBytes)
        signer = Base64URL.encode(key.publicKey.bytes)
        signature = Base64URL.encode(signatureBytes)
    }

    /// The signer whose signature verifies, else `authenticationFailed`.
    public func verifiedSigner() throws(CryptoError) -> SigningPublicKey {
        guard let signerText = signer, let signerBytes = Base64URL.decode(signerText),
              let nonceText = nonce, let nonceBytes = Base64URL.decode(nonceText),
              let signatureText = signature, let signatureBytes = Base64URL.decode(signatureText),
              let key = try? SigningPublicKey(bytes: signerBytes)
        else { throw CryptoError.authenticationFailed }
        try ItemSignature.verify(signatureBytes, on: signedFields(signer: key, nonce: nonceBytes))
        return key
    }
}
