import Foundation

/// The parts of the Docker Engine API opsbot reads (`/containers/json`, `/containers/{id}/json`,
/// `/containers/{id}/stats?stream=false`, `/containers/{id}/logs`).
public enum DockerAPI {
    public struct ContainerSummary: Decodable, Sendable, Hashable {
        public var Id: String
        public var Names: [String]
        public var Image: String
        public var State: String
        public var Status: String
        public var Labels: [String: String]?
        public var Created: Int?
        /// The command line as `docker ps --no-trunc` shows it (`python -m bot`).
        public var Command: String?

        public var name: String { (Names.first ?? Id).trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        public var composeService: String? { Labels?["com.docker.compose.service"] }
        public var composeProject: String? { Labels?["com.docker.compose.project"] }
    }

    public struct ContainerDetail: Decodable, Sendable, Hashable {
        public struct RunState: Decodable, Sendable, Hashable {
            public struct HealthState: Decodable, Sendable, Hashable {
                public var status: String
                enum CodingKeys: String, CodingKey { case status = "Status" }
            }
            public var status: String
            public var running: Bool
            public var restarting: Bool?
            public var pid: Int?
            public var exitCode: Int?
            public var startedAt: String?
            public var health: HealthState?
            enum CodingKeys: String, CodingKey {
                case status = "Status", running = "Running", restarting = "Restarting", pid = "Pid", exitCode = "ExitCode"
                case startedAt = "StartedAt", health = "Health"
            }
        }
        public struct ContainerConfig: Decodable, Sendable, Hashable {
            public var image: String?
            public var env: [String]?
            public var tty: Bool?
            enum CodingKeys: String, CodingKey { case image = "Image", env = "Env", tty = "Tty" }
        }
        public var id: String
        public var name: String
        public var restartCount: Int
        public var state: RunState
        public var config: ContainerConfig?
        enum CodingKeys: String, CodingKey { case id = "Id", name = "Name", restartCount = "RestartCount", state = "State", config = "Config" }

        public var startedAt: Date? { state.startedAt.flatMap(ISO8601.parse) }
        public var environment: [String: String] {
            var out: [String: String] = [:]
            for e in config?.env ?? [] {
                if let eq = e.firstIndex(of: "=") { out[String(e[..<eq])] = String(e[e.index(after: eq)...]) }
            }
            return out
        }
    }

    public struct Stats: Decodable, Sendable {
        public struct Memory: Decodable, Sendable {
            public var usage: Int?
            public var stats: [String: Int]?
        }
        public var memory_stats: Memory?
        /// Usage minus page cache (what `docker stats` shows).
        public var memoryBytes: Int? {
            guard let u = memory_stats?.usage else { return nil }
            let cache = memory_stats?.stats?["inactive_file"] ?? memory_stats?.stats?["cache"] ?? 0
            return max(0, u - cache)
        }
    }

    public static func containers(_ data: Data) throws -> [ContainerSummary] {
        try JSONDecoder().decode([ContainerSummary].self, from: data)
    }

    public static func detail(_ data: Data) throws -> ContainerDetail {
        try JSONDecoder().decode(ContainerDetail.self, from: data)
    }

    public static func stats(_ data: Data) throws -> Stats {
        try JSONDecoder().decode(Stats.self, from: data)
    }

    /// Splits the multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, big-endian
    /// length) into lines; a TTY container's stream has no headers and is split as is.
    public static func demuxLogs(_ data: Data, tty: Bool = false) -> [String] {
        let bytes = [UInt8](data)
        var payload: [UInt8] = []
        if tty || bytes.count < 8 || !(bytes[0] <= 2 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0) {
            payload = bytes
        } else {
            var i = 0
            while i + 8 <= bytes.count {
                let len = Int(bytes[i + 4]) << 24 | Int(bytes[i + 5]) << 16 | Int(bytes[i + 6]) << 8 | Int(bytes[i + 7])
                let start = i + 8
                let end = min(bytes.count, start + len)
                payload.append(contentsOf: bytes[start..<end])
                i = end
            }
        }
        var lines = payload.split(separator: 0x0A, omittingEmptySubsequences: false).map { Sanitize.line(Array($0)) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
