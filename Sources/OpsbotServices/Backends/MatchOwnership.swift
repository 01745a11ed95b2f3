import Foundation
import SystemOps
import OpsbotSupport

/// Which of the processes a `match:` regex finds are the service's own. A regex sees only
/// command lines; another user's `python bot.py` matches too. A candidate must run as the
/// service's user and, where known, in its working directory, unit and container (host or
/// the same container as the supervised copy); anything else is a stranger: not counted,
/// never offered to `/conflicts`, and reported (`check`, `validate`) so the regex gets fixed.
struct MatchOwnership {
    struct Stranger: Sendable, Hashable {
        var pid: Int32
        var why: LocalizedText
        var text: LocalizedText { BackendText.stranger(pid: pid, why: why).localized }
        var description: String { text.en }
    }
    var ours: [ProcessSnapshot] = []
    var strangers: [Stranger] = []
    /// Set when the matches run as several users and nothing (user:, a supervised pid) says
    /// which is the service's: the copies cannot be counted.
    var ambiguous: LocalizedText?

    /// What the service's copies look like; nil fields are not known and not compared.
    struct Expected {
        var uid: UInt32?
        var cwd: String?
        var unit: String?
        var container: String?
        /// The configured user could not be resolved (no such account).
        var unknownUser: String?
    }

    /// `user`: the configured `user:` (name or uid). `reference`: the supervised pid (pidfile,
    /// systemd main PID). `workingDirectory`, `unit`: from the config (a copy started by hand from
    /// another directory is still a copy, so only a configured directory is compared).
    static func partition(_ procs: [ProcessSnapshot], user: String?, reference: Int32?, workingDirectory: String?, unit: String?,
                          identity: (Int32) -> ProcessIdentity = ProcInfo.identity) -> MatchOwnership {
        let ids = Dictionary(procs.map { ($0.pid, identity($0.pid)) }, uniquingKeysWith: { a, _ in a })
        let ref = reference.map { ids[$0] ?? identity($0) }
        var exp = Expected(cwd: workingDirectory, unit: unit ?? ref?.unit, container: ref?.container)
        var out = MatchOwnership()
        if let user {
            if let u = ProcInfo.uid(forUser: user) { exp.uid = u } else { exp.unknownUser = user }
        } else if let u = ref?.uid {
            exp.uid = u
        } else {
            let uids = Set(procs.compactMap { ids[$0.pid]?.uid })
            if uids.count == 1 { exp.uid = uids.first }
            if uids.count > 1 {
                let names = uids.sorted().map { ProcessIdentity(uid: $0).userDescription }
                out.ambiguous = BackendText.matchManyUsers(count: uids.count, users: names.joined(separator: ", ")).localized
                out.ours = procs
                return out
            }
        }
        if let u = exp.unknownUser {
            out.ambiguous = BackendText.unknownUser(user: u).localized
            out.ours = procs
            return out
        }
        for p in procs {
            if p.pid == reference { out.ours.append(p); continue }
            guard let id = ids[p.pid] else { continue }
            if let why = mismatch(id, exp) { out.strangers.append(Stranger(pid: p.pid, why: why)) } else { out.ours.append(p) }
        }
        return out
    }

    /// Why `id` is not one of the service's copies, nil when it may be.
    static func mismatch(_ id: ProcessIdentity, _ exp: Expected) -> LocalizedText? {
        mismatchText(id, exp)?.localized
    }

    static func mismatchText(_ id: ProcessIdentity, _ exp: Expected) -> BackendText? {
        if let u = exp.uid, id.uid != u {
            return .runsAsOtherUser(actual: id.userDescription, expected: ProcessIdentity(uid: u).userDescription)
        }
        if id.container != exp.container {
            return id.container.map { .runsInContainer(id: String($0.prefix(12))) } ?? .runsOnHost(container: String(exp.container!.prefix(12)))
        }
        if let unit = id.unit, let want = exp.unit, unit != want { return .belongsToUnit(unit: unit) }
        if let want = exp.cwd, let cwd = id.cwd, cwd != want { return .runsInDirectory(cwd: cwd, expected: want) }
        return nil
    }

    /// One sentence for checks and `validate` (every language; `.en` for logs and `validate`).
    func warning(service: String, pattern: String?) -> LocalizedText? {
        if let ambiguous { return BackendText.serviceWarning(service: service, why: ambiguous).localized }
        guard !strangers.isEmpty else { return nil }
        return BackendText.matchAmbiguous(service: service, pattern: pattern ?? "", shown: strangers.prefix(3).map(\.text),
                                          more: max(0, strangers.count - 3)).localized
    }
}
