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
                guard n > 0 else { throw ArgumentError(ServicesText.logsLinesNotPositive(n: n).text()) }
                r.lines = n
                readings.append((w, ServicesText.logsReadingLines.text()))
            } else if r.since == nil, w.first?.isNumber == true, Double(w) == nil, let d = Durations.parse(w), d > 0 {
                // A duration carries its unit: a bare number is never seconds.
                r.since = d
                readings.append((w, ServicesText.logsReadingWindow(seconds: d).text()))
            } else if r.level == nil, let l = LogsModule.levelWords[w.lowercased()] {
                r.level = l
                readings.append((w, ServicesText.logsReadingLevel(level: l.rawValue).text()))
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
            let filter = (r.regex == nil ? ServicesText.logsReadingText : .logsReadingRegex).text()
            // The filter's words read as one; it is named once, where its first word was.
            var named = false
            readings = readings.compactMap { rd in
                if rd.meaning != nil { return rd }
                defer { named = true }
                return named ? nil : (rest.count == 1 ? rd.word : joined, filter)
            }
            if let re = r.regex {
                guard !re.isEmpty, re.count <= 200 else { throw ArgumentError(ServicesText.logsRegexLength.text()) }
                do { _ = try LinearRegex(re) } catch {
                    throw ArgumentError(ServicesText.logsRegexInvalid(regex: re, error: ChatError.text(error)).text())
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
        let head = ServicesText.logsCaptionHead(header: header).text() + "\(readAs)\n"
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

    /// LineFilter.summary in the chat's language: level, text, regex as typed, "since" said in words.
    static func filterSummary(_ f: LineFilter) -> String {
        var parts: [String] = []
        if let level = f.level { parts.append(level.rawValue) }
        if let text = f.text { parts.append("\"\(text)\"") }
        if let regex = f.regex { parts.append("/\(regex.pattern)/") }
        if let chatRegex = f.chatRegex { parts.append("/\(chatRegex.pattern)/") }
        if let since = f.since { parts.append(ServicesText.logsFilterSince(stamp: LogTimestamp.format(since)).text()) }
        return parts.joined(separator: ", ")
    }

    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let (m, name, backend): (ServiceManager, String, ServiceBackend)
        do { (m, name, backend) = try services.serviceArgument(ctx) } catch { return .reply(Reply(html: error.reply)) }
        let req: Request
        do { req = try LogsModule.parse(ctx.request.words("rest")) } catch {
            return .reply(Reply(html: ServicesText.logsUsage(error: ChatError.text(error)).text()))
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
            return .reply(Reply(html: ServicesText.logsReadFailed(service: name, error: Redactor.shared.redact(ChatError.text(error))).text()))
        }
        notes += result.notes
        let got = result.lines.count
        if scan.expired {
            notes.append(ServicesText.logsScanStopped(timeout: ctx.request.command.timeout).text())
        } else if got < n && !filter.filtersContent && !result.reachedLimit {
            // Fewer lines than asked, and nothing stopped the reading early: that is the whole log (or window).
            notes.append(ServicesText.logsAllThereIs(got: got, inWindow: filter.since != nil, asked: asked).text())
        } else if asked > n {
            notes.append(ServicesText.logsCapped(max: opts.maxLines, asked: asked).text())
        }
        let text = m.mask(result.lines.map(\.text).joined(separator: "\n"))
        var header = ServicesText.logsHeader(service: backend.config.displayName, got: got).text()
        if !filter.isEmpty { header += " (" + LogsModule.filterSummary(filter) + ")" }
        if result.lines.isEmpty { header += ServicesText.logsNothingMatched.text() }
        let readAs = req.readings.isEmpty ? "" : ServicesText.logsReadAs(readings: req.readings).text()
        let noteHTML = notes.map { "\n<i>\(HTML.escape($0))</i>" }.joined()
        if result.lines.count > opts.attachmentLines || text.utf8.count > 3500 {
            let html = LogsModule.caption(header: header, readAs: readAs, lines: result.lines.map { m.mask($0.text) }, notes: noteHTML)
            return .reply(Reply(html: html, attachment: Attachment(filename: "\(name)-logs.txt", data: Data((text + "\n").utf8))))
        }
        return .reply(Reply(html: "<b>\(HTML.escape(header))</b>\(readAs)\n" + (text.isEmpty ? "" : "<pre>\(HTML.escape(text))</pre>") + noteHTML))
    }
}
