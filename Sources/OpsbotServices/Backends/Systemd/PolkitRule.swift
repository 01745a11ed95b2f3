import Foundation
import OpsbotCore

/// The least privilege opsbot needs to run as its own user and still `/restart` the configured
/// systemd units: a polkit rule that lets that user restart exactly those units and nothing
/// else (`opsbot polkit-rule`, written to /etc/polkit-1/rules.d/). A rule, not sudo: the
/// shipped unit sets NoNewPrivileges, under which sudo cannot work, while systemctl asks
/// systemd over D-Bus and polkit decides with the unit's name and the verb.
public enum PolkitRule {
    /// The verbs opsbot's systemd backend uses (`systemctl restart UNIT`).
    public static let verbs = ["restart"]

    /// The units of the config's systemd-backend services (local ones; a service on another
    /// host is restarted by that host's opsbot), in config order, without duplicates.
    public static func units(_ settings: ServicesSettings) -> [String] {
        var seen = Set<String>()
        return settings.services.filter { $0.backend == .systemd && $0.host == nil }
            .compactMap(\.unit).map(normalized).filter { seen.insert($0).inserted }
    }

    /// `worker` → `worker.service`, as systemctl names it in the request polkit sees.
    static func normalized(_ unit: String) -> String {
        let types = [".service", ".socket", ".timer", ".target", ".path", ".mount", ".scope", ".slice"]
        return types.contains { unit.hasSuffix($0) } ? unit : unit + ".service"
    }

    /// The rule's JavaScript text for `user` and `units`.
    public static func text(user: String, units: [String]) -> String {
        func js(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let list = units.map(js).joined(separator: ", ")
        return """
        // Written by `opsbot polkit-rule` (opsbot \(OpsbotVersion.string)): the user \(user) may restart these
        // units and nothing else. Regenerate it when the services in the config change.
        polkit.addRule(function(action, subject) {
            if (action.id != "org.freedesktop.systemd1.manage-units" || subject.user != \(js(user))) return polkit.Result.NOT_HANDLED;
            var units = [\(list)];
            var verbs = [\(verbs.map(js).joined(separator: ", "))];
            if (units.indexOf(action.lookup("unit")) >= 0 && verbs.indexOf(action.lookup("verb")) >= 0) return polkit.Result.YES;
            return polkit.Result.NOT_HANDLED;
        });

        """
    }
}
