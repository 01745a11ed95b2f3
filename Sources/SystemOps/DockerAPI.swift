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
            public var finishedAt: String?
            public var health: HealthState?
            enum CodingKeys: String, CodingKey {
                case status = "Status", running = "Running", restarting = "Restarting", pid = "Pid", exitCode = "ExitCode"
                case startedAt = "StartedAt", finishedAt = "FinishedAt", health = "Health"
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

    /// `GET /system/df`: sizes in bytes; `SizeRw` is omitted by the engine when 0.
    public struct DiskUsage: Decodable, Sendable {
        public struct Image: Decodable, Sendable { public var Size: Int?; public var SharedSize: Int?; public var Containers: Int? }
        public struct Container: Decodable, Sendable { public var SizeRw: Int?; public var State: String? }
        public struct Volume: Decodable, Sendable {
            public struct Usage: Decodable, Sendable { public var Size: Int?; public var RefCount: Int? }
            public var UsageData: Usage?
        }
        public struct CacheRecord: Decodable, Sendable { public var Size: Int?; public var InUse: Bool? }
        public var LayersSize: Int?
        public var Images: [Image]?
        public var Containers: [Container]?
        public var Volumes: [Volume]?
        public var BuildCache: [CacheRecord]?

        /// One row of `docker system df`: count, active, size, reclaimable.
        public struct Row: Sendable, Hashable {
            public var kind: String
            public var total: Int
            public var active: Int
            public var bytes: Int
            public var reclaimable: Int
        }

        /// The rows `docker system df` prints (its reclaimable rules: images with no container,
        /// containers not running, volumes with no reference, build cache not in use).
        public var rows: [Row] {
            let imgs = Images ?? [], cons = Containers ?? [], vols = Volumes ?? [], cache = BuildCache ?? []
            let imgActive = imgs.filter { ($0.Containers ?? 0) > 0 }
            let imgBytes = LayersSize ?? imgs.reduce(0) { $0 + ($1.Size ?? 0) }
            let imgUsed = imgActive.reduce(0) { $0 + max(0, ($1.Size ?? 0) - ($1.SharedSize ?? 0)) }
            let conActive = cons.filter { $0.State == "running" }
            return [
                Row(kind: "Images", total: imgs.count, active: imgActive.count, bytes: imgBytes, reclaimable: max(0, imgBytes - imgUsed)),
                Row(kind: "Containers", total: cons.count, active: conActive.count, bytes: cons.reduce(0) { $0 + ($1.SizeRw ?? 0) },
                    reclaimable: cons.filter { $0.State != "running" }.reduce(0) { $0 + ($1.SizeRw ?? 0) }),
                Row(kind: "Local Volumes", total: vols.count, active: vols.filter { ($0.UsageData?.RefCount ?? 0) > 0 }.count,
                    bytes: vols.reduce(0) { $0 + max(0, $1.UsageData?.Size ?? 0) },
                    reclaimable: vols.filter { ($0.UsageData?.RefCount ?? 0) == 0 }.reduce(0) { $0 + max(0, $1.UsageData?.Size ?? 0) }),
                Row(kind: "Build Cache", total: cache.count, active: cache.filter { $0.InUse == true }.count,
                    bytes: cache.reduce(0) { $0 + ($1.Size ?? 0) }, reclaimable: cache.filter { $0.InUse != true }.reduce(0) { $0 + ($1.Size ?? 0) }),
            ]
        }
    }

    /// What one prune call removed (`ContainersDeleted`, `ImagesDeleted`, `NetworksDeleted`,
    /// `CachesDeleted`: null when nothing) and the bytes it reports freed.
    public struct PruneResult: Sendable, Hashable {
        public var what: String
        public var deleted: Int
        public var spaceReclaimed: Int
    }

    public static func pruneResult(_ what: String, _ data: Data) -> PruneResult {
        let obj = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        let deleted = ["ContainersDeleted", "ImagesDeleted", "NetworksDeleted", "CachesDeleted", "VolumesDeleted"]
            .compactMap { obj[$0] as? [Any] }.reduce(0) { $0 + $1.count }
        let bytes = (obj["SpaceReclaimed"] as? NSNumber)?.intValue ?? 0
        return PruneResult(what: what, deleted: deleted, spaceReclaimed: bytes)
    }

    /// One entry of `GET /events` (newline-separated JSON objects).
    public struct Event: Sendable, Hashable {
        public var action: String
        public var attributes: [String: String]
    }

    public static func events(_ data: Data) -> [Event] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let action = (o["Action"] as? String) ?? (o["status"] as? String) ?? ""
            let attrs = ((o["Actor"] as? [String: Any])?["Attributes"] as? [String: String]) ?? [:]
            return Event(action: action, attributes: attrs)
        }
    }

    public static func diskUsage(_ data: Data) throws -> DiskUsage {
        try JSONDecoder().decode(DiskUsage.self, from: data)
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
