import Foundation
import SystemOps
import TelegramBotAPI
import OpsbotCore
import OpsbotSupport

/// `/logs <service> [N] [level] [since] [filter]`: the last N lines, optionally filtered, masked,
/// in `<pre>`; long output goes out as a file.
struct LogsModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.anyService) }
    let services: ServicesFeature
    struct Request: Equatable {
        var lines: Int?
        var since: Double?
        var level: LineFilter.Level?
        var text: String?
        var regex: String?
    }

    /// Words after the service: an integer is N, a duration (`1h`, `30m`) is the window, a
    /// level word (`error`, `warning`, `critical`) the level, `/re/` or `re:…` a regex, the
    /// rest a fixed string.
    static func parse(_ words: [String]) throws -> Request {
        var r = Request()
        var rest: [String] = []
        for w in words {
            if r.lines == nil, let n = Int(w) {
                guard n > 0 else { throw ArgumentError("the number of lines must be positive, got \(n)") }
                r.lines = n
            } else if r.since == nil, w.first?.isNumber == true, let d = Durations.parse(w), d > 0 {
                r.since = d
            } else if r.level == nil, let l = LogsModule.levelWords[w.lowercased()] {
                r.level = l
            } else {
                rest.append(w)
            }
        }
        if !rest.isEmpty {
            let joined = rest.joined(separator: " ")
            if joined.count > 2, joined.hasPrefix("/"), joined.hasSuffix("/") {
                r.regex = String(joined.dropFirst().dropLast())
            } else if joined.hasPrefix("re:") {
                r.regex = String(joined.dropFirst(3))
            } else {
                r.text = joined
            }
            if let re = r.regex {
                guard !re.isEmpty, re.count <= 200 else { throw ArgumentError("a regular expression must be 1–200 characters") }
                do { _ = try LinearRegex(re) } catch {
                    throw ArgumentError("\"\(re)\" is not a regular expression opsbot accepts: \(error)")
                }
            }
        }
        return r
    }

    static let levelWords: [String: LineFilter.Level] = [
        "error": .error, "errors": .error, "err": .error, "warning": .warning, "warnings": .warning, "warn": .warning,
        "critical": .critical, "crit": .critical, "fatal": .critical,
    ]

    /// Telegram's caption limit is 1024 characters after entities are parsed; this stays under.
    static let captionLimit = 1000

    /// The file's caption: the header and the *newest* lines that fit, in a balanced `<pre>`.
    static func caption(header: String, lines: [String], notes: String) -> String {
        let head = "<b>\(HTML.escape(header))</b> — full output attached; the newest lines:\n"
        let fixed = MessageSplitter.visibleLength(head + notes)
        var budget = captionLimit - fixed
        var kept: [String] = []
        for line in lines.reversed() {
            let l = line.count > 200 ? String(line.prefix(199)) + "…" : line
            guard l.utf16.count + 1 <= budget else { break }
            budget -= l.utf16.count + 1
            kept.append(l)
        }
        return head + "<pre>" + HTML.escape(kept.reversed().joined(separator: "\n")) + "</pre>" + notes
    }

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
        guard let name = ctx.request.string("service"), let backend = m.backend(name) else {
            return .reply(.text("unknown service (known: \(m.settings.services.map(\.name).joined(separator: ", ")))"))
        }
        let req: Request
        do { req = try LogsModule.parse(ctx.request.words("rest")) } catch {
            return .reply(.text("\(error). Usage: /logs <service> [lines] [error|warning|critical] [1h] [text or /regex/]"))
        }
        let opts = m.settings.options
        var n = req.lines ?? opts.defaultLines
        var notes: [String] = []
        if n > opts.maxLines { notes.append("capped at \(opts.maxLines) lines (service_options.max_lines)"); n = opts.maxLines }
        let now = ctx.app.clock.now()
        let filter = LineFilter(level: req.level, text: req.text, chatRegex: req.regex.flatMap { try? LinearRegex($0) },
                                since: req.since.map { now.addingTimeInterval(-$0) })
        var scan = filter
        // Stop scanning a second before the command's deadline, so the partial result is the reply.
        scan.deadline = ctx.deadline.addingTimeInterval(-1)
        let result: LogsResult
        do { result = try await backend.logs(lines: n, filter: scan) } catch {
            return .reply(.text("Cannot read the logs of \(name): \(Redactor.shared.redact("\(error)"))"))
        }
        notes += result.notes
        if scan.expired { notes.append("the scan stopped at the command's timeout (\(Durations.format(ctx.request.command.timeout))): older lines were not searched") }
        let text = m.mask(result.lines.map(\.text).joined(separator: "\n"))
        var header = "\(backend.config.displayName): last \(result.lines.count) line\(result.lines.count == 1 ? "" : "s")"
        if !filter.isEmpty { header += " (" + filter.summary + ")" }
        if result.lines.isEmpty { header += " — nothing matched" }
        let noteHTML = notes.map { "\n<i>\(HTML.escape($0))</i>" }.joined()
        if result.lines.count > opts.attachmentLines || text.utf8.count > 3500 {
            let html = LogsModule.caption(header: header, lines: result.lines.map { m.mask($0.text) }, notes: noteHTML)
            return .reply(Reply(html: html, attachment: Attachment(filename: "\(name)-logs.txt", data: Data((text + "\n").utf8))))
        }
        return .reply(Reply(html: "<b>\(HTML.escape(header))</b>\n" + (text.isEmpty ? "" : "<pre>\(HTML.escape(text))</pre>") + noteHTML))
    }
}
