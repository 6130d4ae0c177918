// Judging who wrote each opened item of a case (PROTOCOL §3.3). The case's first
// report anchors it: its `reporter_signing_key` checks every follow-up; replies are
// checked against the staff keys the caller knows. An item is never judged on the
// server's word: only what is inside the sealed plaintexts counts.
//
// Rules this file enforces: a later report, a repeated nonce, a bad or missing
// signature where one is required, and a reply signed by an unknown key are forged;
// unsigned items of a case reported before version 2 are "unauthenticated". Notes,
// codings and case data (PROTOCOL §3.4) are judged like replies, and are always signed.
import SealboxCrypto

/// Who wrote an item, as far as the signatures tell.
public enum Authorship: Sendable, Equatable {
    /// The report that anchors its case (anonymous by design).
    case anchor
    /// Signed by the reporter signing key of the case's report, or by a known staff key.
    case authentic(signer: KeyID)
    /// Written before authorship was signed (version 1); nothing can check it.
    case unauthenticated
    /// Forged, copied or unverifiable: never to be taken as genuine.
    case forged(Forgery)
}

/// Why an item is judged forged.
public enum Forgery: Sendable, Equatable {
    /// A second report in a case that already has one.
    case secondReport
    /// No report anchors the case, so no follow-up can be checked.
    case noReport
    /// No signature although the case's report requires one.
    case unsigned
    /// The signature does not verify, or it is not the case's reporter signing key.
    case badSignature
    /// A valid signature by a key that is not a known staff key.
    case unknownSigner(KeyID)
    /// The same signed item placed again.
    case repeated
}

/// Judges the opened items of one case, in stored order. Items that did not open or are
/// not well formed are not given to it: the anchor is the first report that opens.
public struct AuthorshipJudge: Sendable {
    private let staffKeys: Set<SigningPublicKey>
    private var report: ReportContent?
    private var reportSeen = false
    private var nonces = Set<[UInt8]>()

    /// A judge that accepts replies signed by `staffKeys`.
    public init(staffKeys: Set<SigningPublicKey>) {
        self.staffKeys = staffKeys
    }

    /// Judges the next opened item of the case.
    public mutating func judge(_ content: ReportContent) -> Authorship {
        if content.type == .report {
            if reportSeen { return .forged(.secondReport) }
            reportSeen = true
            report = content
            return .anchor
        }
        let signed = content.signature != nil || content.signer != nil || content.nonce != nil
        // Items of case work exist only since version 2: they are always signed.
        let requiresSignature = content.type.isCaseWork || (report.map { $0.v >= 2 } ?? true)
        guard signed else { return requiresSignature ? .forged(.unsigned) : .unauthenticated }
        let verified: (signer: SigningPublicKey, nonce: [UInt8])
        do {
            verified = try content.verifiedSigner()
        } catch {
            return .forged(.badSignature)
        }
        guard nonces.insert(verified.signer.bytes + verified.nonce).inserted else { return .forged(.repeated) }
        switch content.type {
        case .followUp:
            guard reportSeen, let report else { return .forged(.noReport) }
            guard let anchorKey = report.reporterSigningPublicKey else {
                return requiresSignature ? .forged(.badSignature) : .unauthenticated
            }
            return anchorKey == verified.signer ? .authentic(signer: verified.signer.keyID) : .forged(.badSignature)
        case .reply, .note, .coding, .caseData:
            return staffKeys.contains(verified.signer)
                ? .authentic(signer: verified.signer.keyID) : .forged(.unknownSigner(verified.signer.keyID))
        case .report:
            return .forged(.secondReport)
        case .statistic:
            return .forged(.badSignature)  // never an item of a case (ReportContent refuses it)
        }
    }
}
