import Foundation
import SystemOps
import Yams
import OpsbotCore
import OpsbotSupport

/// `service_options:` — settings shared by all services.
public struct ServiceOptions: Decodable, Sendable {
    /// Order for `/restart all` (services not listed follow, in config order).
    public var restartOrder: [String] = []
    public var defaultLines: Int = 50
    public var maxLines: Int = 2000
    /// Env var names whose values are masked in log output (besides secret-shaped strings).
    public var maskEnv: [String] = ["TELEGRAM_BOT_TOKEN", "BOT_TOKEN", "DATABASE_URL", "ENCRYPTION_SECRET", "OPENAI_API_KEY"]
    public var dockerSocket: String = "/var/run/docker.sock"
    public var systemctl: [String] = ["systemctl"]
    public var journalctl: [String] = ["journalctl"]
    public var dockerCLI: [String] = ["docker"]
    /// argv prefix the process backend starts apps with when opsbot runs under systemd, so they
    /// leave opsbot's cgroup; [] starts them as opsbot's children (session of their own).
    public var systemdRun: [String] = ["systemd-run"]
    /// Replies with more log lines than this go out as a file.
    public var attachmentLines: Int = 80
    enum CodingKeys: String, CodingKey {
        case restartOrder = "restart_order", defaultLines = "default_lines", maxLines = "max_lines", maskEnv = "mask_env"
        case dockerSocket = "docker_socket", systemctl, journalctl, dockerCLI = "docker_cli", attachmentLines = "attachment_lines"
        case systemdRun = "systemd_run"
    }
    public init() {}
    public init(from d: Decoder) throws {
        let c = try d.container(keyedBy: CodingKeys.self)
        restartOrder = try c.decodeIfPresent([String].self, forKey: .restartOrder) ?? []
        defaultLines = try c.decodeIfPresent(Int.self, forKey: .defaultLines) ?? 50
        maxLines = try c.decodeIfPresent(Int.self, forKey: .maxLines) ?? 2000
        maskEnv = try c.decodeIfPresent([String].self, forKey: .maskEnv) ?? maskEnv
        dockerSocket = try c.decodeIfPresent(String.self, forKey: .dockerSocket) ?? dockerSocket
        systemctl = try c.decodeIfPresent([String].self, forKey: .systemctl) ?? systemctl
        journalctl = try c.decodeIfPresent([String].self, forKey: .journalctl) ?? journalctl
        dockerCLI = try c.decodeIfPresent([String].self, forKey: .dockerCLI) ?? dockerCLI
        systemdRun = try c.decodeIfPresent([String].self, forKey: .systemdRun) ?? systemdRun
        attachmentLines = try c.decodeIfPresent(Int.self, forKey: .attachmentLines) ?? 80
    }
}
