import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// `opsbot remote`: the forced command of opsbot's key on a remote host. It serves one
/// request (decoded from `SSH_ORIGINAL_COMMAND`, never executed) with this host's own local
/// backends, limited to the services this host's config names, and answers one JSON object.
/// The key can therefore do exactly what `/status`, `/logs`, `/restart`, `/disk` and
/// `/conflicts` need for those services, and nothing else.
public enum RemoteServer {
    /// Serves `command` within the request's deadline. The exit code is 0 when served, 1 when
    /// refused — never 255, which the caller reads as "host unreachable".
    public static func serve(command: String?, settings: ServicesSettings,
                             environment: [String: String] = ProcessInfo.processInfo.environment) async -> (RemoteResponse, Int32) {
        guard let command, !command.isEmpty else {
            return (RemoteResponse(ok: false, error: "no request: opsbot remote is meant to run as the forced command of a key in authorized_keys (SSH_ORIGINAL_COMMAND is empty)"), 1)
        }
        let req: RemoteRequest
        do { req = try RemoteRequest.decode(command) } catch { return (RemoteResponse(refusal: BackendText.words(error)), 1) }
        let deadline = max(0.5, req.deadline - 0.5)
        let late = RemoteResponse(refusal: BackendText.remoteDidNotFinish(op: req.op.rawValue, seconds: deadline).localized)
        let language = req.language.flatMap(Language.init(rawValue:)) ?? .en
        let answer = await Language.$current.withValue(language) {
            await withDeadline(.seconds(deadline), fallback: late) {
                await handle(req, settings: settings, environment: environment, deadline: deadline)
            }
        }
        return (answer, answer.ok ? 0 : 1)
    }

    static func handle(_ req: RemoteRequest, settings: ServicesSettings, environment: [String: String], deadline: Double) async -> RemoteResponse {
        if req.op == .disk {
            var r = RemoteResponse(ok: true)
            var cfg = settings.disk
            cfg.scanTime = min(cfg.scanTime, max(0.5, deadline - 1))
            let scanCfg = cfg
            r.disk = await runBlocking(name: "opsbot.disk") { DiskSnapshot.measure(scanCfg) }
            return r
        }
        if req.op == .statuses {
            var r = RemoteResponse(ok: true)
            r.statuses = await statuses(req.services ?? [], settings: settings, environment: environment, deadline: deadline)
            return r
        }
        let backend: ServiceBackend
        switch localBackend(req.service ?? "", settings: settings, environment: environment, deadline: deadline) {
        case .success(let b): backend = b
        case .failure(let refusal): return RemoteResponse(refusal: refusal.localized)
        }
        let name = backend.config.name
        var r = RemoteResponse(ok: true)
        do {
            switch req.op {
            case .status:
                r.status = .init(await backend.status())
            case .logs:
                let n = min(req.lines ?? settings.options.defaultLines, max(settings.options.maxLines, 20_000))
                let logs = try await backend.logs(lines: n, filter: req.filter)
                r.lines = logs.lines.map { .init(text: $0.text, time: $0.time?.timeIntervalSince1970) }
                r.notes = logs.notes
                r.filterFields = RemoteRequest.filterFields
            case .restart:
                try await backend.restart()
                r.message = "restart accepted"
            case .instances:
                do { r.instances = try await backend.instances().map(RemoteResponse.Instance.init) } catch let u as InstancesUnknown {
                    r.instancesUnknown = u.reason
                    r.instancesUnknownRU = u.reasonText.ru
                }
            case .stop:
                // Only a listed, unsupervised copy of this service: the id is checked here again.
                let list = try await backend.instances()
                guard let target = list.first(where: { $0.id == req.instance }) else {
                    return RemoteResponse(refusal: BackendText.remoteNotAnInstance(id: req.instance ?? "", service: name).localized)
                }
                guard !target.supervised else { return RemoteResponse(refusal: BackendText.remoteSupervisedInstance(id: target.id, service: name).localized) }
                r.message = try await backend.stop(target)
            case .disk, .statuses:
                break
            }
        } catch {
            let words = BackendText.words(error)
            return RemoteResponse(refusal: LocalizedText(en: Redactor.shared.redact(words.en), ru: Redactor.shared.redact(words.ru)))
        }
        return r
    }
}

extension RemoteServer {
    /// Only the services this host's config names, served by their local backends; children
    /// started for the request die by its deadline too.
    static func localBackend(_ name: String, settings: ServicesSettings, environment: [String: String], deadline: Double) -> Result<ServiceBackend, RemoteRefusal> {
        guard var svc = settings.service(name) else {
            return .failure(RemoteRefusal(.remoteUnknownService(service: name, known: settings.services.map(\.name).joined(separator: ", "))))
        }
        guard svc.host == nil else { return .failure(RemoteRefusal(.remoteChained(service: name))) }
        svc.commandTimeout = min(svc.commandTimeout, deadline)
        svc.stopTimeout = min(svc.stopTimeout, max(0.5, deadline / 2))
        return .success(ServiceManager.makeBackend(svc, options: settings.options, environment: environment, client: nil))
    }

    /// `statuses`: every service asked, all at once, each within the deadline on its own — a
    /// hung status command makes that one service unknown, not the whole answer.
    static func statuses(_ names: [String], settings: ServicesSettings, environment: [String: String], deadline: Double) async -> [RemoteResponse.ServiceAnswer] {
        let each = max(0.3, deadline - 0.3)
        return await withTaskGroup(of: (Int, RemoteResponse.ServiceAnswer).self) { g in
            for (i, name) in names.enumerated() {
                g.addTask {
                    switch localBackend(name, settings: settings, environment: environment, deadline: each) {
                    case .failure(let refusal):
                        return (i, .init(service: name, status: nil, error: refusal.english, errorRU: refusal.russian))
                    case .success(let b):
                        let why = BackendText.remoteDidNotFinish(op: "status", seconds: each).localized
                        let late = ServiceStatus(state: .unknown, why, error: why)
                        let s = await withDeadline(.seconds(each), fallback: late) { await b.status() }
                        return (i, .init(service: name, status: .init(s), error: nil))
                    }
                }
            }
            var out = [RemoteResponse.ServiceAnswer?](repeating: nil, count: names.count)
            for await (i, a) in g { out[i] = a }
            return out.compactMap { $0 }
        }
    }

    /// When the SSH session goes away (the caller's deadline passed and it closed the
    /// connection, or the network dropped), sshd's session process exits and this process is
    /// reparented: then kill every process group this process started and exit, so a hung
    /// command does not outlive the request.
    public static func exitWhenOrphaned() {
        let parent = getppid()
        let t = Thread {
            while true {
                usleep(200_000)
                if getppid() != parent {
                    killChildren()
                    exit(1)
                }
            }
        }
        t.name = "opsbot.remote-watchdog"
        t.start()
    }

    /// Commands this process runs (each in its own process group, same session) are killed;
    /// services a restart started (detached into a session of their own) are left running.
    public static func killChildren() {
        let me = getpid(), session = getsid(0)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let p = pid_t(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 3, pid_t(fields[1]) == me, pid_t(fields[3]) == session {
                kill(-p, SIGKILL)
                kill(p, SIGKILL)
            }
        }
    }
}
