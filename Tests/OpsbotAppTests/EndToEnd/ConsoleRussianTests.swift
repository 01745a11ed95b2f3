import Foundation
import OpsbotSupport
import SystemOps
import Testing
import TestHarness

/// The console in Russian (`--language ru`, what `make demo LANG=ru` runs): the same router,
/// catalog and modules as Telegram, every reply in Russian.
@Suite(.exclusive) struct ConsoleRussianTests {
    /// Latin words the Russian catalog descriptions keep on purpose (what the admin types or sees as is).
    static let allowed: Set<String> = ["fingerprint", "pending", "force", "duplicates", "provider", "conflict", "all", "error",
                                       "warning", "info", "debug", "critical", "timeout", "restart", "ping", "help", "status", "logs",
                                       // exact parts the console prints without Telegram's <code>: signals, the
                                       // worker's start line the restart waits for, names from the demo config
                                       "sigterm", "sigkill", "starting", "polling", "demo", "cryptobot"]

    /// A reply's prose: without synopsis words (`<service>`, `[rest…]`) and `/help`'s argument
    /// names (`• service — …`), which are exact (in <code> in Telegram).
    static func prose(_ block: String) -> String {
        var out: [String] = []
        for line in block.split(separator: "\n") where !line.contains(" | ") && !line.hasPrefix("20") {
            var l = String(line)
            if l.hasPrefix("• "), let dash = l.range(of: " — ") { l = String(l[dash.upperBound...]) }
            l = l.replacingOccurrences(of: #"[\[<][^\]>]*[\]>]"#, with: " ", options: .regularExpression)
            out.append(l)
        }
        return out.joined(separator: "\n")
    }

    static func replies(_ stdout: String) -> [String] {
        stdout.components(separatedBy: "── opsbot").dropFirst().map { block in
            // The block's header line ("#3 ─────") is decoration, not a reply.
            block.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().joined()
        }
    }

    @Test func consoleAnswersInRussian() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-ru-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        for k in ["OPSBOT_TOKEN", "OPSBOT_CONFIG", "DATABASE_URL", "OPSBOT_API_URL"] { env.removeValue(forKey: k) }
        let script = "/ping\n/help\n/help logs\n/nosuch\n/audit x\n/restart worker\n2\n99\n/logs worker 5\n/status\nhello\n"
        let r = try await ProcessRunner.run([Repository.opsbotBinary, "console", "--demo", "--language", "ru", "--state-dir", dir],
                                            timeout: 90, environment: env, workingDirectory: TestApp.repositoryRoot,
                                            stdin: Data(script.utf8))
        #expect(r.exitCode == 0, "\(r.stderr)")
        let out = r.stdout
        #expect(out.contains("🏓 понг — ответ дошёл за"), "\(out)")
        #expect(out.contains("Команды opsbot"))
        #expect(out.contains("Нет команды /nosuch"))
        #expect(out.contains("count: нужно целое число"))
        #expect(out.contains("✖ Отмена"))
        #expect(out.contains("(кнопки [99] в этой сессии не было)"))
        #expect(out.contains("(команды начинаются с /, например /help)"))
        let blocks = Self.replies(out)
        #expect(blocks.count >= 8, "\(out)")
        for b in blocks {
            // Log lines and command synopses the replies quote are exact; the rest is Russian.
            let english = RussianText.englishWords(in: HTML.escape(Self.prose(b)), allow: Self.allowed)
            #expect(english.isEmpty, "English words \(english) in a Russian reply:\n\(b)")
        }
    }
}
