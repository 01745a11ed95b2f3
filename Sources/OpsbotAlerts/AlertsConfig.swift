import Alerting
import Foundation
import OpsbotCore
import OpsbotSupport

/// The `alerts:` config section. Every key is optional; demo/config-alerts.yaml documents them.
public struct AlertsConfig: Decodable, Sendable {
    public var enabled = true
    /// Where alerts go; default: the first admin chat.
    public var chatID: Int64?
    /// Check provider name → interval (seconds). Empty: every provider at `default_interval`.
    public var checks: [String: Double] = [:]
    public var defaultInterval: Double = 60
    /// Longest a check run may take; default min(interval, 30 s).
    public var timeout: Double?
    /// ± fraction of the interval added at random, so checks do not run in lockstep.
    public var jitter: Double = 0.1
    /// How often results are evaluated and the outbox is worked.
    public var tick: Double = 1
    public var repeatInterval: Double = 3600
    public var flapChanges = 4
    public var flapWindow: Double = 600
    public var perMinute = 20
    public var burst = 3
    public var retryInitial: Double = 2
    public var retryMax: Double = 30
    public var catchAll = true
    public var muteDurations: [Double] = [3600, 14400, 86400]
    public var replaceDefaultRules = false
    public var rules: [RuleSpec] = []
    /// nil: the default inhibitions.
    public var inhibit: [InhibitSpec]?
    /// The language of alerts pushed to the chat; nil: the top-level `language:`.
    public var language: LanguageSetting?

    public init() {}

    /// A rule as written in the config; fields left out keep the default rule's (same name).
    public struct RuleSpec: Decodable, Sendable {
        public var name: String
        public var check: String?
        public var target: String?
        public var severity: Severity?
        public var severityMap: [Severity: Severity]?
        public var forCount: Int?
        public var repeatInterval: Double?
        public var fire: Double?
        public var clear: Double?
        public var remediation: String?
        public var remediationLabel: String?
        public var description: String?
        public var enabled = true

        enum K: String, CodingKey, CaseIterable {
            case name, check, target, severity, severity_map, `for`, `repeat`, fire, clear, remediation, remediation_label, description, enabled
        }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            name = try c.decode(String.self, forKey: .name)
            guard name.range(of: #"^[A-Za-z0-9_.-]{1,40}$"#, options: .regularExpression) != nil else {
                throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: "\"\(name)\" is not a valid rule name (1–40 of A-Z a-z 0-9 _ . -)")
            }
            check = try c.decodeIfPresent(String.self, forKey: .check)
            target = try c.decodeIfPresent(String.self, forKey: .target)
            if let s = try c.decodeIfPresent(String.self, forKey: .severity) {
                guard let v = Severity(label: s) else {
                    throw DecodingError.dataCorruptedError(forKey: .severity, in: c, debugDescription: "expected warning or critical, got \"\(s)\"")
                }
                severity = v
            }
            if let m = try c.decodeIfPresent([String: String].self, forKey: .severity_map) {
                var out: [Severity: Severity] = [:]
                for (k, v) in m {
                    guard let from = Severity(label: k), let to = Severity(label: v) else {
                        throw DecodingError.dataCorruptedError(forKey: .severity_map, in: c, debugDescription: "expected warning/critical → warning/critical, got \(k): \(v)")
                    }
                    out[from] = to
                }
                severityMap = out
            }
            forCount = try c.decodeIfPresent(Int.self, forKey: .for)
            if let f = forCount, f < 1 { throw DecodingError.dataCorruptedError(forKey: .for, in: c, debugDescription: "must be at least 1") }
            repeatInterval = try c.duration(.repeat)
            fire = try c.decodeIfPresent(Double.self, forKey: .fire)
            clear = try c.decodeIfPresent(Double.self, forKey: .clear)
            if let f = fire, let cl = clear, cl > f {
                throw DecodingError.dataCorruptedError(forKey: .clear, in: c, debugDescription: "must not be above fire (\(f)): it is where the alert clears")
            }
            remediation = try c.decodeIfPresent(String.self, forKey: .remediation)
            if let r = remediation, !r.hasPrefix("/") {
                throw DecodingError.dataCorruptedError(forKey: .remediation, in: c, debugDescription: "expected a chat command such as \"/restart {service}\"")
            }
            remediationLabel = try c.decodeIfPresent(String.self, forKey: .remediation_label)
            description = try c.decodeIfPresent(String.self, forKey: .description)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        }
    }

    public struct InhibitSpec: Decodable, Sendable {
        public var source: [String]
        public var targets: [String]
        public var sameService = false
        enum K: String, CodingKey, CaseIterable { case source, targets, same_service }
        public init(from d: Decoder) throws {
            let c = try d.container(keyedBy: K.self)
            if let list = try? c.decode([String].self, forKey: .source) { source = list } else { source = [try c.decode(String.self, forKey: .source)] }
            targets = try c.decode([String].self, forKey: .targets)
            sameService = try c.decodeIfPresent(Bool.self, forKey: .same_service) ?? false
        }
    }

    enum K: String, CodingKey, CaseIterable {
        case enabled, chat_id, checks, default_interval, timeout, jitter, tick, `repeat`, flapping, rate_limit, retry,
             catch_all, mute_durations, replace_default_rules, rules, inhibit, language
    }
    enum FlapK: String, CodingKey, CaseIterable { case changes, window }
    enum RateK: String, CodingKey, CaseIterable { case per_minute, burst }
    enum RetryK: String, CodingKey, CaseIterable { case initial, max }

    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: K.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        chatID = try c.decodeIfPresent(Int64.self, forKey: .chat_id)
        if let m = try c.decodeIfPresent([String: ConfigDuration].self, forKey: .checks) {
            checks = m.mapValues(\.seconds)
            if let bad = checks.first(where: { $0.value < 1 }) {
                throw DecodingError.dataCorruptedError(forKey: .checks, in: c, debugDescription: "\(bad.key): the interval must be at least 1s")
            }
        }
        defaultInterval = try c.duration(.default_interval, min: 1) ?? defaultInterval
        timeout = try c.duration(.timeout, min: 0.1)
        jitter = try c.decodeIfPresent(Double.self, forKey: .jitter) ?? jitter
        guard (0...0.5).contains(jitter) else { throw DecodingError.dataCorruptedError(forKey: .jitter, in: c, debugDescription: "expected a fraction 0…0.5") }
        tick = try c.duration(.tick, min: 0.05) ?? tick
        repeatInterval = try c.duration(.repeat, min: 1) ?? repeatInterval
        if c.contains(.flapping) {
            let f = try c.nestedContainer(keyedBy: FlapK.self, forKey: .flapping)
            flapChanges = try f.decodeIfPresent(Int.self, forKey: .changes) ?? flapChanges
            guard flapChanges >= 2 else { throw DecodingError.dataCorruptedError(forKey: .changes, in: f, debugDescription: "must be at least 2") }
            flapWindow = try f.duration(.window, min: 1) ?? flapWindow
        }
        if c.contains(.rate_limit) {
            let r = try c.nestedContainer(keyedBy: RateK.self, forKey: .rate_limit)
            perMinute = try r.decodeIfPresent(Int.self, forKey: .per_minute) ?? perMinute
            burst = try r.decodeIfPresent(Int.self, forKey: .burst) ?? burst
            guard perMinute >= 2, burst >= 1, burst < perMinute else {
                throw DecodingError.dataCorruptedError(forKey: .per_minute, in: r, debugDescription: "expected per_minute ≥ 2 and 1 ≤ burst < per_minute")
            }
        }
        if c.contains(.retry) {
            let r = try c.nestedContainer(keyedBy: RetryK.self, forKey: .retry)
            retryInitial = try r.duration(.initial, min: 0.1) ?? retryInitial
            retryMax = try r.duration(.max, min: 1) ?? retryMax
        }
        catchAll = try c.decodeIfPresent(Bool.self, forKey: .catch_all) ?? catchAll
        if let m = try c.decodeIfPresent([ConfigDuration].self, forKey: .mute_durations) {
            muteDurations = m.map(\.seconds).filter { $0 > 0 }
        }
        replaceDefaultRules = try c.decodeIfPresent(Bool.self, forKey: .replace_default_rules) ?? false
        rules = try c.decodeIfPresent([RuleSpec].self, forKey: .rules) ?? []
        var names = Set<String>()
        for r in rules where !names.insert(r.name).inserted {
            throw DecodingError.dataCorruptedError(forKey: .rules, in: c, debugDescription: "rule \"\(r.name)\" is defined twice")
        }
        inhibit = try c.decodeIfPresent([InhibitSpec].self, forKey: .inhibit)
        if let l = try c.decodeIfPresent(String.self, forKey: .language) {
            guard let v = LanguageSetting(rawValue: l) else {
                throw DecodingError.dataCorruptedError(forKey: .language, in: c, debugDescription: "expected en, ru or auto, got \"\(l)\"")
            }
            language = v
        }
    }

    /// The default rules with the config's rules merged in by name.
    public var effectiveRules: [AlertRule] {
        var out = replaceDefaultRules ? [] : DefaultRules.rules
        for s in rules {
            var r = out.first { $0.name == s.name } ?? AlertRule(name: s.name)
            out.removeAll { $0.name == s.name }
            guard s.enabled else { continue }
            if let v = s.check { r.check = v }
            if let v = s.target { r.target = v }
            if let v = s.severity { r.severity = v }
            if let v = s.severityMap { r.severityMap = v }
            if let v = s.forCount { r.forCount = v }
            if let v = s.repeatInterval { r.repeatInterval = v }
            if let v = s.fire { r.fire = v; if s.clear == nil, let c = r.clear, c > v { r.clear = v } }
            if let v = s.clear { r.clear = v }
            if let v = s.remediation { r.remediation = v }
            // The config's own text shows as written, in every language.
            if let v = s.remediationLabel { r.remediationLabel = v; r.remediationLabelRU = nil }
            if let v = s.description { r.description = v; r.descriptionRU = nil }
            out.append(r)
        }
        return out
    }

    public var engineSettings: AlertEngine.Settings {
        var s = AlertEngine.Settings()
        s.defaultRepeat = repeatInterval
        s.flapChanges = flapChanges
        s.flapWindow = flapWindow
        s.catchAll = catchAll
        if let inhibit { s.inhibitions = inhibit.map { InhibitRule(source: $0.source, targets: $0.targets, sameService: $0.sameService) } }
        return s
    }

    public var outboxSettings: Outbox.Settings {
        var s = Outbox.Settings()
        s.perMinute = perMinute
        s.burst = burst
        s.retryInitial = retryInitial
        s.retryMax = retryMax
        return s
    }

    /// The alert chat: `alerts.chat_id`, else the first admin chat.
    public func chat(_ config: Config) -> Int64? { chatID ?? config.admins.chats.first }

    /// `instance:` (top level): the name alert messages carry; default the host name.
    public static func instance(_ config: Config) throws -> String? {
        try config.section("instance", as: String.self).flatMap { $0.isEmpty ? nil : $0 }
    }

    public static func load(_ config: Config) throws -> AlertsConfig {
        try config.section("alerts", as: AlertsConfig.self) ?? AlertsConfig()
    }
}

extension AlertsConfig {
    /// Check providers a partial `alerts.checks` turns off: listing some schedules only those.
    public static func unscheduledChecks(_ config: AlertsConfig, _ registry: CheckRegistry) -> [String] {
        guard !config.checks.isEmpty else { return [] }
        return registry.all.filter { $0.scheduledByAlerts && $0.name != AlertDeliveryCheck.providerName && config.checks[$0.name] == nil }
            .map(\.name).sorted()
    }
}
