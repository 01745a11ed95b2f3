import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `/env [service]`: the target app's environment checked against `env.rules` — present,
/// well-formed, right length — without ever showing a value.
struct EnvModule: CommandModule {
    var notConfigured: String? { services.notConfigured(.anyService) }
    let services: ServicesFeature
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let m: ServiceManager
        do { m = try services.manager() } catch { return .reply(.text("Services are not configured correctly: \(error)")) }
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

    /// One service's environment against its rules: where it was read, and the failing rules.
    struct Outcome: Sendable {
        var source: String
        var total: Int
        var problems: [(rule: EnvRule, problem: String)]
        var env: [String: String]
    }

    static func evaluate(_ s: ServiceConfig, cfg: EnvCheckConfig, m: ServiceManager) async throws -> Outcome {
        let env: [String: String]
        let source: String
        if cfg.source == "file", let f = cfg.file {
            source = f
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { throw BackendError("cannot read \(f)") }
            env = EnvFile.parse(text)
        } else {
            source = s.backend == .heroku ? "Heroku config vars" : s.backend == .railway ? "Railway variables" : "\(s.backend.rawValue) environment"
            guard let b = m.backend(s.name) else { throw BackendError("no backend") }
            env = try await b.environment()
        }
        let problems = cfg.rules.compactMap { r in r.check(env[r.name]).map { (rule: r, problem: $0) } }
        return Outcome(source: source, total: cfg.rules.count, problems: problems, env: env)
    }

    /// Reads the environment from its configured source and renders one block per service.
    static func check(_ s: ServiceConfig, m: ServiceManager) async -> String {
        guard let cfg = s.env else { return "" }
        let o: Outcome
        do { o = try await evaluate(s, cfg: cfg, m: m) } catch {
            return "🔴 <b>\(HTML.escape(s.name))</b>: \(HTML.escape(Redactor.shared.redact("\(error)")))"
        }
        var out = o.problems.isEmpty ? "✅ " : "🔴 "
        out += "<b>\(HTML.escape(s.name))</b> (\(HTML.escape(o.source))): \(o.total - o.problems.count)/\(o.total) ok\n"
        for r in cfg.rules {
            if let p = o.problems.first(where: { $0.rule.name == r.name }) {
                out += "🔴 \(HTML.escape(r.name)) \(HTML.escape(p.problem))" + (r.hint.map { " — \(HTML.escape($0))" } ?? "") + "\n"
            } else {
                out += "✅ \(HTML.escape(r.name))" + (o.env[r.name] == nil ? " (optional, not set)" : "") + "\n"
            }
        }
        return out
    }
}

/// `env`: each service's environment rules (the runbook's "bot starts with a bad env"
/// incident) as a check, so failing rules alert and show on /status. Values are never shown.
struct EnvCheck: CheckProvider {
    let services: ServicesFeature
    let name = "env"
    func run(_ app: AppContext) async -> [CheckResult] {
        let m: ServiceManager
        do { m = try services.manager() } catch {
            return [CheckResult(check: "env", target: "config", status: .unknown, summary: "services config invalid: \(error)")]
        }
        var out: [CheckResult] = []
        for s in m.settings.services {
            guard let cfg = s.env else { continue }
            do {
                let o = try await EnvModule.evaluate(s, cfg: cfg, m: m)
                let bad = o.problems.map { "\($0.rule.name) \($0.problem)" }
                out.append(CheckResult(check: "env", target: s.name, status: bad.isEmpty ? .ok : .warning,
                                       summary: "\(s.name): \(o.total - bad.count)/\(o.total) env rules ok" + (bad.isEmpty ? "" : " — failing: " + o.problems.map(\.rule.name).joined(separator: ", ")),
                                       value: Double(bad.count), evidence: bad, remediation: bad.isEmpty ? nil : "/env \(s.name)"))
            } catch {
                out.append(CheckResult(check: "env", target: s.name, status: .unknown,
                                       summary: "\(s.name): environment could not be read: " + Redactor.shared.redact("\(error)")))
            }
        }
        return out
    }
}
