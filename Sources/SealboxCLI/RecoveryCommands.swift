// `sealbox recovery-keygen` and `sealbox recover` (docs/PROTOCOL.md §12.6, OPERATIONS
// "Recovery"). The recovery key's secret never touches a disk: recovery-keygen prints it
// once as two parts for paper, and recover reads both parts (from the terminal, or two
// lines on standard input), checks each part's check characters before anything is
// derived, joins them in memory, opens the grants sealed to the recovery key and grants
// them to the member's new key in one signed `rekey` entry, which also starts a new epoch.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto

struct RecoveryKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recovery-keygen",
        abstract: "Create the office's recovery key and print it once, for paper.",
        discussion: """
            Prints a text block: the public line (for the server's \
            crypto.recovery_public_key and `sealbox team init --recovery-key`) and the \
            secret in two parts, A and B, each with two check characters. Print or copy it \
            by hand onto paper, give part A and part B to two different people, and keep \
            them offline; nothing is written to disk. Restoring a member's access with it \
            (`sealbox recover`) takes both parts: the two-person procedure of OPERATIONS.md.
            """)

    @Option(name: .customLong("office"), help: ArgumentHelp("The office's name, printed in the block's first line.", valueName: "name"))
    var office: String = "—"

    func run() throws {
        let key = BoxSecretKey.generate()
        let (a, b) = RecoveryPaper.split(key)
        print("SEALBOX RECOVERY KEY v1 — office: \(Terminal.displaySafe(office)) — made \(Day.today().text)")
        print("public: \(key.publicKey.recoveryText)")
        print("secret, part A: \(RecoveryPaper.paperLine(a, letter: "A"))")
        print("secret, part B: \(RecoveryPaper.paperLine(b, letter: "B"))")
        Terminal.error("sealbox: this is the only time the secret is shown: put parts A and B on paper for two different people.")
    }
}

struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Give a member who lost her key a new one, with the recovery key (leads only).",
        discussion: """
            Asks for part A and part B of the recovery key (on the terminal, or as two \
            lines on standard input), opens the key epochs granted to the recovery key and \
            grants every one of them to the member's new key (NAME.key.pub, made by \
            `sealbox keygen --member`). One signed entry replaces her key (action rekey) \
            and starts a new key epoch: her old key is refused from then on, and she reads \
            every case, old and new, with the new one. Two people: the holders of part A \
            and part B (OPERATIONS.md "Recovery").
            """)

    @Option(name: .customLong("member"), help: ArgumentHelp("The member's label.", valueName: "label"))
    var label: String

    @Option(name: .customLong("key"), help: ArgumentHelp("Her new public key file (NAME.key.pub) or key text.", valueName: "file.pub"))
    var key: String

    @OptionGroup var team: TeamOptions

    func run() async throws {
        let (newKey, _) = try KeyFiles.memberPublicKey(key)
        let (client, roster, signer) = try await team.open(purpose: "`sealbox recover`", signing: true)
        guard let member = roster.activeMember(label: label) else {
            throw CLIError("the team has no active member labelled \"\(Terminal.displaySafe(String(label.prefix(70))))\"",
                           hint: "see the labels with `sealbox team list`")
        }
        guard let newest = roster.newestEpoch, let recoveryPublic = newest.recovery else {
            throw CLIError("the team has no key epoch, so nothing is granted to the recovery key",
                           hint: "without key epochs, give the member the team key file instead")
        }
        let recovery = try Self.readRecoveryKey(expected: recoveryPublic)
        let records = try await client.fetchGrants(recovery: true)
        var secrets = try EpochGrants.open(records, with: recovery, roster: roster, whose: "the recovery key")
        let fresh = BoxSecretKey.generate()
        let epoch = RosterEpochField(number: newest.number + 1, key: fresh.publicKey, recovery: recoveryPublic)
        secrets[.epoch(epoch.number)] = fresh
        let after = try await client.append(roster, signer: signer!, action: .rekey,
                                            member: RosterMemberField(label: member.label, key: newKey, role: nil),
                                            epoch: epoch) { entry, next throws(CLIError) in
            try EpochGrants.make(entry, before: roster, after: next, secrets: secrets)
        }
        print("\(Terminal.displaySafe(member.label)) now has the key \(newKey.memberID.hex) with grants of "
              + "\(Terminal.count(Int(epoch.number), "key epoch")) (entry \(after.head.seq)); her old key "
              + "\(member.id.hex) is refused from now on.")
    }

    /// Reads parts A and B and joins them; the key must be `expected`.
    static func readRecoveryKey(expected: BoxPublicKey) throws(CLIError) -> BoxSecretKey {
        let a = try readPart("A")
        let b = try readPart("B")
        let joined: BoxSecretKey
        do {
            joined = try RecoveryPaper.join(a, b)
        } catch {
            throw CLIError("the two parts do not make a key")
        }
        guard joined.publicKey == expected else {
            throw CLIError("\(RecoveryPartError.wrongKey)",
                           hint: "check that both parts belong to the recovery key \(expected.recoveryText)", status: .authentication)
        }
        return joined
    }

    private static func readPart(_ letter: String) throws(CLIError) -> SecureBytes {
        let tries = Terminal.stdinIsTerminal ? 3 : 1
        var last = RecoveryPartError.check
        for _ in 0..<tries {
            let typed: String
            if Terminal.stdinIsTerminal {
                let bytes = try Passphrase.ask("Part \(letter) of the recovery key: ")
                typed = String(decoding: bytes.unsafeCopyBytes, as: UTF8.self)
            } else {
                guard let line = readLine(strippingNewline: true) else {
                    throw CLIError("part \(letter) of the recovery key is missing",
                                   hint: "give part A and part B as two lines on standard input", status: .usage)
                }
                typed = line.replacingOccurrences(of: "secret, part \(letter):", with: "")
            }
            do {
                return try RecoveryPaper.read(typed, letter: letter)
            } catch {
                last = error
                Terminal.error("sealbox: part \(letter): \(error)")
            }
        }
        throw CLIError("part \(letter) of the recovery key: \(last)", hint: "compare it with the paper, character by character",
                       status: .usage)
    }
}
