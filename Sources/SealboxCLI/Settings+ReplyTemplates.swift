// The reply templates named by the settings: the shipped ones with the office's
// `reply_templates` folder over them (docs/REPLY-TEMPLATES.md), for `sealbox reply
// --template` and the desk's composer.
import SealboxWorkstation

extension Settings {
    /// The reply templates; a broken office file is an error naming the file.
    func replyTemplates() throws(CLIError) -> ReplyTemplates {
        do {
            return try ReplyTemplates.load(officeFolder: path(.replyTemplates, flag: nil))
        } catch {
            throw CLIError(error.message, hint: "fix the reply templates folder (reply_templates, SEALBOX_REPLY_TEMPLATES)")
        }
    }
}
