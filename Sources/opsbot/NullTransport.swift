import Foundation
import LocalStore
import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

typealias OpsbotCoreStore = Store

/// For one-shot subcommands (`check`) that have no chat to talk to.
struct NullTransport: ChatTransport {
    func send(_ reply: Reply, to chatID: Int64) async throws -> MessageRef { MessageRef(chatID: chatID, messageID: 0) }
    func edit(_ ref: MessageRef, _ reply: Reply) async throws {}
    func answerCallback(_ id: String, text: String?) async {}
}
