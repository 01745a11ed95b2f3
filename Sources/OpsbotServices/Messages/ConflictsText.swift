import Foundation
import OpsbotSupport

/// What `/conflicts` says: instances, conflict lines, the webhook, and its fixes (HTML unless a
/// button label); rendered in ConflictsText+English.swift and ConflictsText+Russian.swift.
enum ConflictsText: MessageCatalog {
    case conflictsNoBotService
    case conflictsTitle(service: String)
    case conflictsInstancesUnknown(why: String)
    case platformCopiesTooMany(count: Int, service: String, heroku: Bool)
    case platformCopies(count: Int, service: String, heroku: Bool)
    case platformCopySince(description: String, ago: Double)
    case instancesFew(count: Int)
    case instancesTooMany(count: Int)
    case instanceLine(description: String, keep: Bool, startedAgo: Double?)
    case noneSupervised
    case noConflictLines(fixedAgo: Double?, window: Double, beforeFix: Int)
    case conflictLines(fixedAgo: Double?, window: Double, beforeFix: Int)
    case conflictLinesFromGone(count: Int, dynos: [String])
    case outsidePoller(count: Int, heroku: Bool)
    case targetBotProblem(error: String)
    case webhookWhilePolling(url: String)
    case webhookState(set: Bool)
    case conflictsScalePrompt(service: String, count: Int)
    case conflictsScaleLabel(count: Int)
    case scalingFailed(error: String)
    case stopExtrasPrompt
    case stopExtrasLabel(count: Int)
    case nowRunning(count: Int, service: String)
    case deleteWebhookPrompt(url: String)
    case deleteWebhookLabel
    case targetBotNotConfigured
    case webhookDeleted
    case deleteWebhookFailed(error: String)
    case whatToFix
    case choiceScale(service: String, count: Int)
    case choiceStopExtras(count: Int)
    case choiceDeleteWebhook

    static var samples: [ConflictsText] {
        [
            .conflictsNoBotService,
            .conflictsTitle(service: "bot"),
            .conflictsInstancesUnknown(why: "…"),
            .platformCopiesTooMany(count: 2, service: "bot", heroku: true),
            .platformCopies(count: 1, service: "bot", heroku: false),
            .platformCopySince(description: "…", ago: 300),
            .instancesFew(count: 1),
            .instancesTooMany(count: 2),
            .instanceLine(description: "pid 42 python bot.py", keep: true, startedAgo: 120),
            .noneSupervised,
            .noConflictLines(fixedAgo: nil, window: 900, beforeFix: 1),
            .conflictLines(fixedAgo: 120, window: 900, beforeFix: 2),
            .conflictLinesFromGone(count: 3, dynos: ["worker.2"]),
            .outsidePoller(count: 1, heroku: true),
            .targetBotProblem(error: "…"),
            .webhookWhilePolling(url: "https://example.org/hook"),
            .webhookState(set: false),
            .conflictsScalePrompt(service: "bot", count: 1),
            .conflictsScaleLabel(count: 1),
            .scalingFailed(error: "HTTP 403"),
            .stopExtrasPrompt,
            .stopExtrasLabel(count: 2),
            .nowRunning(count: 1, service: "bot"),
            .deleteWebhookPrompt(url: "https://example.org/hook"),
            .deleteWebhookLabel,
            .targetBotNotConfigured,
            .webhookDeleted,
            .deleteWebhookFailed(error: "HTTP 500"),
            .whatToFix,
            .choiceScale(service: "bot", count: 1),
            .choiceStopExtras(count: 2),
            .choiceDeleteWebhook,
        ]
    }
}
