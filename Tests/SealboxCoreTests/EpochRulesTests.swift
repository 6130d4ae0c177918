// The rules of key epochs (docs/PROTOCOL.md §12.5) beyond the vectors: which grants an
// entry must bring (GrantRules), that a grant's label and announced key are checked, and
// that a rekey leaves the old key removed for good.
import Foundation
import SealboxCore
import SealboxCrypto
import Testing

@Suite("Epochs and grants")
struct EpochRulesTests {
    let lena = MemberSecretKey.generate()
    let anna = MemberSecretKey.generate()
    let recovery = BoxSecretKey.generate()

    func entry(_ roster: RosterVerifier, _ action: RosterAction, member: RosterMemberField? = nil,
               epoch: RosterEpochField? = nil) -> RosterEntry {
        RosterVerifier.sign(RosterEntry(seq: roster.head.seq + 1, prev: roster.head.hash, day: Day("2026-12-03")!,
                                        action: action, member: member, epoch: epoch, signer: lena.publicKey.memberID,
                                        signature: []), with: lena)
    }

    /// Lena (first lead) and Anna, with epoch 1.
    func roster(epoch1: BoxSecretKey) throws -> RosterVerifier {
        var roster = try RosterVerifier(leads: [("Lena", lena.publicKey)])
        try roster.apply(entry(roster, .add, member: RosterMemberField(label: "Anna", key: anna.publicKey, role: .counsellor)))
        try roster.apply(entry(roster, .rotate, epoch: RosterEpochField(number: 1, key: epoch1.publicKey, recovery: recovery.publicKey)))
        return roster
    }

    @Test("a rotation needs the new epoch for every active member and the recovery key, nothing else")
    func rotationGrants() throws {
        let before = try roster(epoch1: .generate())
        let e2 = BoxSecretKey.generate()
        let rotate = entry(before, .rotate, epoch: RosterEpochField(number: 2, key: e2.publicKey, recovery: recovery.publicKey))
        var after = before
        try after.apply(rotate)
        let slots = GrantRules.required(rotate, before: before, after: after)
        #expect(Set(slots.map(\.member)) == [lena.publicKey.memberID, anna.publicKey.memberID, recovery.publicKey.keyID])
        #expect(Set(slots.map(\.scope)) == [.epoch(2)])
        let grants = slots.map { GrantRecord(member: $0.member, scope: $0.scope, sealed: $0.scope.seal(e2, to: $0.recipient)) }
        #expect(GrantRules.fit(grants, slots))
        #expect(!GrantRules.fit(Array(grants.dropLast()), slots), "a missing grant does not fit")
        let wrongScope = grants.map { GrantRecord(member: $0.member, scope: .epoch(1), sealed: $0.sealed) }
        #expect(!GrantRules.fit(wrongScope, slots), "grants of another epoch do not fit")
        #expect(!GrantRules.fit(grants + [grants[0]], slots), "a grant twice does not fit")
    }

    @Test("removing a member grants the new epoch to the others only and revokes hers")
    func removalGrants() throws {
        let before = try roster(epoch1: .generate())
        let remove = entry(before, .remove, member: RosterMemberField(label: "Anna", key: anna.publicKey, role: nil),
                           epoch: RosterEpochField(number: 2, key: BoxSecretKey.generate().publicKey, recovery: recovery.publicKey))
        var after = before
        try after.apply(remove)
        let slots = GrantRules.required(remove, before: before, after: after)
        #expect(Set(slots.map(\.member)) == [lena.publicKey.memberID, recovery.publicKey.keyID])
        #expect(GrantRules.revoked(remove, before: before) == [anna.publicKey.memberID])
    }

    @Test("a new member needs every epoch so far; a rekeyed one every epoch and the new one, and her old key is revoked")
    func joinAndRekeyGrants() throws {
        let before = try roster(epoch1: .generate())
        let mira = MemberSecretKey.generate()
        let add = entry(before, .add, member: RosterMemberField(label: "Mira", key: mira.publicKey, role: .counsellor))
        var afterAdd = before
        try afterAdd.apply(add)
        #expect(GrantRules.required(add, before: before, after: afterAdd).map(\.scope) == [.epoch(1)])

        let newAnna = MemberSecretKey.generate()
        let rekey = entry(before, .rekey, member: RosterMemberField(label: "Anna", key: newAnna.publicKey, role: nil),
                          epoch: RosterEpochField(number: 2, key: BoxSecretKey.generate().publicKey, recovery: recovery.publicKey))
        var after = before
        try after.apply(rekey)
        let slots = GrantRules.required(rekey, before: before, after: after)
        #expect(Set(slots.filter { $0.member == newAnna.publicKey.memberID }.map(\.scope)) == [.epoch(1), .epoch(2)])
        #expect(!slots.contains { $0.member == anna.publicKey.memberID })
        #expect(GrantRules.revoked(rekey, before: before) == [anna.publicKey.memberID])
        #expect(after.activeMember(label: "Anna")?.key == newAnna.publicKey)
        #expect(after.activeMember(signingKey: anna.publicKey.signingKey) == nil, "her old key signs no more")
        #expect(after.activeMember(label: "Anna")?.role == .counsellor, "she keeps her role")
    }

    @Test("a grant opens only as its own epoch and only to the key the roster announced")
    func grantChecks() throws {
        let e1 = BoxSecretKey.generate()
        let roster = try roster(epoch1: e1)
        let sealed = GrantScope.epoch(1).seal(e1, to: anna.publicKey.boxKey)
        #expect(try GrantScope.epoch(1).open(sealed, with: anna.boxKey, roster: roster.epochs).publicKey == e1.publicKey)
        #expect(throws: GrantError.doesNotOpen(.epoch(2))) { try GrantScope.epoch(2).open(sealed, with: anna.boxKey, roster: roster.epochs) }
        #expect(throws: GrantError.doesNotOpen(.epoch(1))) { try GrantScope.epoch(1).open(sealed, with: lena.boxKey, roster: roster.epochs) }
        let other = GrantScope.epoch(1).seal(.generate(), to: anna.publicKey.boxKey)
        #expect(throws: GrantError.notTheAnnouncedKey(.epoch(1))) { try GrantScope.epoch(1).open(other, with: anna.boxKey, roster: roster.epochs) }
        let unannounced = GrantScope.epoch(5).seal(e1, to: anna.publicKey.boxKey)
        #expect(throws: GrantError.notAnnounced(.epoch(5))) { try GrantScope.epoch(5).open(unannounced, with: anna.boxKey, roster: roster.epochs) }
        var truncated = sealed
        truncated.removeLast()
        #expect(throws: GrantError.doesNotOpen(.epoch(1))) { try GrantScope.epoch(1).open(truncated, with: anna.boxKey, roster: roster.epochs) }
    }

    @Test("a restricted case follows a rekeyed member to her new key, and the rekey brings its grant")
    func restrictionFollowsRekey() throws {
        var roster = try roster(epoch1: .generate())
        let reference = CaseReference.generate()
        let restriction = RosterCaseField(ref: reference, key: BoxSecretKey.generate().publicKey, members: [anna.publicKey.memberID])
        let restrict = entry(roster, .restrict, member: nil)
        let restricted = RosterVerifier.sign(RosterEntry(seq: restrict.seq, prev: restrict.prev, day: restrict.day, action: .restrict,
                                                         member: nil, epoch: nil, signer: lena.publicKey.memberID, signature: [],
                                                         restriction: restriction), with: lena)
        let before = roster
        try roster.apply(restricted)
        #expect(Set(GrantRules.required(restricted, before: before, after: roster).map(\.member))
                == [anna.publicKey.memberID, recovery.publicKey.keyID])
        #expect(!roster.mayRead(reference, member: lena.publicKey.memberID))
        let newAnna = MemberSecretKey.generate()
        let rekey = entry(roster, .rekey, member: RosterMemberField(label: "Anna", key: newAnna.publicKey, role: nil),
                          epoch: RosterEpochField(number: 2, key: BoxSecretKey.generate().publicKey, recovery: recovery.publicKey))
        let beforeRekey = roster
        try roster.apply(rekey)
        #expect(roster.mayRead(reference, member: newAnna.publicKey.memberID))
        #expect(!roster.mayRead(reference, member: anna.publicKey.memberID))
        #expect(GrantRules.required(rekey, before: beforeRekey, after: roster)
                    .contains { $0.member == newAnna.publicKey.memberID && $0.scope == .case(reference) })
    }

    @Test("scopes parse only in their one text form")
    func scopeText() {
        #expect(GrantScope(text: "epoch:12") == .epoch(12))
        #expect(GrantScope(text: "case:7KQM-3XWP") == .case(try! CaseReference(parsing: "7KQM-3XWP")))
        for bad in ["epoch:0", "epoch:01", "epoch:", "epoch:-1", "epoch: 1", "case:1", "epoch:99999999999", "case:7kqm-3xwp",
                    "case:7KQM3XWP"] {
            #expect(GrantScope(text: bad) == nil, "\(bad)")
        }
    }

    @Test("the recovery key splits into two paper parts that join again; a wrong part makes another key")
    func paperRoundTrip() throws {
        let (a, b) = RecoveryPaper.split(recovery)
        let lineA = RecoveryPaper.paperLine(a, letter: "A")
        let lineB = RecoveryPaper.paperLine(b, letter: "B")
        let joined = try RecoveryPaper.join(try RecoveryPaper.read(lineA, letter: "A"), try RecoveryPaper.read(lineB, letter: "B"))
        #expect(joined.publicKey == recovery.publicKey)
        #expect(throws: RecoveryPartError.check) { try RecoveryPaper.read(lineA, letter: "B") }
        let (otherA, _) = RecoveryPaper.split(recovery)
        #expect(try RecoveryPaper.join(otherA, b).publicKey != recovery.publicKey, "parts of two splits do not join")
        #expect(try BoxPublicKey(recoveryText: recovery.publicKey.recoveryText) == recovery.publicKey)
        #expect(throws: CryptoError.invalidKey) { try BoxPublicKey(recoveryText: recovery.publicKey.teamText) }
    }
}

@Suite("Restricted cases: sealing again in place")
struct ResealTests {
    @Test("a staged attachment sealed again opens with the new keys only, byte for byte")
    func resealedBlobOpensWithTheNewKeysOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reseal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let staging = try UploadStaging(directory: directory)
        let epoch = BoxSecretKey.generate(), recovery = BoxSecretKey.generate(), caseKey = BoxSecretKey.generate()
        let upload = try staging.begin(recipients: [epoch.publicKey, recovery.publicKey])
        let plaintext = Array("Beleg zum Nachtrag".utf8)
        try plaintext.withUnsafeBytes { try upload.append($0) }
        let blob = try upload.finish()
        try blob.reseal(to: [caseKey.publicKey, recovery.publicKey])
        let bytes = Array(try Data(contentsOf: blob.file))
        #expect(bytes.count == blob.size, "the recipient block keeps its length")
        #expect(try AttachmentDecryptor.decrypt(blob: bytes, attachmentID: blob.id.text, key: caseKey) == plaintext)
        #expect(try AttachmentDecryptor.decrypt(blob: bytes, attachmentID: blob.id.text, key: recovery) == plaintext)
        #expect(throws: CryptoError.notSealedToThisKey) {
            try AttachmentDecryptor.decrypt(blob: bytes, attachmentID: blob.id.text, key: epoch)
        }
        try blob.reseal(to: [caseKey.publicKey])  // another count: left as it is
        #expect(Array(try Data(contentsOf: blob.file)) == bytes)
    }

    @Test("a restricted case's items go to its keys, every other case's to the team's")
    func recipientsPerCase() {
        let team = BoxSecretKey.generate().publicKey, caseKey = BoxSecretKey.generate().publicKey
        let recovery = BoxSecretKey.generate().publicKey
        let restricted = CaseReference.generate(), other = CaseReference.generate()
        let recipients = TeamRecipients([team])
        recipients.replace(with: [team, recovery], restricted: [restricted: [caseKey, recovery]])
        #expect(recipients.current(for: restricted) == [caseKey, recovery])
        #expect(recipients.current(for: other) == [team, recovery])
        #expect(recipients.current == [team, recovery])
        #expect(recipients.isRestricted(restricted) && !recipients.isRestricted(other))
    }
}
