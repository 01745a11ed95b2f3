import Foundation
import SystemOps
import OpsbotCore
import OpsbotSupport

/// The one request `opsbot remote` serves per SSH session. It travels as the SSH command
/// string (`opsbot-remote-v1 <base64url JSON>`): the forced command reads it from
/// `SSH_ORIGINAL_COMMAND` and decodes it — nothing in it is ever given to a shell. The
/// base64 form has no shell metacharacters at all, so even a key installed without the
/// forced command runs nothing but a missing program called `opsbot-remote-v1`.
public struct RemoteRequest: Codable, Sendable, Equatable {
    /// `statuses` (one answer for several services) is newer than the rest: a remote that
    /// predates it refuses the request as invalid, and the caller then asks per service.
    public enum Op: String, Codable, Sendable, CaseIterable { case status, logs, restart, instances, stop, disk, statuses }

    public var op: Op
    public var service: String?
    /// For `statuses`: the services to report on (each answered, or refused, on its own).
    public var services: [String]?
    public var lines: Int?
    /// The `/logs` filter as the sender parsed it (`LineFilter`): level word, fixed string,
    /// a pattern from opsbot's config (`regex`), a pattern typed in the chat (`chatRegex`,
    /// matched in linear time on the remote side too) and the window start (`since`).
    public var level: String?
    public var text: String?
    public var regex: String?
    public var chatRegex: String?
    /// Unix time; lines stamped earlier are not returned.
    public var since: Double?
    /// For `stop`: the PID or container id from `instances`.
    public var instance: String?
    /// Seconds the caller waits; the remote side gives up (and kills what it started) before.
    public var deadline: Double
    /// The asker's language when not English (`ru`): the remote writes notes, instance
    /// descriptions and results in it (a remote that predates it ignores it and answers in English).
    public var language: String?

    public init(op: Op, service: String? = nil, services: [String]? = nil, lines: Int? = nil, level: String? = nil, text: String? = nil,
                regex: String? = nil, chatRegex: String? = nil, since: Double? = nil, instance: String? = nil, deadline: Double = 20) {
        self.op = op; self.service = service; self.services = services; self.lines = lines; self.level = level; self.text = text
        self.regex = regex; self.chatRegex = chatRegex; self.since = since; self.instance = instance; self.deadline = deadline
    }

    /// A `logs` request carrying `filter` as parsed: every kind `LineFilter` has travels
    /// (`RemoteProtocolTests` fails when LineFilter gains a field this does not carry).
    public init(logs service: String, lines: Int, filter: LineFilter) {
        self.init(op: .logs, service: service, lines: lines, level: filter.level?.rawValue, text: filter.text,
                  regex: filter.regex?.pattern, chatRegex: filter.chatRegex?.pattern, since: filter.since?.timeIntervalSince1970)
    }

    public static let prefix = "opsbot-remote-v1"

    /// The SSH command string.
    public func encoded() throws -> String {
        let json = try JSONEncoder().encode(self)
        let b64 = json.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return RemoteRequest.prefix + " " + b64
    }

    /// Parses `SSH_ORIGINAL_COMMAND`: the encoded form, or a bare JSON object (handy when testing by hand).
    public static func decode(_ command: String) throws -> RemoteRequest {
        let s = command.trimmingCharacters(in: .whitespacesAndNewlines)
        guard s.utf8.count <= 64 * 1024 else { throw RemoteRefusal(.remoteRequestTooLarge) }
        var json: Data
        if s.hasPrefix("{") {
            json = Data(s.utf8)
        } else {
            let parts = s.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0] == prefix,
                  parts[1].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw RemoteRefusal(.remoteNotARequest(prefix: prefix))
            }
            var b64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while b64.count % 4 != 0 { b64 += "=" }
            guard let d = Data(base64Encoded: b64) else { throw RemoteRefusal(.remoteBadBase64) }
            json = d
        }
        let r: RemoteRequest
        do { r = try JSONDecoder().decode(RemoteRequest.self, from: json) } catch {
            throw RemoteRefusal(.remoteBadJSON)
        }
        try r.validate()
        return r
    }

    /// Checked by the sender and again by `opsbot remote`: the remote side trusts nothing.
    public func validate() throws {
        for s in (service.map { [$0] } ?? []) + (services ?? []) where s.range(of: #"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"#, options: .regularExpression) == nil {
            throw RemoteRefusal(.remoteInvalidServiceName)
        }
        if op == .statuses {
            guard let list = services, !list.isEmpty else { throw RemoteRefusal(.remoteStatusesNeedList) }
            guard list.count <= 256 else { throw RemoteRefusal(.remoteStatusesTooMany) }
        }
        if [.status, .logs, .restart, .instances, .stop].contains(op) && service == nil { throw RemoteRefusal(.remoteNeedsService(op: op.rawValue)) }
        if let n = lines, !(1...100_000).contains(n) { throw RemoteRefusal(.remoteLinesRange) }
        if let l = level, LineFilter.Level(rawValue: l) == nil { throw RemoteRefusal(.remoteInvalidLevel) }
        if let t = text, t.count > 200 || t.contains("\0") { throw RemoteRefusal(.remoteFilterTooLong) }
        if let re = regex {
            guard !re.isEmpty, re.count <= 200, (try? NSRegularExpression(pattern: re)) != nil else { throw RemoteRefusal(.remoteInvalidRegex) }
        }
        if let re = chatRegex {
            guard !re.isEmpty, re.count <= 200, (try? LinearRegex(re)) != nil else { throw RemoteRefusal(.remoteInvalidRegex) }
        }
        if let s = since, !s.isFinite { throw RemoteRefusal(.remoteInvalidSince) }
        if let i = instance, i.range(of: #"^[A-Za-z0-9]{1,64}$"#, options: .regularExpression) == nil { throw RemoteRefusal(.remoteInvalidInstance) }
        if op == .stop && instance == nil { throw RemoteRefusal(.remoteStopNeedsInstance) }
        guard deadline.isFinite, deadline > 0, deadline <= 3600 else { throw RemoteRefusal(.remoteDeadlineRange) }
    }

    /// The filter fields every `opsbot remote` applies, also those that do not say which they apply.
    static let legacyFilterFields = ["level", "text", "regex", "since"]
    /// What this version applies (sent back in `RemoteResponse.filterFields`).
    static let filterFields = ["level", "text", "regex", "chatRegex", "since"]

    /// The filter as the sender parsed it (validated: each pattern compiles).
    public var filter: LineFilter {
        LineFilter(level: level.flatMap(LineFilter.Level.init(rawValue:)), text: text,
                   regex: regex.flatMap { try? NSRegularExpression(pattern: $0) }, chatRegex: chatRegex.flatMap { try? LinearRegex($0) },
                   since: since.map { Date(timeIntervalSince1970: $0) })
    }
}

/// A request `opsbot remote` will not serve, with the reason sent back.
public struct RemoteRefusal: Error, CustomStringConvertible, Sendable, Localizable {
    public var description: String
    public var russian: String
    public var english: String { description }
    public init(_ d: String) { description = d; russian = d }
    init(_ m: BackendText) { description = m.english; russian = m.russian }
}

/// What `opsbot remote` prints: one JSON object.
public struct RemoteResponse: Codable, Sendable {
    public struct Status: Codable, Sendable {
        var state: String, detail: String, pids: [Int32], memoryBytes: Int?, startedAt: Double?, restartCounter: Int?
        var instances: Int, health: String?, error: String?
        var instancesUnknown: String?, configured: Int?, release: String?, releasedAt: Double?
        /// The remote `match` also catches processes not the service's (absent from older peers).
        var matchWarning: String?
        /// The Russian of the texts above, when the remote knows it (absent from older peers:
        /// their English is then shown in every language).
        var detailRU: String?, errorRU: String?, instancesUnknownRU: String?, matchWarningRU: String?, releaseRU: String?
    }
    public struct Line: Codable, Sendable { var text: String; var time: Double? }
    public struct Instance: Codable, Sendable { var kind: String, id: String, description: String, startedAt: Double?, supervised: Bool }

    public var ok: Bool
    public var error: String?
    /// `error` in Russian, when the remote has it (absent from older peers).
    public var errorRU: String?
    public var status: Status?
    public var lines: [Line]?
    public var notes: [String]?
    public var instances: [Instance]?
    /// The backend cannot count its copies (why): never sent as an empty list.
    public var instancesUnknown: String?
    /// `instancesUnknown` in Russian, when the remote has it.
    public var instancesUnknownRU: String?
    public var message: String?
    public var disk: DiskSnapshot?
    /// For `logs`: the filter fields this remote applied (absent from versions that predate
    /// `chatRegex`: the caller applies what they ignored itself).
    public var filterFields: [String]?
    /// For `statuses`: one entry per service asked, in the order asked.
    public var statuses: [ServiceAnswer]?

    /// One service's part of a `statuses` answer: its status, or why it has none (not in this
    /// host's config, remote there too) — one refusal does not sink the others.
    public struct ServiceAnswer: Codable, Sendable {
        public var service: String
        public var status: Status?
        public var error: String?
        public var errorRU: String?
    }

    public init(ok: Bool, error: String? = nil) { self.ok = ok; self.error = error }

    /// A refusal in both languages (the English for the caller's logs, the Russian for its chat).
    init(refusal: LocalizedText) { self.init(ok: false, error: refusal.en); errorRU = refusal.ru }

    /// `error` in every language.
    var errorText: LocalizedText? { error.map { LocalizedText(en: $0, ru: errorRU ?? $0) } }
}

extension RemoteResponse.Status {
    init(_ s: ServiceStatus) {
        state = s.state.rawValue; detail = s.detail; pids = s.pids; memoryBytes = s.memoryBytes
        startedAt = s.startedAt?.timeIntervalSince1970; restartCounter = s.restartCounter
        instances = s.instances; health = s.health; error = s.error
        instancesUnknown = s.instancesUnknown; configured = s.configured; release = s.release; releasedAt = s.releasedAt?.timeIntervalSince1970
        matchWarning = s.matchWarning
        // Sent only where the Russian differs (a command's own output is the same in both).
        func ru(_ t: LocalizedText?) -> String? { t.flatMap { $0.ru == $0.en ? nil : $0.ru } }
        detailRU = ru(s.detailText); errorRU = ru(s.errorText); instancesUnknownRU = ru(s.instancesUnknownText); matchWarningRU = ru(s.matchWarningText); releaseRU = ru(s.releaseText)
    }
    var serviceStatus: ServiceStatus {
        var s = ServiceStatus(state: ServiceStatus.State(rawValue: state) ?? .unknown, detail: detail, pids: pids, memoryBytes: memoryBytes,
                              startedAt: startedAt.map { Date(timeIntervalSince1970: $0) }, restartCounter: restartCounter,
                              instances: instances, health: health, error: error)
        s.instancesUnknown = instancesUnknown; s.configured = configured; s.release = release
        s.releasedAt = releasedAt.map { Date(timeIntervalSince1970: $0) }
        s.matchWarning = matchWarning
        func both(_ en: String?, _ ru: String?) -> LocalizedText? { en.map { LocalizedText(en: $0, ru: ru ?? $0) } }
        s.detailText = both(detail, detailRU)!
        s.errorText = both(error, errorRU)
        s.instancesUnknownText = both(instancesUnknown, instancesUnknownRU)
        s.matchWarningText = both(matchWarning, matchWarningRU)
        s.releaseText = both(release, releaseRU)
        return s
    }
}

extension RemoteResponse.Instance {
    init(_ i: ServiceInstance) {
        kind = i.kind.rawValue; id = i.id; description = i.description; startedAt = i.startedAt?.timeIntervalSince1970; supervised = i.supervised
    }
    var serviceInstance: ServiceInstance {
        ServiceInstance(kind: ServiceInstance.Kind(rawValue: kind) ?? .process, id: id, description: description,
                        startedAt: startedAt.map { Date(timeIntervalSince1970: $0) }, supervised: supervised)
    }
}
