import ArgumentParser
import Foundation
import OpsbotCore
import OpsbotServices

/// Prints the polkit rule that lets opsbot's user restart the configured units (PolkitRule).
struct PolkitRuleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polkit-rule",
        abstract: "Print the polkit rule that lets opsbot's user restart exactly the configured systemd units.",
        discussion: """
        opsbot polkit-rule --config /etc/opsbot/opsbot.yaml > /etc/polkit-1/rules.d/50-opsbot.rules
        Run it again when the services in the config change. Exit 1 when the config has no systemd service.
        """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: ArgumentHelp("The user opsbot runs as.", valueName: "name"))
    var user = "opsbot"

    func run() async throws {
        let runtime = options.loadRuntime(strict: false)
        let settings: ServicesSettings
        do { settings = try ServicesSettings.load(runtime.config) } catch { fail("\(error)", code: 2) }
        let units = PolkitRule.units(settings)
        guard !units.isEmpty else { fail("no service with backend: systemd in \(runtime.config.source): nothing to allow", code: 1) }
        print(PolkitRule.text(user: user, units: units), terminator: "")
    }
}
