// The team page (docs/design/DESK.md §5): the members with their roles, member ids and
// status, the key epoch, and for a lead the forms to add and remove members, start a new
// key epoch and restrict a case. Each form posts with its form token; removing a member
// and rotating ask again on a page of their own before anything is signed. A member who
// is not a lead sees the team read-only and is told that only leads may change it.
import Foundation
import SealboxCore
import SealboxCrypto
import SealboxHTML
import SealboxL10n

extension DeskPages {
    func team(_ team: DeskTeam, message: HTML = .empty) -> String {
        let heading = texts["team.heading"]
        var main: HTML = "<h1>\(escaping: heading)</h1>\n"
        main += "<p>\(escaping: texts.format("team.verified", String(team.seq)))</p>\n"
        main += "<p>\(escaping: team.epoch == 0 ? texts["team.no_epochs"] : texts.format("team.epoch", String(team.epoch)))</p>\n"
        main += """
            <table class="team">
            <caption>\(t("team.caption"))</caption>
            <thead><tr><th scope="col">\(t("team.col.label"))</th><th scope="col">\(t("team.col.role"))</th>\
            <th scope="col">\(t("team.col.id"))</th><th scope="col">\(t("team.col.status"))</th>\
            <th scope="col">\(t("team.col.since"))</th></tr></thead>
            <tbody>

            """
        for member in team.members {
            let label = member.isYou ? texts.format("team.you", member.label) : member.label
            let since = member.since == 0 ? texts["team.first_lead"] : texts.format("team.entry", String(member.since))
            main += "<tr><th scope=\"row\">\(escaping: label)</th><td>\(t("team.role." + member.role.rawValue))</td>"
                + "<td><code>\(escaping: member.keyID)</code></td>"
                + "<td>\(t(member.active ? "team.active" : "team.removed"))</td><td>\(escaping: since)</td></tr>\n"
        }
        main += "</tbody>\n</table>\n"
        guard team.youAreLead else {
            main += "<p class=\"notice\"><strong>\(t("team.leads_only"))</strong></p>\n"
            return layout(title: heading, unlocked: true, message: message, main)
        }
        let active = team.members.filter(\.active)
        var memberOptions = HTML.empty
        for member in active where !member.isYou {
            memberOptions += "<option value=\"\(escaping: member.label)\">\(escaping: member.label)</option>"
        }
        var roleOptions = HTML.empty
        for role in [RosterRole.counsellor, .lead] {
            roleOptions += "<option value=\"\(escaping: role.rawValue)\">\(t("team.role." + role.rawValue))</option>"
        }
        main += """
            <section aria-labelledby="add-h"><h2 id="add-h">\(t("team.add.heading"))</h2>
            <form method="post" action="/team/add">\(tokenField("/team/add"))
            <p><label for="add-label">\(t("team.add.label"))</label>
            <input type="text" id="add-label" name="label" maxlength="64" required></p>
            <p><label for="add-key">\(t("team.add.key"))</label>
            <span id="add-key-hint">\(t("team.add.key.hint"))</span><br>
            <textarea id="add-key" name="key" rows="4" cols="60" required aria-describedby="add-key-hint"></textarea></p>
            <p><label for="add-role">\(t("team.add.role"))</label>
            <select id="add-role" name="role">\(roleOptions)</select></p>
            \(passphraseField("add"))
            <p><button type="submit">\(t("team.add.submit"))</button></p>
            </form></section>

            """
        if !memberOptions.markup.isEmpty {
            main += """
                <section aria-labelledby="remove-h"><h2 id="remove-h">\(t("team.remove.heading"))</h2>
                <p>\(t("team.remove.text"))</p>
                <form method="post" action="/team/remove">\(tokenField("/team/remove"))
                <p><label for="remove-label">\(t("team.remove.label"))</label>
                <select id="remove-label" name="label">\(memberOptions)</select></p>
                <p><button type="submit">\(t("team.remove.submit"))</button></p>
                </form></section>

                """
        }
        main += """
            <section aria-labelledby="rotate-h"><h2 id="rotate-h">\(t("team.rotate.heading"))</h2>
            <p>\(t("team.rotate.text"))</p>
            <form method="post" action="/team/rotate">\(tokenField("/team/rotate"))
            <p><button type="submit">\(t("team.rotate.submit"))</button></p>
            </form></section>
            <section aria-labelledby="restrict-h"><h2 id="restrict-h">\(t("team.restrict.heading"))</h2>
            <p>\(t("team.restrict.text"))</p>
            <form method="post" action="/team/restrict">\(tokenField("/team/restrict"))
            <p><label for="restrict-case">\(t("team.restrict.case"))</label>
            <input type="text" id="restrict-case" name="case" size="12" required></p>
            <p><label for="restrict-to">\(t("team.restrict.to"))</label>
            <span id="restrict-to-hint">\(escaping: texts.format("team.restrict.to.hint",
                                                                active.map(\.label).joined(separator: ", ")))</span><br>
            <input type="text" id="restrict-to" name="to" size="40" required aria-describedby="restrict-to-hint"></p>
            \(passphraseField("restrict"))
            <p><button type="submit">\(t("team.restrict.submit"))</button></p>
            </form></section>

            """
        return layout(title: heading, unlocked: true, message: message, main)
    }

    /// The passphrase that opens the lead's member key file for this one change.
    func passphraseField(_ id: String) -> HTML {
        """
        <p><label for="\(escaping: id)-passphrase">\(t("team.passphrase"))</label>
        <span id="\(escaping: id)-passphrase-hint">\(t("team.passphrase.hint"))</span><br>
        <input type="password" id="\(escaping: id)-passphrase" name="passphrase" autocomplete="current-password" \
        required aria-describedby="\(escaping: id)-passphrase-hint"></p>
        """
    }

    /// The second page of a dangerous change (remove, rotate): what will happen, the
    /// passphrase, and a button that signs it; or back to the team page.
    func teamConfirm(_ change: DeskTeamChange, message: HTML = .empty) -> String {
        let heading: String
        let what: String
        var hidden = HTML.empty
        let path: String
        switch change {
        case .remove(let label):
            heading = texts["team.remove.heading"]
            what = texts.format("team.remove.confirm", label)
            hidden = "<input type=\"hidden\" name=\"label\" value=\"\(escaping: label)\">"
            path = "/team/remove/confirm"
        default:
            heading = texts["team.rotate.heading"]
            what = texts["team.rotate.confirm"]
            path = "/team/rotate/confirm"
        }
        let main: HTML = """
            <h1>\(escaping: heading)</h1>
            <div class="verdict verdict-bad"><p><strong>⚠ \(t("team.confirm.warning"))</strong> \(escaping: what)</p></div>
            <form method="post" action="\(escaping: path)">\(tokenField(path))\(hidden)
            \(passphraseField("confirm"))
            <p><button type="submit">\(t("team.confirm.submit"))</button></p>
            </form>
            <p><a href="/team">\(t("team.confirm.cancel"))</a></p>
            """
        return layout(title: heading, unlocked: true, message: message, main)
    }
}
