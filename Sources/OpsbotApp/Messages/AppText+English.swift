import OpsbotSupport

extension AppText {
    var english: String {
        switch self {
        case .reloadRefused(let count, let problems):
            let list = problems.map { "  - \($0)" }.joined(separator: "\n")
            return HTML.escape("⚠️ Reload refused — still running the previous config. \(count) problem\(count == 1 ? "" : "s"):\n\(list)")
        case .reloaded(let source, let commands):
            return HTML.escape("🔄 Reloaded \(source): \(commands) commands.")
        case .catalogInvalid(let summary, _):
            return HTML.escape("⚠️ " + summary + " — the other commands work; fix the file and reload (systemctl reload opsbot).")
        }
    }
}
