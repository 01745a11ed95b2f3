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
        /// How each argument was read, in the order typed ("200 = lines", "429 = text filter"), for the reply's header.
        var readings: [String] = []

        /// What was asked for; how the words were read follows from it.
        static func == (a: Request, b: Request) -> Bool {
            (a.lines, a.since, a.level, a.text, a.regex) == (b.lines, b.since, b.level, b.text, b.regex)
        }
    }

    /// Words after the service: the first whole number is N; a number with a unit (`30s`,
    /// `5m`, `1h`) is the window; a level word (`error`, `warning`, `critical`) the level;
    /// `/re/` or `re:…` a regex; the rest, bare numbers after N included (`/logs worker 200
    /// 429`: lines with 429), a fixed string.
    static func parse(_ words: [String]) throws -> Request {
        var r = Request()
        var rest: [String] = []
        var readings: [(word: String, meaning: String?)] = []
        for w in words {
            if r.lines == nil, let n = Int(w) {
                guard n > 0 else { throw ArgumentError("the number of lines must be positive, got \(n)") }
                r.lines = n
                readings.append((w, "lines"))
            } else if r.since == nil, w.first?.isNumber == true, Double(w) == nil, let d = Durations.parse(w), d > 0 {
                // A duration carries its unit: a bare number is never seconds.
                r.since = d
                readings.append((w, "the last \(Durations.format(d))"))
            } else if r.level == nil, let l = LogsModule.levelWords[w.lowercased()] {
                r.level = l
                readings.append((w, "level \(l.rawValue) and above"))
            } else {
                rest.append(w)
                readings.append((w, nil))
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
            let filter = r.regex == nil ? "text filter" : "regex"
            // The filter's words read as one; it is named once, where its first word was.
            var named = false
            readings = readings.compactMap { rd in
                if rd.meaning != nil { return rd }
                defer { named = true }
                return named ? nil : (rest.count == 1 ? rd.word : joined, filter)
            }
            if let re = r.regex {
                guard !re.isEmpty, re.count <= 200 else { throw ArgumentError("a regular expression must be 1–200 characters") }
                do { _ = try LinearRegex(re) } catch {
                    throw ArgumentError("\"\(re)\" is not a regular expression opsbot accepts: \(error)")
                }
            }
        }
        r.readings = readings.map { "\($0.word) = \($0.meaning ?? "?")" }
        return r
    }

    static let levelWords: [String: LineFilter.Level] = [
        "error": .error, "errors": .error, "err": .error, "warning": .warning, "warnings": .warning, "warn": .warning,
        "critical": .critical, "crit": .critical, "fatal": .critical,
    ]

    /// Telegram's caption limit is 1024 characters after entities are parsed; this stays under.
    static let captionLimit = 1000

    /// The file's caption: the header and the *newest* lines that fit, in a balanced `<pre>`.
    static func caption(header: String, readAs: String = "", lines: [String], notes: String) -> String {
        let head = "<b>\(HTML.escape(header))</b> — full output attached; the newest lines:\(readAs)\n"
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
        let (m, name, backend): (ServiceManager, String, ServiceBackend)
        do { (m, name, backend) = try services.serviceArgument(ctx) } catch { return .reply(.text(error.reply)) }
        let req: Request
        do { req = try LogsModule.parse(ctx.request.words("rest")) } catch {
            return .reply(.text("\(error). Usage: /logs <service> [lines] [error|warning|critical] [1h] [text or /regex/]"))
        }
        let opts = m.settings.options
        let asked = req.lines ?? opts.defaultLines
        let n = min(asked, opts.maxLines)
        var notes: [String] = []
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
        let got = result.lines.count
        if scan.expired {
            notes.append("the scan stopped at the command's timeout (\(Durations.format(ctx.request.command.timeout))): older lines were not searched")
        } else if got < n && !filter.filtersContent && !result.reachedLimit {
            // Fewer lines than asked, and nothing stopped the reading early: that is the whole log (or window).
            notes.append("that is all there is: \(got) line\(got == 1 ? "" : "s")\(filter.since == nil ? "" : " in that window") (asked for \(asked))")
        } else if asked > n {
            notes.append("capped at \(opts.maxLines) lines (service_options.max_lines); asked for \(asked)")
        }
        let text = m.mask(result.lines.map(\.text).joined(separator: "\n"))
        var header = "\(backend.config.displayName): last \(got) line\(got == 1 ? "" : "s")"
        if !filter.isEmpty { header += " (" + filter.summary + ")" }
        if result.lines.isEmpty { header += " — nothing matched" }
        let readAs = req.readings.isEmpty ? "" : "\n<i>read as: \(HTML.escape(req.readings.joined(separator: " · ")))</i>"
        let noteHTML = notes.map { "\n<i>\(HTML.escape($0))</i>" }.joined()
        if result.lines.count > opts.attachmentLines || text.utf8.count > 3500 {
            let html = LogsModule.caption(header: header, readAs: readAs, lines: result.lines.map { m.mask($0.text) }, notes: noteHTML)
            return .reply(Reply(html: html, attachment: Attachment(filename: "\(name)-logs.txt", data: Data((text + "\n").utf8))))
        }
        return .reply(Reply(html: "<b>\(HTML.escape(header))</b>\(readAs)\n" + (text.isEmpty ? "" : "<pre>\(HTML.escape(text))</pre>") + noteHTML))
    }
}
