import Foundation
import TestKit
import TestSupport
import TestTraits
import LocalStore
import ServiceLifecycleTestKit
import Testing
import TestKit
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// The real poll loop (`TelegramService.serve`) against the loopback Bot API server.
package final class LoopHarness: @unchecked Sendable {
    package static let token = "123456789:" + "AAFakeTokenForTestsOnly_abcdefghijklmn"
    static let chat: Int64 = -1001
    package static let admin: Int64 = 11
    static let admin2: Int64 = 12

    package let fake: FakeBotAPI
    package let dir: String
    let marker: String
    private var serving: Task<Int32, Never>?
    /// Stops the app's services as SIGTERM would (the group inherits this graceful shutdown).
    private let stop = FirstAnswer<GracefulShutdownTestTrigger>()
    /// What the loop logged (redacted by opsbot's handler).
    package let log = LogCapture()
    /// What opsbot's config and services see as their environment.
    let environment: [String: String]

    /// `extraConfig` is appended to opsbot.yaml; `shippedCommands` are copied from Commands/.
    package init(expiry: String = "60s", approver: String = "initiator", fake: FakeBotAPI? = nil, dir: String? = nil,
         extraConfig: String = "", shippedCommands: [String] = [], environment: [String: String] = [:]) throws {
        self.fake = try fake ?? FakeBotAPI(token: LoopHarness.token)
        self.environment = environment
        self.dir = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("opsbot-e2e-\(UUID().uuidString)").path
        marker = self.dir + "/ran.txt"
        let commands = self.dir + "/Commands"
        try FileManager.default.createDirectory(atPath: commands, withIntermediateDirectories: true)
        for name in ["help.yaml", "ping.yaml", "audit.yaml"] + shippedCommands {
            let src = TestApp.repositoryRoot + "/Commands/" + name
            if !FileManager.default.fileExists(atPath: commands + "/" + name) {
                try FileManager.default.copyItem(atPath: src, toPath: commands + "/" + name)
            }
        }
        // A destructive runbook step whose every run leaves a line in a file.
        try """
        name: mark
        description: Append a line to a file (destructive test step)
        module: shell
        confirm: true
        arguments:
          - name: word
            type: string
            default: "x"
        settings:
          argv: ["sh", "-c", "echo \\"$0\\" >> \(marker)", "{word}"]
        """.write(toFile: commands + "/mark.yaml", atomically: true, encoding: .utf8)
        try """
        telegram:
          api_url: \(self.fake.baseURL)
          poll_timeout: 1
        admins:
          chats: [\(LoopHarness.chat)]
          users: [\(LoopHarness.admin), \(LoopHarness.admin2)]
        confirmations:
          expiry: \(expiry)
          approver: \(approver)
        state_dir: state
        commands_dir: Commands
        \(extraConfig)
        """.write(toFile: self.dir + "/opsbot.yaml", atomically: true, encoding: .utf8)
    }

    package func start() throws {
        let runtime = Runtime.load(configPath: dir + "/opsbot.yaml", environment: environment.merging(["OPSBOT_TOKEN": LoopHarness.token]) { $1 })
        #expect(runtime.problems.isEmpty, "\(runtime.problems)")
        let store = try runtime.openStore()
        serving = Task { [log, stop] in
            await testGracefulShutdown { trigger in
                stop.give(trigger)
                return await log.run {
                    await TelegramService.serve(runtime: runtime, token: LoopHarness.token, store: store, stopSignals: [])
                }
            }
        }
    }

    /// Stops the loop as SIGTERM would; returns its exit code.
    package func shutdown() async -> Int32 {
        await stop.wait {}.triggerGracefulShutdown()
        return await serving?.value ?? -1
    }

    package func say(_ text: String, user: Int64 = admin, chat: Int64 = chat) {
        _ = fake.enqueueMessage(chatID: chat, userID: user, text: text, username: "user\(user)")
    }

    /// The inline buttons (callback data) of the newest message that has them.
    package func latestButtons() -> (messageID: Int64, data: [String])? {
        for call in fake.calls.reversed() where (call.method == "sendMessage" || call.method == "editMessageText") && call.status == 200 {
            guard let markup = call.fields["reply_markup"], let json = try? JSONSerialization.jsonObject(with: Data(markup.utf8)) as? [String: Any],
                  let rows = json["inline_keyboard"] as? [[[String: Any]]], !rows.isEmpty else { continue }
            let data = rows.flatMap { $0 }.compactMap { $0["callback_data"] as? String }
            let id = call.fields["message_id"].flatMap { Int64($0) } ?? call.resultMessageID ?? 0
            return (id, data)
        }
        return nil
    }

    package func press(_ index: Int, user: Int64 = admin) {
        guard let b = latestButtons(), index < b.data.count else { Issue.record("no buttons to press"); return }
        _ = fake.enqueueCallback(chatID: LoopHarness.chat, userID: user, messageID: b.messageID, data: b.data[index])
    }

    package var runs: Int {
        ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    package func texts(_ method: String = "sendMessage") -> [String] {
        fake.calls(method).filter { $0.status == 200 }.compactMap(\.text)
    }

    /// Waits until some sent or edited text contains `needle`.
    /// `timeout` only bounds a failing test (a reply that never comes); on a loaded machine the
    /// first reply of a fresh run loop can take several seconds.
    package func waitForText(_ needle: String, timeout: Double = 20) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (texts() + texts("editMessageText")).contains(where: { $0.contains(needle) }) { return true }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }
}

