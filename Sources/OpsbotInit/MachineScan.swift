import Foundation

/// Everything `init` looks at, in one pass: systemd units, containers, then what their
/// directories hold (alembic), nginx's logs, and the health endpoints on their ports.
public struct MachineScan: Sendable {
    public var systemd: SystemdDiscovery?
    public var docker: DockerDiscovery?
    /// Files are read under this root (the live systemd's overlay in tests).
    public var root: String = "/"
    public var nginxLogDirectory: String = "/var/log/nginx"
    /// Probe the services' ports for a health endpoint (off in tests of other parts).
    public var probeHealth = true

    public init(systemd: SystemdDiscovery? = SystemdDiscovery(), docker: DockerDiscovery? = DockerDiscovery()) {
        self.systemd = systemd
        self.docker = docker
    }

    public func run() async -> Findings {
        var f = Findings()
        var directories: [String] = []
        if let systemd {
            let r = await systemd.discover()
            f.services += r.services
            f.leftOut += r.leftOut
            f.notes += r.notes
            directories += r.directories
        }
        if let docker {
            let r = await docker.discover()
            f.services += r.services
            f.notes += r.notes
            directories += r.directories
        }
        // Unique keys under services: (a unit and a compose service may share a name).
        var used = Set<String>()
        for i in f.services.indices {
            var n = f.services[i].name, k = 2
            while used.contains(n) { n = "\(f.services[i].name)-\(k)"; k += 1 }
            used.insert(n)
            f.services[i].name = n
        }
        f.alembicVersions = directories.lazy.compactMap { Self.alembic(in: $0, root: root) }.first
        f.nginxLogs = Self.logs(in: nginxLogDirectory)
        if probeHealth {
            await withTaskGroup(of: (Int, [String]).self) { g in
                for (i, s) in f.services.enumerated() where !s.ports.isEmpty {
                    g.addTask {
                        var found: [String] = []
                        for p in s.ports.prefix(3) { if let u = await PortScan.healthEndpoint(port: p) { found.append(u) } }
                        return (i, found)
                    }
                }
                for await (i, urls) in g { f.services[i].health = urls }
            }
        }
        return f
    }

    /// `DIR/alembic/versions` (or `migrations/versions` next to an `alembic.ini`).
    static func alembic(in dir: String, root: String) -> String? {
        let fm = FileManager.default
        let prefix = root == "/" ? "" : root
        for sub in ["alembic", "migrations"] {
            let versions = "\(dir)/\(sub)/versions"
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: prefix + versions, isDirectory: &isDir), isDir.boolValue else { continue }
            if sub == "alembic" || fm.fileExists(atPath: prefix + dir + "/alembic.ini") || fm.fileExists(atPath: "\(prefix)\(dir)/\(sub)/env.py") {
                return versions
            }
        }
        return nil
    }

    static func logs(in dir: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(".log") }.sorted().map { "\(dir)/\($0)" }
    }
}
