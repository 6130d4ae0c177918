// Members named by label on the workstation (PROTOCOL §12.4) and the counting of
// statistic records (§3.5): `assign` takes a label, `me`, ids and keys and refuses the
// rest; labels replace key ids in the listing; `stats` counts only authentic records of
// the right month, each value once per case.
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation
import Testing
@testable import SealboxCLI

@Suite struct TeamLabelsTests {
    let lena = MemberSecretKey.generate()
    let anna = MemberSecretKey.generate()

    func team(removingAnna: Bool = false) throws -> TeamDirectory {
        var roster = try RosterVerifier(leads: [("Lena", lena.publicKey)])
        var entries = [RosterEntry(seq: 1, prev: roster.head.hash, day: Day("2026-12-03")!, action: .add,
                                   member: RosterMemberField(label: "Anna", key: anna.publicKey, role: .counsellor),
                                   epoch: nil, signer: lena.publicKey.memberID, signature: [])]
        for (index, entry) in entries.enumerated() {
            entries[index] = RosterVerifier.sign(entry, with: lena)
            try roster.apply(entries[index])
        }
        if removingAnna {
            let removal = RosterVerifier.sign(RosterEntry(
                seq: 2, prev: roster.head.hash, day: Day("2026-12-04")!, action: .remove,
                member: RosterMemberField(label: "Anna", key: anna.publicKey, role: nil), epoch: nil,
                signer: lena.publicKey.memberID, signature: []), with: lena)
            try roster.apply(removal)
        }
        return TeamDirectory(members: roster.members)
    }

    @Test func aLabel_meAndKeys_nameTheMembersMemberID() throws {
        let team = try team()
        let own = lena.publicKey.memberID
        #expect(try MemberArgument.parse("Anna", own: own, team: team) == anna.publicKey.memberID)
        #expect(try MemberArgument.parse(" me ", own: own, team: team) == own)
        #expect(try MemberArgument.parse(anna.publicKey.text, own: own, team: team) == anna.publicKey.memberID)
        // Her signing key's id, or her staff public key, name her member id too.
        #expect(try MemberArgument.parse(anna.signingKey.publicKey.keyID.hex, own: own, team: team) == anna.publicKey.memberID)
        #expect(try MemberArgument.parse(anna.signingKey.publicKey.text, own: own, team: team) == anna.publicKey.memberID)
    }

    @Test func anUnknownOrRemovedLabel_isRefused_namingTheActiveMembers() throws {
        for (text, team) in [("Mira", try team()), ("anna", try team()), ("Anna", try team(removingAnna: true)), ("", try team())] {
            do {
                _ = try MemberArgument.parse(text, own: lena.publicKey.memberID, team: team)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.status == .usage)
                #expect(error.message.contains("names no member"))
                #expect(error.hint?.contains("Lena") == true)
            }
        }
        #expect(throws: CLIError.self) { try MemberArgument.parse("Anna", own: lena.publicKey.memberID) }
    }

    @Test func labels_replaceKeyIDs_andMarkTheUser_andUnknownIDsStayHex() throws {
        let team = try team()
        let stranger = SigningSecretKey.generate().publicKey.keyID
        #expect(team.shown(anna.publicKey.memberID, own: nil) == "Anna")
        #expect(team.shown(anna.signingKey.publicKey.keyID, own: anna.publicKey.memberID) == "Anna (you)")
        #expect(team.shown(stranger, own: nil) == stranger.hex)
        #expect(TeamDirectory().shown(stranger, own: stranger) == "\(stranger.hex) (you)")
        let removed = try self.team(removingAnna: true)
        #expect(removed.shown(anna.publicKey.memberID, own: nil) == "Anna")  // history keeps her name
        let pending = PendingDeletion(case: .generate(), requestedBy: anna.publicKey.memberID, day: Day("2026-12-05")!,
                                      expires: Day("2026-12-19")!)
        #expect(ListCommand.deletionNote(pending, team: team) == "deletion requested by Anna on 2026-12-05")
        #expect(ListCommand.deletionNote(pending) == "deletion requested by \(anna.publicKey.memberID.hex) on 2026-12-05")
    }
}

@Suite struct StatisticsCountingTests {
    let team = BoxSecretKey.generate()
    let member = SigningSecretKey.generate()

    func sealed(_ record: StatisticRecord, month: String? = nil, key: SigningSecretKey? = nil, to: BoxPublicKey? = nil,
                kind: EnvelopeKind = .statistic) throws -> SealedStatistic {
        var record = record
        try record.sign(with: key ?? member)
        let envelope = try Envelope.seal(try record.encoded(), kind: kind, to: [to ?? team.publicKey])
        return SealedStatistic(id: .generate(), month: try Month(parsing: month ?? record.month.text),
                               envelope: Base64URLBytes(envelope))
    }

    func record(_ grounds: [String], month: String = "2026-11") throws -> StatisticRecord {
        StatisticRecord(month: try Month(parsing: month), scheme: "advd-dezim-ads-2026", grounds: grounds, area: "housing",
                        form: nil, level: nil, interventions: ["counselling"], outcome: nil)
    }

    @Test func anAuthenticRecord_opens_andIsCountedOncePerValue() throws {
        let known: Set = [member.publicKey]
        let opened = try #require(StatsCommand.open(try sealed(try record(["racism", "racism", "religion"])), keyring: TeamKeyring(keys: [team], member: nil), known: known))
        var tally = StatisticsTally()
        tally.add(opened)
        tally.add(try record(["racism"], month: "2026-12"))
        #expect(tally.total == 2)
        #expect(tally.counts[.grounds] == ["racism": 2, "religion": 1])
        #expect(tally.counts[.form] == [StatisticsTally.notCoded: 2])
        #expect(tally.months.map { "\($0.key.text)=\($0.value)" }.sorted() == ["2026-11=1", "2026-12=1"])
        let text = tally.published(minCell: 1).text(scheme: try CodingScheme.load(), from: nil, to: nil)
        #expect(text.contains("Coded cases: 2"))
        #expect(text.contains("(racism)") && text.contains("2026-12"))
        // At the default threshold two cases are too few to publish: every count reads "< 5".
        let published = tally.published(minCell: 5)
        #expect(published.total == .hidden)
        let suppressed = published.text(scheme: try CodingScheme.load(), from: nil, to: nil)
        #expect(suppressed.contains("Coded cases: < 5") && !suppressed.contains("  2\n"))
        #expect(published.tables[.grounds]?.allSatisfy { $0.count == .hidden } == true)
    }

    @Test func published_hidesASmallCountAndTheNextSmallest_butShowsTheRest() throws {
        var tally = StatisticsTally()
        for _ in 0..<12 { tally.add(try record(["racism"])) }
        for _ in 0..<7 { tally.add(try record(["religion"])) }
        for _ in 0..<2 { tally.add(try record(["age"])) }
        let published = tally.published(minCell: 5)
        #expect(published.total == .shown(21))
        let grounds = Dictionary(uniqueKeysWithValues: (published.tables[.grounds] ?? []).map { ($0.id, $0.count) })
        #expect(grounds == ["racism": .shown(12), "religion": .hidden, "age": .hidden])
        let json = published.json(from: nil, to: nil, skipped: 0)
        #expect(json.contains("\"min_cell\" : 5") && json.contains("\"age\" : null") && json.contains("\"racism\" : 12"))
    }

    @Test func records_thatAreForeign_altered_misfiled_orOfAnotherKind_areNotCounted() throws {
        let known: Set = [member.publicKey]
        let r = try record(["racism"])
        #expect(StatsCommand.open(try sealed(r, key: SigningSecretKey.generate()), keyring: TeamKeyring(keys: [team], member: nil), known: known) == nil)
        #expect(StatsCommand.open(try sealed(r, to: BoxSecretKey.generate().publicKey), keyring: TeamKeyring(keys: [team], member: nil), known: known) == nil)
        #expect(StatsCommand.open(try sealed(r, month: "2026-10"), keyring: TeamKeyring(keys: [team], member: nil), known: known) == nil)
        #expect(StatsCommand.open(try sealed(r, kind: .coding), keyring: TeamKeyring(keys: [team], member: nil), known: known) == nil)
        var garbage = try sealed(r)
        garbage = SealedStatistic(id: garbage.id, month: garbage.month, envelope: Base64URLBytes(Random.bytes(2200)))
        #expect(StatsCommand.open(garbage, keyring: TeamKeyring(keys: [team], member: nil), known: known) == nil)
    }
}
