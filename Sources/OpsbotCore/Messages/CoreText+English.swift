import Foundation

extension CoreText {
    public var english: String {
        let e = HTML.escape
        switch self {
        case .malformedCommand(let why): return "⚠️ \(why.english). Send /help for the list of commands."
        case .notACommandName(let name): return "\"/\(e(name))\" is not a command name"
        case .quoteNotClosed: return "a quote is not closed"
        case .unknownCommand(let name, let suggestion):
            return "Unknown command /\(e(name))\(suggestion.map { " (did you mean /\(e($0))?)" } ?? ""). Send /help for the list."
        case .needsRole(let name, let roles): return "⛔ /\(e(name)) needs the role \(e(roles.joined(separator: " or "))), which you do not have."
        case .commandNotConfigured(let name, let why): return "⚪ /\(e(name)) is not configured here: \(e(why))."
        case .working(let name): return "⏳ /\(e(name)) is running…"
        case .timedOut(let name, let s): return "⏱ /\(e(name)) did not finish within \(Durations.format(s)) and was stopped (the command's timeout)."
        case .notAuthorized: return "⛔ Not authorized. This bot answers its admins only."
        case .buttonNotAuthorized: return "⛔ Not authorized."
        case .buttonNoLongerValid: return "This button is no longer valid."
        case .buttonUnknownConfirmation: return "This button is no longer valid (expired, or opsbot restarted). Nothing ran."
        case .runningToast: return "Running…"
        case .cancelledToast: return "Cancelled. Nothing ran."
        case .cancelledBy(let who): return "✖ Cancelled by \(e(who)). Nothing ran."
        case .adminWithoutUsername(let id): return "admin \(id)"
        case .expiredToast: return "Expired. Nothing ran."
        case .expiredNothingRan: return "⌛ Expired. Nothing ran."
        case .expiredAfter(let s): return "⌛ Expired after \(Durations.format(s)). Nothing ran."
        case .alreadyRunning: return "Already running. It runs only once."
        case .alreadyDone: return "Already done. It runs only once."
        case .alreadyCancelled: return "Already cancelled. Nothing ran."
        case .stillPending: return "Still pending."
        case .previewStillSending: return "This confirmation is still being sent — press again in a moment. Nothing ran."
        case .wrongMessage: return "This button does not belong to this message."
        case .onlyAskerCancels: return "only the admin who asked can cancel this"
        case .onlyAskerConfirms: return "only the admin who asked can confirm this"
        case .twoPersonRule: return "two-person rule: another admin must confirm"
        case .onlyAskerChooses: return "only the admin who asked can choose here"
        case .refusedPress(let why): return "⛔ " + why.english
        case .expiresIn(let s, let approver):
            let who = switch approver {
            case .initiator: ""
            case .anyAdmin: " Any admin may confirm."
            case .secondAdmin: " Another admin must confirm (two-person rule)."
            }
            return "<i>Expires in \(Durations.format(s)).\(who)</i>"
        case .confirmButton(let label): return "✅ " + label
        case .confirmDefault: return "Confirm"
        case .cancelButton: return "✖ Cancel"
        case .confirmedBy(let who, let s): return "<i>confirmed by \(e(who)) · \(String(format: "%.1f", s)) s</i>"
        case .doneOutputBelow(let who): return "✅ done (confirmed by \(e(who))) — output below"
        case .doneOutputBelowPlain: return "✅ done — output below"
        case .runningConfirmed(let who): return "⏳ running… (confirmed by \(e(who)))"
        case .interruptedByRestart(let action):
            return "⚠️ opsbot stopped while this was running; it was not run again. Check its effect. (\(e(action)))"
        case .expiredByRestart(let action): return "⌛ This confirmation expired when opsbot restarted. Nothing ran. (\(e(action)))"
        case .outputAsFile(let n): return "Output is \(n) characters, sent as a file."
        case .seeFileAbove: return "⬆️ See the file above."
        case .consoleEdited: return "(edited)"
        case .consolePhoto(let f, let n, let path, let saved):
            return saved ? "🖼 \(f) (\(n) bytes) saved to \(path)" : "🖼 \(f) (\(n) bytes): could not be saved to \(path)"
        case .consoleFile(let f, let n, let path, let saved):
            return saved ? "📎 \(f) (\(n) bytes) saved to \(path); first lines:" : "📎 \(f) (\(n) bytes):"
        case .consolePressHint: return "(type a number to press a button)"
        case .consoleNoSuchButton(let n): return "(no button [\(n)] was shown in this session)"
        case .consoleNotACommand: return "(commands start with /, e.g. /help)"
        case .consoleButtonGone(let number, let label, let id):
            return "[\(number)] \(label) of message #\(id) is no longer shown (the message changed: answered, expired or resolved); nothing was pressed"
        case .catalogInvalid(let files):
            return e("catalog: \(files.count) file\(files.count == 1 ? "" : "s") invalid (" + files.joined(separator: "; ") + ")")
        case .pong: return "🏓 pong"
        case .pongTimed(let ms, let up): return "🏓 pong — reply round trip \(ms) ms, up \(Durations.format(up))"
        case .helpNoCommand(let name): return "No command /\(e(name)). Send /help for the list."
        case .helpHeader(let synopsis): return "<b>\(e(synopsis))</b>"
        case .helpUsage(let text): return e(text)
        case .helpListLine(let synopsis, let description, let confirm): return "\(e(synopsis)) — \(e(description))\(confirm ? " ⚠️" : "")"
        case .helpArgument(let name, let type, let values, let def, let desc):
            var d = "• <code>\(e(name))</code> — \(type.rawValue)"
            if !values.isEmpty { d += " (\(e(values.joined(separator: ", "))))" }
            if let def { d += ", default \(e(def))" }
            if let desc { d += ": \(e(desc))" }
            return d
        case .helpNotConfigured(let why): return "⚪ not configured here: \(e(why))"
        case .helpAsksConfirmation: return "⚠️ asks for confirmation before it runs"
        case .helpRoles(let roles): return "roles: \(e(roles.joined(separator: ", ")))"
        case .helpTitle: return "<b>opsbot commands</b>"
        case .helpNotConfiguredList(let names):
            return "\n⚪ not configured here: " + names.map { "/" + e($0) }.joined(separator: ", ") + " (/help &lt;command&gt; says why)"
        case .helpFooter: return "\n⚠️ = asks for confirmation. /help &lt;command&gt; for details."
        case .auditUnreadable(let error): return e("Cannot read the audit log: \(error)")
        case .auditEmpty: return "The audit log is empty."
        case .auditTitle(let n): return "Audit log, last \(n) (UTC)"
        case .shellNoOutput: return "(no output)"
        case .shellOutputCut: return "… output cut at the cap"
        case .shellCouldNotRun(let command, let error): return "🔴 <code>\(e(command))</code> could not run: \(e(error))"
        case .shellWillRun(let command): return "Will run:\n<pre>\(e(command))</pre>"
        case .shellRunButton: return "Run"
        case .mustBeWholeNumber(let name, let got): return e("\(name) must be a whole number, got \"\(got)\"")
        case .atLeast(let name, let min, let got): return e("\(name) must be at least \(min), got \(got)")
        case .atMost(let name, let max, let got): return e("\(name) must be at most \(max), got \(got)")
        case .durationNeedsUnit(let name, let got): return e("\(name) needs a unit: \(got)s, \(got)m or \(got)h? (got \"\(got)\")")
        case .mustBeDuration(let name, let got): return e("\(name) must be a duration such as 90s, 15m or 1h, got \"\(got)\"")
        case .durationAtLeast(let name, let s): return e("\(name) must be at least \(Durations.format(s))")
        case .durationAtMost(let name, let s): return e("\(name) must be at most \(Durations.format(s))")
        case .unknownService(let got, let known, let all):
            return e("unknown service \"\(got)\" (known: \(Self.knownList(known, all)))")
        case .mustBeOneOf(let name, let values, let got): return e("\(name) must be one of \(values.joined(separator: ", ")), got \"\(got)\"")
        case .missingArgument(let name, let synopsis): return e("missing \(name). Usage: \(synopsis)")
        case .missingService(let name, let known, let all, let synopsis):
            return e("missing \(name) (services: \(Self.knownList(known, all))). Usage: \(synopsis)")
        case .tooManyArguments(let rest, let synopsis): return e("too many arguments (\"\(rest)\"). Usage: \(synopsis)")
        case .notAllowedCharacters(let name, let got, let pattern):
            return e("\(name) \"\(got)\" has characters that are not allowed (expected \(pattern))")
        case .invalidPattern(let name): return e("\(name): the catalog's pattern is invalid")
        }
    }

    static func knownList(_ known: [String], _ all: Bool) -> String {
        known.isEmpty ? "none configured" : known.joined(separator: ", ") + (all ? ", all" : "")
    }
}
