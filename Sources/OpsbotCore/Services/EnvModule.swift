import Foundation
import SystemOps

/// `/env [service]`: the target app's environment checked against `env.rules` — present,
/// well-formed, right length — without ever showing a value.
struct EnvModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try ServiceManager.shared(ctx.app) } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
        var targets = m.settings.services.filter { $0.env != nil }
        if let n = ctx.request.string("service") {
            guard let s = m.settings.service(n) else { return .reply(.text("unknown service \"\(n)\"")) }
            guard s.env != nil else { return .reply(.text("\(n) has no env rules (services.\(n).env.rules)")) }
            targets = [s]
        }
        if targets.isEmpty { return .reply(.text("No service has env rules configured (services.NAME.env.rules).")) }
        var html = ""
        for s in targets {
            let report = await EnvModule.check(s, m: m)
            html += report + "\n"
        }
        return .reply(Reply(html: html.trimmingCharacters(in: .newlines)))
    }

    /// Reads the environment from its configured source and renders one block per service.
    static func check(_ s: ServiceConfig, m: ServiceManager) async -> String {
        guard let cfg = s.env else { return "" }
        let env: [String: String]
        let source: String
        do {
            if cfg.source == "file", let f = cfg.file {
                source = f
                guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { throw BackendError("cannot read \(f)") }
                env = EnvFile.parse(text)
            } else {
                source = s.backend == .heroku ? "Heroku config vars" : s.backend == .railway ? "Railway variables" : "\(s.backend.rawValue) environment"
                guard let b = m.backend(s.name) else { throw BackendError("no backend") }
                env = try await b.environment()
            }
        } catch {
            return "🔴 <b>\(HTML.escape(s.name))</b>: \(HTML.escape(Redactor.shared.redact("\(error)")))"
        }
        let problems = cfg.rules.compactMap { r in r.check(env[r.name]).map { (r, $0) } }
        var out = problems.isEmpty ? "✅ " : "🔴 "
        out += "<b>\(HTML.escape(s.name))</b> (\(HTML.escape(source))): \(cfg.rules.count - problems.count)/\(cfg.rules.count) ok\n"
        for r in cfg.rules {
            if let p = problems.first(where: { $0.0.name == r.name }) {
                out += "🔴 \(HTML.escape(r.name)) \(HTML.escape(p.1))" + (r.hint.map { " — \(HTML.escape($0))" } ?? "") + "\n"
            } else {
                out += "✅ \(HTML.escape(r.name))" + (env[r.name] == nil ? " (optional, not set)" : "") + "\n"
            }
        }
        return out
    }
}
