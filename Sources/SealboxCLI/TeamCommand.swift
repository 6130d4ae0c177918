// `sealbox team`: the team roster (docs/PROTOCOL.md §12). Every subcommand first fetches
// the roster and verifies it from trusted_leads against this workstation's pin; changes
// are entries signed with the lead's member key file (--staff-key / staff_key).
// Adding, removing, changing roles, listing, and key epochs (§12.5): once the roster
// announces an epoch, `add` grants every epoch to the new member, `rotate` starts a new
// epoch granted to every active member and the recovery key, and `remove` rotates in the
// same signed entry, so that nothing new is sealed to a key the removed member can open.
import ArgumentParser
import Foundation
import SealboxAPI
import SealboxCore
import SealboxCrypto
import SealboxWorkstation

struct TeamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Show and change the members of the counselling team.",
        discussion: """
            The roster lives on the server and changes only by an entry signed by a lead. \
            This workstation believes a roster only when it verifies from the leads named \
            in trusted_leads (SEALBOX_TRUSTED_LEADS, member public keys) and extends the \
            roster it verified before; otherwise every team command and `sealbox sync` \
            stop and say why. Sign with your member key file (made by `sealbox \
            keygen`) given as --staff-key or staff_key.

            Key epochs start with `team init --recovery-key …` or `team rotate \
            --recovery-key …`: from then on new items are sealed to the newest epoch key \
            and the office's recovery key, members open them through their grants \
            (fetched by `sealbox sync`), and `team remove` starts a new epoch.
            """,
        subcommands: [TeamInitCommand.self, TeamAddCommand.self, TeamRemoveCommand.self, TeamRoleCommand.self,
                      TeamRotateCommand.self, TeamListCommand.self])
}

/// The options and the set-up every team subcommand shares.
struct TeamOptions: ParsableArguments {
    @OptionGroup var staff: StaffOptions
    @OptionGroup var store: StoreOptions

    /// Opens the member key, the store and the roster client, and refreshes the roster.
    func open(purpose: String, signing: Bool) async throws(CLIError) -> (RosterClient, RosterVerifier, MemberSecretKey?) {
        let settings = try Settings.current()
        guard let trusted = try RosterClient.trustedLeads(settings: settings) else {
            throw CLIError("no trusted leads are set, so no roster can be verified",
                           hint: "set trusted_leads (or SEALBOX_TRUSTED_LEADS) to the member public keys of the first leads",
                           status: .usage)
        }
        let serverURL = try settings.server(flag: staff.server.server)
        let keyFile = try settings.requiredPath(.staffKey, flag: staff.server.staffKey, for: purpose)
        let trust = try settings.serverTrust(for: serverURL, caFileFlag: staff.server.serverCAFile,
                                             pinFlag: staff.server.serverCertificateSHA256)
        let signingKey: SigningSecretKey
        var member: MemberSecretKey?
        if signing {
            member = try KeyFiles.openMemberKey(at: keyFile, settings: settings, passphraseFlag: staff.passphrase.passphraseFile,
                                                staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile)
            signingKey = member!.signingKey
        } else {
            signingKey = try KeyFiles.openStaffKey(at: keyFile, settings: settings, passphraseFlag: staff.passphrase.passphraseFile,
                                                   staffPassphraseFlag: staff.staffPassphrase.staffPassphraseFile)
        }
        let (client, roster) = try await Self.connect(settings: settings, storeFlag: store.store, server: serverURL,
                                                      keyFile: keyFile, signingKey: signingKey, trust: trust, trusted: trusted)
        return (client, roster, member)
    }

    /// The roster client over the local store, and the roster refreshed and verified (also the desk's team page).
    static func connect(settings: Settings, storeFlag: String?, server: URL, keyFile: URL, signingKey: SigningSecretKey,
                        trust: ServerTrust, trusted: Set<MemberPublicKey>) async throws(CLIError) -> (RosterClient, RosterVerifier) {
        guard let local = try LocalStore.open(settings.storeDirectory(flag: storeFlag), create: true) else {
            throw CLIError("cannot open the local store")
        }
        let client = RosterClient(client: StaffClient(server: server, key: signingKey, keyFileName: keyFile.path, trust: trust),
                                  store: local, trustedLeads: trusted)
        return (client, try await client.refresh())
    }
}

struct TeamInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start the roster: add the first members (run by a first lead).",
        discussion: """
            Adds each member named by a public key file (NAME.key.pub, written by `sealbox \
            keygen --member`, whose label line gives the label), one signed entry each. The \
            first leads themselves are named in the server's staff.leads. Refused when the \
            roster has entries already: use `sealbox team add`.

            With --recovery-key (the public line of `sealbox recovery-keygen`, also in the \
            server's crypto.recovery_public_key), a last entry starts key epoch 1, granted to \
            every member and the recovery key: with --team-key FILE the office's existing team \
            key becomes epoch 1 (nothing stored is re-encrypted, every existing case stays \
            readable), without it a new key pair is made.
            """)

    @Option(name: .customLong("counsellor"), help: ArgumentHelp("A counsellor's public key file.", valueName: "file.pub"))
    var counsellors: [String] = []

    @Option(name: .customLong("lead"), help: ArgumentHelp("A further lead's public key file.", valueName: "file.pub"))
    var leads: [String] = []

    @Option(name: .customLong("recovery-key"), help: ArgumentHelp(
        "Start key epoch 1, granted to this recovery public key (text or file).", valueName: "key"))
    var recoveryKey: String?

    @Option(name: .customLong("team-key"), help: ArgumentHelp(
        "With --recovery-key: make this team key file epoch 1.", valueName: "file"))
    var teamKeyFile: String?

    func validate() throws {
        if teamKeyFile != nil, recoveryKey == nil {
            throw ValidationError("--team-key needs --recovery-key: key epochs are always granted to the recovery key too")
        }
    }

    @OptionGroup var team: TeamOptions

    func run() async throws {
        let recovery = try recoveryKey.map { key throws(CLIError) in try EpochGrants.recoveryKey(key) }
        let (client, roster, signer) = try await team.open(purpose: "`sealbox team init`", signing: true)
        guard roster.head.seq == 0 else {
            throw CLIError("the roster has \(Terminal.count(Int(roster.head.seq), "entry", "entries")) already",
                           hint: "add members one by one with `sealbox team add`")
        }
        var members: [RosterMemberField] = []
        for (file, role) in counsellors.map({ ($0, RosterRole.counsellor) }) + leads.map({ ($0, RosterRole.lead) }) {
            let (key, label) = try KeyFiles.memberPublicKey(file)
            guard let label else {
                throw CLIError("\(file) has no label line", hint: "add this member with `sealbox team add LABEL --key \(file)`")
            }
            members.append(RosterMemberField(label: label, key: key, role: role))
        }
        guard !members.isEmpty else { throw CLIError("name at least one member with --counsellor or --lead", status: .usage) }
        let first = try TeamRotateCommand.firstEpochKey(teamKeyFile: teamKeyFile, passphraseFlag: team.staff.passphrase.passphraseFile)
        var current = roster
        for member in members {
            current = try await client.append(current, signer: signer!, action: .add, member: member)
            print("Added \(Terminal.displaySafe(member.label)) as \(member.role!.rawValue) (entry \(current.head.seq)).")
        }
        if let recovery {
            current = try await TeamRotateCommand.rotate(current, client: client, signer: signer!, recovery: recovery,
                                                         newKey: first)
            print("Started key epoch 1 (entry \(current.head.seq)), granted to every member and the recovery key.")
        }
    }
}

struct TeamAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a member to the team (leads only).")

    @Argument(help: ArgumentHelp("The member's label, as the team will see it.", valueName: "label"))
    var label: String

    @Option(name: .customLong("key"), help: ArgumentHelp("The member's public key file (NAME.key.pub) or key text.", valueName: "file.pub"))
    var key: String

    @Option(name: .customLong("role"), help: "counsellor or lead.")
    var role: RosterRole = .counsellor

    @OptionGroup var team: TeamOptions

    func run() async throws {
        try Self.check(label: label)
        let (memberKey, _) = try KeyFiles.memberPublicKey(key)
        let (client, roster, signer) = try await team.open(purpose: "`sealbox team add`", signing: true)
        let after = try await Self.add(label: label, key: memberKey, role: role, client: client, roster: roster, signer: signer!)
        print("Added \(Terminal.displaySafe(label)) as \(role.rawValue) (entry \(after.head.seq))"
              + (roster.epoch > 0 ? ", with grants of \(Terminal.count(Int(roster.epoch), "key epoch"))." : "."))
    }
}

extension TeamAddCommand {
    /// Refuses a label the roster cannot hold (status 2).
    static func check(label: String) throws(CLIError) {
        guard RosterLabel.isValid(label) else {
            throw CLIError("\"\(Terminal.displaySafe(String(label.prefix(70))))\" cannot be a label",
                           hint: "a label has 1 to 64 characters, without , or = and without spaces at either end", status: .usage)
        }
    }

    /// Appends the signed `add` entry, with grants of every epoch so far (she reads every existing case).
    static func add(label: String, key memberKey: MemberPublicKey, role: RosterRole, client: RosterClient,
                    roster: RosterVerifier, signer: MemberSecretKey) async throws(CLIError) -> RosterVerifier {
        try check(label: label)
        let secrets = try await EpochGrants.held(by: signer, roster: roster, client: client)
        return try await client.append(roster, signer: signer, action: .add,
                                       member: RosterMemberField(label: label, key: memberKey, role: role)) {
            entry, next throws(CLIError) in try EpochGrants.make(entry, before: roster, after: next, secrets: secrets)
        }
    }
}

struct TeamRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a member from the team (leads only).",
        discussion: """
            From the moment the server stores the entry, it refuses the member's requests \
            (HTTP 401) and deletes her grants. With key epochs the same entry starts a new \
            epoch, granted to the remaining members and the recovery key: nothing sealed \
            afterwards opens with her key. What she copied before stays readable to her.
            """)

    @Argument(help: ArgumentHelp("The member's label.", valueName: "label"))
    var label: String

    @OptionGroup var team: TeamOptions

    func run() async throws {
        let (client, roster, signer) = try await team.open(purpose: "`sealbox team remove`", signing: true)
        let after = try await Self.remove(label: label, client: client, roster: roster, signer: signer!)
        guard after.epoch > roster.epoch else {
            print("Removed \(Terminal.displaySafe(label)) (entry \(after.head.seq)). The server refuses her requests from now on.")
            return
        }
        print("Removed \(Terminal.displaySafe(label)) and started key epoch \(after.epoch) (entry \(after.head.seq)). "
              + "The server refuses her requests from now on, and nothing new is sealed to a key she holds.")
    }

    /// Appends the signed `remove` entry; with key epochs the same entry starts a new epoch.
    static func remove(label: String, client: RosterClient, roster: RosterVerifier,
                       signer: MemberSecretKey) async throws(CLIError) -> RosterVerifier {
        guard let member = roster.activeMember(label: label) else { throw noMember(label) }
        let field = RosterMemberField(label: member.label, key: member.key, role: nil)
        guard let newest = roster.newestEpoch, let recovery = newest.recovery else {
            return try await client.append(roster, signer: signer, action: .remove, member: field)
        }
        let fresh = BoxSecretKey.generate()
        let epoch = RosterEpochField(number: newest.number + 1, key: fresh.publicKey, recovery: recovery)
        return try await client.append(roster, signer: signer, action: .remove, member: field, epoch: epoch) {
            entry, next throws(CLIError) in
            try EpochGrants.make(entry, before: roster, after: next, secrets: [.epoch(epoch.number): fresh])
        }
    }
}

struct TeamRoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "role", abstract: "Make a member a lead or a counsellor (leads only).")

    @Argument(help: ArgumentHelp("The member's label.", valueName: "label"))
    var label: String

    @Argument(help: "lead or counsellor.")
    var role: RosterRole

    @OptionGroup var team: TeamOptions

    func run() async throws {
        let (client, roster, signer) = try await team.open(purpose: "`sealbox team role`", signing: true)
        guard let member = roster.activeMember(label: label) else { throw noMember(label) }
        let after = try await client.append(roster, signer: signer!, action: .role,
                                            member: RosterMemberField(label: member.label, key: member.key, role: role))
        print("\(Terminal.displaySafe(label)) is now \(role.rawValue) (entry \(after.head.seq)).")
    }
}

struct TeamRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate", abstract: "Start a new key epoch for new items (leads only).",
        discussion: """
            Makes a new epoch key pair on this workstation, grants it to every active member \
            and the recovery key, and announces it in the roster. New items are sealed to it \
            from then on; older items stay readable through the older grants. The first \
            rotation starts key epochs and needs --recovery-key (and --team-key FILE to make \
            the office's existing team key epoch 1); --recovery-key later changes the \
            recovery key (it must be the server's crypto.recovery_public_key).
            """)

    @Option(name: .customLong("recovery-key"), help: ArgumentHelp(
        "The recovery public key (text or file); default: the one the newest epoch names.", valueName: "key"))
    var recoveryKey: String?

    @Option(name: .customLong("team-key"), help: ArgumentHelp(
        "For the first epoch: make this team key file epoch 1.", valueName: "file"))
    var teamKeyFile: String?

    @OptionGroup var team: TeamOptions

    func run() async throws {
        let given = try recoveryKey.map { key throws(CLIError) in try EpochGrants.recoveryKey(key) }
        let (client, roster, signer) = try await team.open(purpose: "`sealbox team rotate`", signing: true)
        guard let recovery = given ?? roster.newestEpoch?.recovery else {
            throw CLIError("the team has no key epoch yet, so the first one needs the recovery key",
                           hint: "give --recovery-key with the public line of `sealbox recovery-keygen`", status: .usage)
        }
        if teamKeyFile != nil, roster.epoch > 0 {
            throw CLIError("--team-key makes the team key epoch 1, but the team has epoch \(roster.epoch) already", status: .usage)
        }
        let first = try Self.firstEpochKey(teamKeyFile: teamKeyFile, passphraseFlag: team.staff.passphrase.passphraseFile)
        let after = try await Self.rotate(roster, client: client, signer: signer!, recovery: recovery, newKey: first)
        print("Started key epoch \(after.epoch) (entry \(after.head.seq)), granted to "
              + "\(Terminal.count(after.activeMembers.count, "active member")) and the recovery key.")
    }

    /// The team key of `--team-key` (asks its passphrase), or nil for a fresh key pair.
    static func firstEpochKey(teamKeyFile: String?, passphraseFlag: String?) throws(CLIError) -> BoxSecretKey? {
        guard let teamKeyFile else { return nil }
        let settings = try Settings.current()
        return try KeyFiles.openTeamKey(at: URL(fileURLWithPath: teamKeyFile), settings: settings, passphraseFlag: passphraseFlag)
    }

    /// Appends a `rotate` entry with a new epoch (`newKey`, or a fresh key pair) and its grants.
    static func rotate(_ roster: RosterVerifier, client: RosterClient, signer: MemberSecretKey, recovery: BoxPublicKey,
                       newKey: BoxSecretKey?) async throws(CLIError) -> RosterVerifier {
        let fresh = newKey ?? BoxSecretKey.generate()
        let epoch = RosterEpochField(number: roster.epoch + 1, key: fresh.publicKey, recovery: recovery)
        return try await client.append(roster, signer: signer, action: .rotate, member: nil, epoch: epoch) {
            entry, next throws(CLIError) in
            try EpochGrants.make(entry, before: roster, after: next, secrets: [.epoch(epoch.number): fresh])
        }
    }
}

struct TeamListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Show the team's members, as verified from the trusted leads.")

    @Flag(name: .customLong("json"), help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var team: TeamOptions

    struct Listed: Encodable {
        let label: String
        let role: String
        let member_id: String
        let key: String
        let active: Bool
        let since: UInt64
    }

    struct Listing: Encodable {
        let head: RosterHeadBody
        let members: [Listed]
    }

    func run() async throws {
        let (_, roster, _) = try await team.open(purpose: "`sealbox team list`", signing: false)
        let members = roster.members.map {
            Listed(label: $0.label, role: $0.role.rawValue, member_id: $0.id.hex, key: $0.key.text, active: $0.active,
                   since: $0.since)
        }
        if json {
            print(Terminal.prettyJSON(Listing(head: RosterHeadBody(roster.head), members: members)))
            return
        }
        let rows = [["LABEL", "ROLE", "MEMBER ID", "STATUS", "SINCE"]] + members.map {
            [Terminal.displaySafe($0.label), $0.role, $0.member_id, $0.active ? "active" : "removed",
             $0.since == 0 ? "first lead" : "entry \($0.since)"]
        }
        print(TextTable.render(rows), terminator: "")
        print("Roster verified up to entry \(roster.head.seq).")
    }
}

extension RosterRole: ExpressibleByArgument {}

private func noMember(_ label: String) -> CLIError {
    CLIError("the team has no active member labelled \"\(Terminal.displaySafe(String(label.prefix(70))))\"",
             hint: "see the labels with `sealbox team list`")
}
