import Foundation
import SealboxCrypto

/// The plaintext of a sealed item (docs/PROTOCOL.md §3.2, and §3.4 for the team's notes,
/// codings and case data). It exists only in memory: the daemon builds it and seals it at
/// once; the CLI opens it on a workstation.
public struct ReportContent: Codable, Sendable, Equatable {
    /// The plaintext versions this build reads; it writes the last.
    public static let versions = 1...2
    public var v: Int = 2
    public var type: EnvelopeKind
    public var `case`: CaseReference
    public var day: Day
    public var reporterKey: String?
    public var text: String
    public var grounds: [String]?
    public var area: String?
    public var when: String?
    public var `where`: String?
    public var contact: String?
    public var attachments: [AttachmentManifest]
    /// Version 2, reports: the reporter signing key's public key, b64u (PROTOCOL §3.3).
    public var reporterSigningKey: String?
    /// Version 2, follow-ups and replies: 16 random bytes, b64u.
    public var nonce: String?
    /// Version 2, follow-ups and replies: the signer's Ed25519 public key, b64u.
    public var signer: String?
    /// Version 2, follow-ups and replies: the Ed25519 signature, b64u.
    public var signature: String?
    /// Coding (§3.4): the id of the coding scheme whose values it uses. `grounds` and
    /// `area` are the coding's too (values of that scheme, not of the report form).
    public var scheme: String?
    public var form: String?
    public var level: String?
    public var interventions: [String]?
    public var outcome: String?
    /// Coding (§3.4, §3.5): the id of the statistic record sent with it, so that the next
    /// coding of the case replaces the same record; absent in codings before it.
    public var statistic: StatisticID?
    /// Case data (§3.4): the member the case is assigned to (today the key id of a staff
    /// key), and the day to look at it again; each null when not set.
    public var assigned: KeyID?
    public var followUp: Day?
    /// Reports and follow-ups (§3.2, since 0.9.0): the language the reporter used. A value
    /// a reader cannot parse is ignored, like an unknown member.
    public var lang: LanguageTag?
    /// Reports (§3.2, since 0.9.0): the approximate date of the incident, a month or a day.
    /// A value a reader cannot parse is ignored, like an unknown member.
    public var incident: IncidentDate?

    enum CodingKeys: String, CodingKey {
        case v, type, `case`, day, reporterKey = "reporter_key", text, grounds, area, when, `where`, contact, attachments
        case reporterSigningKey = "reporter_signing_key", nonce, signer, signature
        case scheme, form, level, interventions, outcome, assigned, followUp = "follow_up", statistic
        case lang, incident
    }

    public init(
        type: EnvelopeKind, caseReference: CaseReference, day: Day, reporterKey: BoxPublicKey?,
        text: String, grounds: [String] = [], area: String? = nil, when: String? = nil,
        where whereText: String? = nil, contact: String? = nil, attachments: [AttachmentManifest] = [],
        reporterSigningKey: SigningPublicKey? = nil
    ) {
        self.type = type
        self.case = caseReference
        self.day = day
        self.reporterKey = reporterKey.map { Base64URL.encode($0.bytes) }
        self.text = text
        self.grounds = grounds.isEmpty ? nil : grounds
        self.area = area
        self.when = when
        self.where = whereText
        self.contact = contact
        self.attachments = attachments
        self.reporterSigningKey = reporterSigningKey.map { Base64URL.encode($0.bytes) }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        v = try c.decode(Int.self, forKey: .v)
        type = try c.decode(EnvelopeKind.self, forKey: .type)
        // A statistic record has no case and no day (StatisticRecord, PROTOCOL §3.5).
        guard type != .statistic else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "a statistic is no item")
        }
        self.case = try c.decode(CaseReference.self, forKey: .case)
        day = try c.decode(Day.self, forKey: .day)
        reporterKey = try c.decodeIfPresent(String.self, forKey: .reporterKey)
        // A coding and case data carry no text; every other kind must.
        text = type == .coding || type == .caseData
            ? try c.decodeIfPresent(String.self, forKey: .text) ?? "" : try c.decode(String.self, forKey: .text)
        grounds = try c.decodeIfPresent([String].self, forKey: .grounds)
        area = try c.decodeIfPresent(String.self, forKey: .area)
        when = try c.decodeIfPresent(String.self, forKey: .when)
        self.where = try c.decodeIfPresent(String.self, forKey: .where)
        contact = try c.decodeIfPresent(String.self, forKey: .contact)
        attachments = try c.decodeIfPresent([AttachmentManifest].self, forKey: .attachments) ?? []
        reporterSigningKey = try c.decodeIfPresent(String.self, forKey: .reporterSigningKey)
        nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
        signer = try c.decodeIfPresent(String.self, forKey: .signer)
        signature = try c.decodeIfPresent(String.self, forKey: .signature)
        // Hints, not anchors: a later writer may widen their formats, so a value this
        // build cannot parse leaves the member out instead of refusing the item.
        if type == .report || type == .followUp {
            lang = try? c.decodeIfPresent(LanguageTag.self, forKey: .lang)
        }
        if type == .report {
            incident = try? c.decodeIfPresent(IncidentDate.self, forKey: .incident)
        }
        switch type {
        case .coding:
            scheme = try c.decode(String.self, forKey: .scheme)
            grounds = try c.decodeIfPresent([String].self, forKey: .grounds) ?? []
            form = try c.decodeIfPresent(String.self, forKey: .form)
            level = try c.decodeIfPresent(String.self, forKey: .level)
            interventions = try c.decodeIfPresent([String].self, forKey: .interventions) ?? []
            outcome = try c.decodeIfPresent(String.self, forKey: .outcome)
            statistic = try c.decodeIfPresent(StatisticID.self, forKey: .statistic)
        case .caseData:
            // Both members are present, each a value or null.
            guard c.contains(.assigned), c.contains(.followUp) else {
                throw DecodingError.keyNotFound(CodingKeys.assigned, .init(codingPath: c.codingPath, debugDescription: "case data"))
            }
            assigned = try c.decodeIfPresent(KeyID.self, forKey: .assigned)
            followUp = try c.decodeIfPresent(Day.self, forKey: .followUp)
        default:
            break
        }
    }

    /// A note of the team (§3.4), unsigned until `sign(with:)`.
    public static func note(case reference: CaseReference, day: Day, text: String) -> ReportContent {
        ReportContent(type: .note, caseReference: reference, day: day, reporterKey: nil, text: text)
    }

    /// A coding (§3.4), unsigned until `sign(with:)`.
    public static func coding(case reference: CaseReference, day: Day, scheme: String, grounds: [String], area: String?,
                              form: String?, level: String?, interventions: [String], outcome: String?,
                              statistic: StatisticID? = nil) -> ReportContent {
        var content = ReportContent(type: .coding, caseReference: reference, day: day, reporterKey: nil, text: "")
        content.scheme = scheme
        content.grounds = grounds
        content.area = area
        content.form = form
        content.level = level
        content.interventions = interventions
        content.outcome = outcome
        content.statistic = statistic
        return content
    }

    /// Case data (§3.4), unsigned until `sign(with:)`.
    public static func caseData(case reference: CaseReference, day: Day, assigned: KeyID?, followUp: Day?) -> ReportContent {
        var content = ReportContent(type: .caseData, caseReference: reference, day: day, reporterKey: nil, text: "")
        content.assigned = assigned
        content.followUp = followUp
        return content
    }

    /// The members of each kind, and nothing else: a coding and case data write their
    /// optional members as null; items of case work carry no attachments list.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(v, forKey: .v)
        try c.encode(type, forKey: .type)
        try c.encode(self.case, forKey: .case)
        try c.encode(day, forKey: .day)
        try c.encodeIfPresent(nonce, forKey: .nonce)
        try c.encodeIfPresent(signer, forKey: .signer)
        try c.encodeIfPresent(signature, forKey: .signature)
        switch type {
        case .coding:
            try c.encode(scheme ?? "", forKey: .scheme)
            try c.encode(grounds ?? [], forKey: .grounds)
            try c.encode(area, forKey: .area)
            try c.encode(form, forKey: .form)
            try c.encode(level, forKey: .level)
            try c.encode(interventions ?? [], forKey: .interventions)
            try c.encode(outcome, forKey: .outcome)
            try c.encodeIfPresent(statistic, forKey: .statistic)
            return
        case .caseData:
            try c.encode(assigned, forKey: .assigned)
            try c.encode(followUp, forKey: .followUp)
            return
        case .note, .statistic:
            try c.encode(text, forKey: .text)
            return
        case .report, .followUp, .reply:
            break
        }
        try c.encodeIfPresent(reporterKey, forKey: .reporterKey)
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(grounds, forKey: .grounds)
        try c.encodeIfPresent(area, forKey: .area)
        try c.encodeIfPresent(when, forKey: .when)
        try c.encodeIfPresent(self.where, forKey: .where)
        try c.encodeIfPresent(contact, forKey: .contact)
        try c.encode(attachments, forKey: .attachments)
        try c.encodeIfPresent(reporterSigningKey, forKey: .reporterSigningKey)
        if type == .report || type == .followUp { try c.encodeIfPresent(lang, forKey: .lang) }
        if type == .report { try c.encodeIfPresent(incident, forKey: .incident) }
    }

    /// The UTF-8 JSON bytes that get padded and sealed.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// Parses an opened envelope's plaintext: `unsupportedVersion` for a `v` this build
    /// does not read, `malformed` for anything else that is not a Sealbox item.
    public static func decode(_ bytes: [UInt8]) throws(CryptoError) -> ReportContent {
        let content: ReportContent
        do {
            content = try JSONDecoder().decode(ReportContent.self, from: Data(bytes))
        } catch {
            throw CryptoError.malformed("sealed plaintext is not a Sealbox item")
        }
        guard versions.contains(content.v) else { throw CryptoError.unsupportedVersion }
        return content
    }

    /// The reporter signing key carried inside a sealed report (version 2).
    public var reporterSigningPublicKey: SigningPublicKey? {
        guard let text = reporterSigningKey, let bytes = Base64URL.decode(text) else { return nil }
        return try? SigningPublicKey(bytes: bytes)
    }

    /// What the signature of this follow-up, reply or item of case work covers, signed by
    /// `signer` with `nonce` (PROTOCOL §3.3, §3.4).
    func signedFields(signer: SigningPublicKey, nonce: [UInt8]) -> ItemSignature.Fields {
        switch type {
        case .coding:
            let grounds = self.grounds ?? []
            let interventions = self.interventions ?? []
            let members = [scheme ?? "", String(grounds.count)] + grounds
                + [area ?? "", form ?? "", level ?? "", String(interventions.count)] + interventions + [outcome ?? ""]
                + (statistic.map { [$0.text] } ?? [])
            return ItemSignature.Fields(type: type.name, caseReference: self.case.text, day: day.text, nonce: nonce,
                                        signer: signer, members: members)
        case .caseData:
            return ItemSignature.Fields(type: type.name, caseReference: self.case.text, day: day.text, nonce: nonce,
                                        signer: signer, members: [assigned?.hex ?? "", followUp?.text ?? ""])
        case .note, .statistic:
            return ItemSignature.Fields(type: type.name, caseReference: self.case.text, day: day.text, nonce: nonce,
                                        signer: signer, text: text, attachments: [])
        case .report, .followUp, .reply:
            return ItemSignature.Fields(
                type: type.name, caseReference: self.case.text, day: day.text, nonce: nonce, signer: signer, text: text,
                attachments: attachments.map { .init(id: $0.id.text, name: $0.name, type: $0.type, size: $0.size) })
        }
    }

    /// Adds a fresh nonce, `key`'s public key and its signature (PROTOCOL §3.3).
    public mutating func sign(with key: some MessageSigner) throws(CryptoError) {
        let nonceBytes = Random.bytes(ItemSignature.nonceSize)
        let signatureBytes = try ItemSignature.sign(signedFields(signer: key.publicKey, nonce: nonceBytes), with: key)
        nonce = Base64URL.encode(nonceBytes)
        signer = Base64URL.encode(key.publicKey.bytes)
        signature = Base64URL.encode(signatureBytes)
    }

    /// The signer whose signature on this item verifies, else `authenticationFailed`
    /// (no signature, a malformed member, or a signature that does not verify).
    public func verifiedSigner() throws(CryptoError) -> (signer: SigningPublicKey, nonce: [UInt8]) {
        guard let signerText = signer, let signerBytes = Base64URL.decode(signerText),
              let nonceText = nonce, let nonceBytes = Base64URL.decode(nonceText),
              let signatureText = signature, let signatureBytes = Base64URL.decode(signatureText),
              let key = try? SigningPublicKey(bytes: signerBytes)
        else { throw CryptoError.authenticationFailed }
        try ItemSignature.verify(signatureBytes, on: signedFields(signer: key, nonce: nonceBytes))
        return (key, nonceBytes)
    }

    /// The reporter's public key as carried inside the sealed report.
    public var reporterPublicKey: BoxPublicKey? {
        guard let text = reporterKey, let bytes = Base64URL.decode(text) else { return nil }
        return try? BoxPublicKey(bytes: bytes)
    }
}

/// One attachment as listed inside a sealed item.
public struct AttachmentManifest: Codable, Sendable, Equatable {
    public var id: AttachmentID
    public var name: String
    public var type: String
    public var size: Int

    public init(id: AttachmentID, name: String, type: String, size: Int) {
        self.id = id
        self.name = name
        self.type = type
        self.size = size
    }
}
