import Foundation

/// What the router, confirmations, progress, /help, /ping, /audit and argument checks say in
/// the chat. Every value is HTML: outside text is escaped by the renderers.
public enum CoreText: MessageCatalog, Hashable {
    // router
    indirect case malformedCommand(why: CoreText)
    case notACommandName(name: String)
    case quoteNotClosed
    case unknownCommand(name: String, suggestion: String?)
    case needsRole(name: String, roles: [String])
    case commandNotConfigured(name: String, why: String)
    case working(name: String)
    case timedOut(name: String, seconds: Double)
    case notAuthorized
    case buttonNotAuthorized
    // buttons and confirmations
    case buttonNoLongerValid
    case buttonUnknownConfirmation
    case runningToast
    case cancelledToast
    case cancelledBy(who: String)
    case adminWithoutUsername(id: Int64)
    case expiredToast
    case expiredNothingRan
    case expiredAfter(seconds: Double)
    case alreadyRunning
    case alreadyDone
    case alreadyCancelled
    case stillPending
    case previewStillSending
    case wrongMessage
    case onlyAskerCancels
    case onlyAskerConfirms
    case twoPersonRule
    case onlyAskerChooses
    indirect case refusedPress(why: CoreText)
    case expiresIn(seconds: Double, approver: Config.Approver)
    case confirmButton(label: String)
    case confirmDefault
    case cancelButton
    case confirmedBy(who: String, seconds: Double)
    case doneOutputBelow(who: String)
    case doneOutputBelowPlain
    case runningConfirmed(who: String)
    case interruptedByRestart(action: String)
    case expiredByRestart(action: String)
    // transport
    case outputAsFile(characters: Int)
    case seeFileAbove
    // the console (a terminal stands in for the chat)
    case consoleEdited
    case consolePhoto(filename: String, bytes: Int, path: String, saved: Bool)
    case consoleFile(filename: String, bytes: Int, path: String, saved: Bool)
    case consolePressHint
    case consoleNoSuchButton(number: Int)
    case consoleNotACommand
    case consoleButtonGone(number: Int, label: String, messageID: Int64)
    // /status
    case catalogInvalid(files: [String])
    // /ping
    case pong
    case pongTimed(milliseconds: Int, uptime: Double)
    // /help
    case helpNoCommand(name: String)
    case helpHeader(synopsis: String)
    case helpUsage(text: String)
    case helpListLine(synopsis: String, description: String, confirm: Bool)
    case helpArgument(name: String, type: ArgumentSpec.Kind, values: [String], defaultValue: String?, description: String?)
    case helpNotConfigured(why: String)
    case helpAsksConfirmation
    case helpRoles(roles: [String])
    case helpTitle
    case helpNotConfiguredList(names: [String])
    case helpFooter
    // /audit
    case auditUnreadable(error: String)
    case auditEmpty
    case auditTitle(count: Int)
    // catalog `command` modules
    case shellNoOutput
    case shellOutputCut
    case shellCouldNotRun(command: String, error: String)
    case shellWillRun(command: String)
    case shellRunButton
    // arguments
    case mustBeWholeNumber(name: String, got: String)
    case atLeast(name: String, min: Int, got: Int)
    case atMost(name: String, max: Int, got: Int)
    case durationNeedsUnit(name: String, got: String)
    case mustBeDuration(name: String, got: String)
    case durationAtLeast(name: String, seconds: Double)
    case durationAtMost(name: String, seconds: Double)
    case unknownService(got: String, known: [String], allowAll: Bool)
    case mustBeOneOf(name: String, values: [String], got: String)
    case missingArgument(name: String, synopsis: String)
    case missingService(name: String, known: [String], allowAll: Bool, synopsis: String)
    case tooManyArguments(rest: String, synopsis: String)
    case notAllowedCharacters(name: String, got: String, pattern: String)
    case invalidPattern(name: String)

    public static var samples: [CoreText] {
        [
            .malformedCommand(why: .quoteNotClosed), .notACommandName(name: "статус"), .quoteNotClosed,
            .unknownCommand(name: "restat", suggestion: "restart"), .needsRole(name: "sql", roles: ["dba", "ops"]),
            .commandNotConfigured(name: "scale", why: "нет сервиса на Railway"), .working(name: "status"),
            .timedOut(name: "logs", seconds: 60), .notAuthorized, .buttonNotAuthorized,
            .buttonNoLongerValid, .buttonUnknownConfirmation, .runningToast, .cancelledToast, .cancelledBy(who: "@anna"), .adminWithoutUsername(id: 42),
            .expiredToast, .expiredNothingRan, .expiredAfter(seconds: 60), .alreadyRunning, .alreadyDone, .alreadyCancelled,
            .stillPending, .previewStillSending, .wrongMessage, .onlyAskerCancels, .onlyAskerConfirms, .twoPersonRule, .onlyAskerChooses,
            .refusedPress(why: .twoPersonRule), .expiresIn(seconds: 60, approver: .secondAdmin), .confirmButton(label: "Перезапустить worker"),
            .confirmDefault, .cancelButton, .confirmedBy(who: "@anna", seconds: 1.25), .doneOutputBelow(who: "@anna"),
            .doneOutputBelowPlain, .runningConfirmed(who: "@anna"), .interruptedByRestart(action: "restart worker"),
            .expiredByRestart(action: "restart worker"), .outputAsFile(characters: 15_000), .seeFileAbove,
            .consoleEdited, .consolePhoto(filename: "disk.png", bytes: 20480, path: "/tmp/disk.png", saved: true),
            .consoleFile(filename: "output.txt", bytes: 15000, path: "/tmp/output.txt", saved: false), .consolePressHint, .consoleNoSuchButton(number: 9), .consoleNotACommand,
            .consoleButtonGone(number: 3, label: "✖ Отмена", messageID: 7), .pong, .catalogInvalid(files: ["Commands/x.yaml: arguments[0].type: unknown type \"float\""]),
            .pongTimed(milliseconds: 42, uptime: 8100), .helpNoCommand(name: "nope"), .helpHeader(synopsis: "/logs <service> [rest…]"),
            .helpUsage(text: "Та же проверка стоит перед деплоем: `opsbot check schema`."),
            .helpListLine(synopsis: "/restart <service>", description: "Перезапустить сервис", confirm: true),
            .helpArgument(name: "lines", type: .int, values: [], defaultValue: "50", description: "сколько строк"),
            .helpNotConfigured(why: "нет DATABASE_URL"), .helpAsksConfirmation, .helpRoles(roles: ["ops"]), .helpTitle,
            .helpNotConfiguredList(names: ["scale", "sql"]), .helpFooter, .auditUnreadable(error: "disk I/O error"), .auditEmpty,
            .auditTitle(count: 21), .shellNoOutput, .shellOutputCut, .shellCouldNotRun(command: "df -h", error: "No such file"),
            .shellWillRun(command: "journalctl --vacuum-size=500M"), .shellRunButton,
            .mustBeWholeNumber(name: "lines", got: "abc"), .atLeast(name: "lines", min: 1, got: 0), .atMost(name: "lines", max: 5000, got: 9000),
            .durationNeedsUnit(name: "for", got: "30"), .mustBeDuration(name: "for", got: "soon"),
            .durationAtLeast(name: "for", seconds: 60), .durationAtMost(name: "for", seconds: 86400),
            .unknownService(got: "wrker", known: ["web", "worker"], allowAll: true),
            .mustBeOneOf(name: "status", values: ["pending", "stuck"], got: "paid"),
            .missingArgument(name: "id", synopsis: "/complete <id>"),
            .missingService(name: "service", known: ["web", "worker"], allowAll: false, synopsis: "/restart <service>"),
            .tooManyArguments(rest: "a b", synopsis: "/ping"), .notAllowedCharacters(name: "filter", got: "a;b", pattern: "[a-z]+"),
            .invalidPattern(name: "filter"),
        ]
    }
}
