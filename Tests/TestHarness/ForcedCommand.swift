import Foundation
import TestKit
import SystemOps
import OpsbotServices

/// `opsbot remote` as sshd runs it: the forced command, the request in SSH_ORIGINAL_COMMAND, in a
/// process of its own. The remote's deadlines are then its own: in-process, the first seconds of
/// the parallel suite starve the cooperative pool and a deadline fires before work that was due.
package enum ForcedCommand {
    package static func serve(_ request: String?, servicesYAML: String) async throws -> (response: RemoteResponse, exitCode: Int32, seconds: Double) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-remote-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try servicesYAML.write(toFile: dir + "/remote.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["SSH_ORIGINAL_COMMAND"] = request
        let t0 = Date()
        let run = try await ProcessRunner.run([Repository.opsbotBinary, "remote", "--config", dir + "/remote.yaml"], timeout: 60, environment: env)
        let seconds = Date().timeIntervalSince(t0)
        guard let response = try? JSONDecoder().decode(RemoteResponse.self, from: Data(run.stdout.utf8)) else {
            throw TestAppError(message: "opsbot remote printed no answer (exit \(run.exitCode)): \(run.stdout) \(run.stderr)")
        }
        return (response, run.exitCode, seconds)
    }
}
