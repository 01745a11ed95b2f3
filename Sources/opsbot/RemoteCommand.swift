import ArgumentParser
import Foundation
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// `opsbot remote`: the forced command of opsbot's SSH key on a monitored host.
struct RemoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote",
        abstract: "Serve one request from a remote opsbot over SSH (use as the forced command in authorized_keys).",
        discussion: """
        Reads one JSON request from SSH_ORIGINAL_COMMAND — it is decoded, never executed — serves it with this \
        host's local backends, limited to the services this host's config names, and prints one JSON answer.

        authorized_keys line on the monitored host:
          restrict,command="/usr/local/bin/opsbot remote --config /etc/opsbot/remote.yaml" ssh-ed25519 AAAA… opsbot@ops
        """)

    @Option(name: .long, help: ArgumentHelp("This host's config: the services it may serve (default: $OPSBOT_CONFIG).", valueName: "path"))
    var config: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        RemoteServer.exitWhenOrphaned()
        let response: RemoteResponse
        var code: Int32 = 1
        do {
            let cfg = try OpsbotConfig.load(path: config ?? env["OPSBOT_CONFIG"], environment: env)
            let settings = try ServicesSettings.load(cfg, environment: env)
            (response, code) = await RemoteServer.serve(command: env["SSH_ORIGINAL_COMMAND"], settings: settings, environment: env)
        } catch {
            response = RemoteResponse(ok: false, error: "this host's opsbot config is invalid: \(error)")
        }
        let data = (try? JSONEncoder().encode(response)) ?? Data(#"{"ok":false,"error":"cannot encode the answer"}"#.utf8)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
        // A command still running past the deadline dies with the request.
        RemoteServer.killChildren()
        Foundation.exit(code)
    }
}
