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
        do { m = try services.manager() } catch { return .reply(Reply(html: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text())) }
        var targets = m.settings.services.filter { $0.env != nil }
        if let n = ctx.request.string("service") {
            guard let s = m.settings.service(n) else { return .reply(Reply(html: ServicesText.unknownServiceQuoted(name: n).text())) }
            guard s.env != nil else { return .reply(Reply(html: ServicesText.envNoRules(service: n).text())) }
            targets = [s]
        }
        if targets.isEmpty { return .reply(Reply(html: ServicesText.envNoneConfigured.text())) }
        var html = ""
        for s in targets {
            let report = await EnvModule.check(s, m: m)
            html += report + "\n"
        }
        return .reply(Reply(html: html.trimmingCharacters(in: .newlines)))
    }

    /// One service's environment against its rules: where it was read, and the failing rules.
    struct Outcome: Sendable {
        var source: ServicesText.EnvSource
        var total: Int
        var problems: [(rule: EnvRule, problem: SystemOpsText)]
        var env: [String: String]
    }

    static func evaluate(_ s: ServiceConfig, cfg: EnvCheckConfig, m: ServiceManager) async throws -> Outcome {
        let env: [String: String]
        let source: ServicesText.EnvSource
        if cfg.source == "file", let f = cfg.file {
            source = .file(f)
            guard let text = try? String(contentsOfFile: f, encoding: .utf8) else { throw BackendError("cannot read \(f)") }
            env = EnvFile.parse(text)
        } else {
            source = s.backend == .heroku ? .heroku : s.backend == .railway ? .railway : .backend(s.backend.rawValue)
            guard let b = m.backend(s.name) else { throw BackendError("no backend") }
            env = try await b.environment()
        }
        let problems = cfg.rules.compactMap { r in r.problem(env[r.name]).map { (rule: r, problem: $0) } }
        return Outcome(source: source, total: cfg.rules.count, problems: problems, env: env)
    }

    /// Reads the environment from its configured source and renders one block per service.
    static func check(_ s: ServiceConfig, m: ServiceManager) async -> String {
        guard let cfg = s.env else { return "" }
        let o: Outcome
        do { o = try await evaluate(s, cfg: cfg, m: m) } catch {
            return ServicesText.envReadFailed(service: s.name, error: Redactor.shared.redact(ChatError.text(error))).text()
        }
        var out = ServicesText.envHeader(service: s.name, source: o.source, ok: o.total - o.problems.count, total: o.total).text()
        for r in cfg.rules {
            if let p = o.problems.first(where: { $0.rule.name == r.name }) {
                out += ServicesText.envRuleBad(rule: r.name, problem: p.problem, hint: r.hint).text()
            } else {
                out += ServicesText.envRuleOK(rule: r.name, optionalUnset: o.env[r.name] == nil).text()
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
            return [CheckResult(check: "env", target: "config", status: .unknown, message: StatusText.configInvalid(error: StatusText.errorText(error)))]
        }
        var out: [CheckResult] = []
        for s in m.settings.services {
            guard let cfg = s.env else { continue }
            do {
                let o = try await EnvModule.evaluate(s, cfg: cfg, m: m)
                let bad = o.problems.map { "\($0.rule.name) \($0.problem.english)" }
                out.append(CheckResult(check: "env", target: s.name, status: bad.isEmpty ? .ok : .warning,
                                       message: StatusText.envRules(service: s.name, ok: o.total - bad.count, total: o.total, failing: o.problems.map(\.rule.name)),
                                       value: Double(bad.count), evidence: bad, remediation: bad.isEmpty ? nil : "/env \(s.name)"))
            } catch {
                out.append(CheckResult(check: "env", target: s.name, status: .unknown,
                                       message: StatusText.envUnreadable(service: s.name, error: StatusText.errorText(error, redacted: true))))
            }
        }
        return out
    }
}
