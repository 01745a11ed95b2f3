import Foundation
import OpsbotSupport

/// A live Docker engine for tests (shared/LIVE-ENGINES.md, section 1): `dockerd` with its own
/// data-root, exec-root, socket and pidfile under `/tmp/opsbot-dk-…`, no iptables and no bridge,
/// its containers under a cgroup parent of its own, and one image imported from a busybox-static
/// root filesystem (no registry). Started once per test process, torn down at exit by PID (force
/// remove the containers, SIGTERM dockerd, unmount what is left under the directory, rmdir the
/// cgroups); a directory whose owner process died is reaped by the next start.
public final class TestDocker: @unchecked Sendable {
    public let directory: String
    public let socket: String
    /// `local/busybox:test`: `/bin/sh` and the busybox applets.
    public let image = "local/busybox:test"
    /// Wall-clock time to start dockerd until `/_ping` answers, and to import the image.
    public let startMilliseconds: Int
    public let imageMilliseconds: Int

    /// True when the engine may run (root, dockerd, busybox and curl present, or CI=true); else the banner is printed once.
    public static var enabled: Bool {
        guard let why = LiveEngine.unavailable("dockerd", needs: [dockerd, busybox, "/usr/bin/curl"]) else { return true }
        LiveEngine.banner("dockerd", why)
        return false
    }

    static let dockerd = "/usr/sbin/dockerd"
    static let busybox = "/bin/busybox"
    static let prefix = "opsbot-dk-"

    nonisolated(unsafe) private static var started: Result<TestDocker, Error>?
    nonisolated(unsafe) private static var stopDirectory: String?
    private static let lock = NSLock()

    /// The shared engine, started on first use (off the cooperative pool: it takes ~1 s).
    public static func shared() async throws -> TestDocker {
        try await runBlocking {
            lock.lock()
            defer { lock.unlock() }
            if let started { return try started.get() }
            let r = Result { try TestDocker.start() }
            started = r
            return try r.get()
        }
    }

    private init(directory: String, startMilliseconds: Int, imageMilliseconds: Int) {
        self.directory = directory
        socket = directory + "/docker.sock"
        self.startMilliseconds = startMilliseconds
        self.imageMilliseconds = imageMilliseconds
    }

    private static func start() throws -> TestDocker {
        guard FileManager.default.isExecutableFile(atPath: dockerd) else {
            throw TestAppError(message: "\(dockerd) not found (CI=true requires a live Docker engine: apt-get install docker.io busybox-static)")
        }
        LiveEngine.reap(prefix: prefix) { dir in _ = try? LiveEngine.sh(downScript, [dir]) }
        let dir = try LiveEngine.stateDirectory(prefix: prefix)
        stopDirectory = dir
        atexit {
            guard let dir = TestDocker.stopDirectory else { return }
            let t = Date()
            _ = try? LiveEngine.sh(TestDocker.downScript, [dir])
            FileHandle.standardError.write(Data("live dockerd: stopped and cleaned up in \(LiveEngine.ms(since: t)) ms\n".utf8))
        }
        var t = Date()
        do {
            _ = try LiveEngine.checkedSh("starting dockerd", upScript, [dir])
        } catch {
            _ = try? LiveEngine.sh(downScript, [dir])
            stopDirectory = nil
            throw error
        }
        let up = LiveEngine.ms(since: t)
        t = Date()
        _ = try LiveEngine.checkedSh("importing the busybox image", imageScript, [dir, "local/busybox", "test"])
        return TestDocker(directory: dir, startMilliseconds: up, imageMilliseconds: LiveEngine.ms(since: t))
    }

    /// Stops this engine now (for the start/stop figures); returns the milliseconds it took.
    public func stopNow() -> Int {
        let t = Date()
        _ = try? LiveEngine.sh(TestDocker.downScript, [directory])
        TestDocker.lock.lock(); TestDocker.stopDirectory = nil; TestDocker.lock.unlock()
        return LiveEngine.ms(since: t)
    }

    // MARK: - Engine API (through curl on the socket)

    /// `METHOD path` with an optional JSON body; returns the HTTP status and body.
    @discardableResult
    public func api(_ method: String, _ path: String, json: String? = nil, timeout: Int = 60) throws -> (status: Int, body: String) {
        var args = ["-sS", "--max-time", String(timeout), "--unix-socket", socket, "-X", method, "-w", "\n%{http_code}"]
        if let json { args += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        let r = try TestPostgres.run("/usr/bin/curl", args + ["http://d/v1.41" + path], input: json)
        guard r.status == 0 else { throw TestAppError(message: "curl \(method) \(path): \(r.stderr)") }
        var lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let code = Int(lines.popLast() ?? "") ?? 0
        return (code, lines.joined(separator: "\n"))
    }

    func checked(_ method: String, _ path: String, json: String? = nil) throws -> String {
        let r = try api(method, path, json: json)
        guard (200..<300).contains(r.status) else { throw TestAppError(message: "docker \(method) \(path): HTTP \(r.status) \(r.body)") }
        return r.body
    }

    /// Creates and starts a container of the busybox image; returns its id.
    @discardableResult
    public func run(name: String, cmd: [String], labels: [String: String] = [:], env: [String] = [], tty: Bool = false,
                    restart: String? = nil, maxRetries: Int = 0, healthcheck: [String]? = nil, healthInterval: Double = 1,
                    initProcess: Bool = false, stopTimeout: Int? = nil, start: Bool = true) throws -> String {
        var cfg: [String: Any] = ["Image": image, "Cmd": cmd, "Labels": labels, "Env": env, "Tty": tty]
        if let stopTimeout { cfg["StopTimeout"] = stopTimeout }
        var host: [String: Any] = ["Init": initProcess, "NetworkMode": "none"]
        if let restart { host["RestartPolicy"] = ["Name": restart, "MaximumRetryCount": maxRetries] }
        cfg["HostConfig"] = host
        if let hc = healthcheck {
            let ns = Int(healthInterval * 1e9)
            cfg["Healthcheck"] = ["Test": ["CMD-SHELL"] + hc, "Interval": ns, "Timeout": ns, "Retries": 1, "StartPeriod": 0]
        }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: cfg), as: UTF8.self)
        let created = try checked("POST", "/containers/create?name=\(name)", json: body)
        guard let obj = try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any], let id = obj["Id"] as? String else {
            throw TestAppError(message: "docker create \(name): \(created)")
        }
        if start { try checked("POST", "/containers/\(id)/start") }
        return id
    }

    /// `GET /containers/{id}/json` as a dictionary.
    public func inspect(_ id: String) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(try checked("GET", "/containers/\(id)/json").utf8)) as? [String: Any]) ?? [:]
    }

    /// Force-removes every container (between tests).
    public func removeAll() throws {
        let list = try checked("GET", "/containers/json?all=1")
        let ids = ((try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]]) ?? []).compactMap { $0["Id"] as? String }
        for id in ids { _ = try api("DELETE", "/containers/\(id)?force=1&v=1") }
    }

    /// Polls `predicate` every 0.1 s up to `timeout`; true when it held.
    public func wait(_ timeout: Double, _ predicate: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(timeout)
        repeat {
            if try predicate() { return true }
            usleep(100_000)
        } while Date() < end
        return false
    }

    // MARK: - Scripts (shared/LIVE-ENGINES.md, "Harness scripts")

    /// `up DIR`: dockerd on DIR/docker.sock; no iptables, no bridge, cgroup parent /opsbot-dk-<dir>.
    static let upScript = #"""
    set -eu
    T=$1; CG=$(basename "$T")
    setsid /usr/sbin/dockerd \
      --data-root "$T/data" --exec-root "$T/exec" --pidfile "$T/dockerd.pid" \
      --host "unix://$T/docker.sock" \
      --iptables=false --ip6tables=false --bridge=none \
      --storage-driver=overlay2 --cgroup-parent="/$CG" \
      --shutdown-timeout=2 --log-level=warn \
      >"$T/dockerd.log" 2>&1 </dev/null &
    i=0
    until curl -sf --max-time 1 --unix-socket "$T/docker.sock" http://d/_ping >/dev/null 2>&1; do
      i=$((i+1)); [ $i -lt 400 ] || { echo "dockerd did not come up" >&2; tail -20 "$T/dockerd.log" >&2; exit 1; }
      sleep 0.05
    done
    """#

    /// `image DIR REPO TAG`: a busybox-static root filesystem imported through the API.
    static let imageScript = #"""
    set -eu
    T=$1; R="$T/rootfs"
    mkdir -p "$R/bin" "$R/tmp" "$R/etc"
    cp /bin/busybox "$R/bin/busybox"
    for a in $("$R/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
    tar -C "$R" -c . | curl -sSf --max-time 60 --unix-socket "$T/docker.sock" -X POST -H 'Content-Type: application/x-tar' \
      --data-binary @- "http://d/v1.41/images/create?fromSrc=-&repo=$2&tag=$3" >/dev/null
    rm -rf "$R"
    """#

    /// `down DIR`: force-remove containers, stop dockerd by its PID, unmount leftovers, rmdir cgroups, remove DIR.
    static let downScript = #"""
    T=$1; CG=$(basename "$T"); S="$T/docker.sock"
    if [ -S "$S" ]; then
      for id in $(curl -sf --max-time 10 --unix-socket "$S" 'http://d/v1.41/containers/json?all=1' | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4); do
        curl -sf --max-time 20 --unix-socket "$S" -X DELETE "http://d/v1.41/containers/$id?force=1&v=1" >/dev/null || true
      done
    fi
    if [ -f "$T/dockerd.pid" ]; then
      P=$(cat "$T/dockerd.pid")
      if [ -n "$P" ] && grep -q dockerd "/proc/$P/comm" 2>/dev/null; then
        kill -TERM "$P" 2>/dev/null
        i=0; while kill -0 "$P" 2>/dev/null; do i=$((i+1)); [ $i -lt 150 ] || { kill -KILL "$P"; break; }; sleep 0.1; done
      fi
    fi
    # containerd started by this dockerd (its socket is under our exec-root)
    for p in $(pgrep -f "containerd --config $T/exec/" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
    grep -o " $T/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
    for d in /sys/fs/cgroup/*/"$CG"; do [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done
    rm -rf "$T"
    rmdir /run/docker/plugins /run/docker /run/containerd/s /run/containerd /run/mount 2>/dev/null
    true
    """#
}
