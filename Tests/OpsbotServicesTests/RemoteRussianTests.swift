import Foundation
import Testing
@testable import OpsbotCore
import OpsbotSupport
import SystemOps
import TestHarness
@testable import OpsbotServices

/// Issue 22: a remote host's answers in the asker's language. The request carries `language`
/// only when it is not English (an English request is byte-identical to before); the remote
/// sends its refusals in both languages (`error` stays English for the caller's logs).
@Suite struct RemoteRussianTests {
    @Test func theRemoteSideRefusesInBothLanguages() async throws {
        let yaml = "services:\n  web:\n    backend: command\n    status_command: [/bin/echo, running]\n    running_pattern: running\n"
        var req = RemoteRequest(op: .restart, service: "db", deadline: 5)
        #expect(!(try req.encoded()).isEmpty)
        let english = String(decoding: try JSONEncoder().encode(req), as: UTF8.self)
        #expect(!english.contains("language"), "\(english)")
        req.language = "ru"
        let (no, code, _) = try await ForcedCommand.serve(try req.encoded(), servicesYAML: yaml)
        #expect(code == 1 && no.ok == false)
        #expect(no.error == "service \"db\" is not in this host's config (known: web)", "\(no.error ?? "")")
        #expect(no.errorRU == "сервиса «db» нет в конфиге этого хоста (есть: web)", "\(no.errorRU ?? "")")
        var batch = RemoteRequest(op: .statuses, services: ["web", "db"], deadline: 5)
        batch.language = "ru"
        let (r, _, _) = try await ForcedCommand.serve(try batch.encoded(), servicesYAML: yaml)
        let answers = r.statuses ?? []
        #expect(answers.count == 2 && answers[1].errorRU?.hasPrefix("сервиса «db» нет") == true, "\(answers)")
        #expect(answers.first?.status?.detail == "running" && answers.first?.status?.detailRU == nil, "the command's own output stays as it came")
        #expect(answers.first?.status?.instancesUnknownRU == "у бэкенда command не задан instances_command")
    }

    /// An `ssh` stand-in whose remote refuses a restart and reports a status, both with their
    /// Russian; it records the requests it gets.
    static func remote(_ dir: String) throws -> String {
        let path = dir + "/ru-ssh"
        try ServicesTest.write(path, """
        #!/bin/sh
        for last; do :; done
        b=$(printf '%s' "$last" | cut -d' ' -f2 | tr '_-' '/+')
        case $(( ${#b} % 4 )) in 2) b="$b==";; 3) b="$b=";; esac
        json=$(printf '%s' "$b" | base64 -d 2>/dev/null)
        printf '%s\\n' "$json" >> \(dir)/requests
        case "$json" in
          *'"op":"restart"'*) echo '{"ok":false,"error":"sleeper has no start command (services.sleeper.start)","errorRU":"у sleeper не задана команда запуска (services.sleeper.start)"}'; exit 1;;
          *'"op":"status"'*) echo '{"ok":true,"status":{"state":"stopped","detail":"no matching process","detailRU":"подходящих процессов нет","pids":[],"instances":0}}';;
        esac

        """, executable: true)
        return path
    }

    @Test func aRemoteRefusalAndStatusReadInRussianAndTheEnglishStays() async throws {
        let dir = ServicesTest.dir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fake = try Self.remote(dir)
        let (app, _) = try TestApp.make(configYAML: "admins:\n  chats: [1]\n  users: [1]\nhosts:\n  box:\n    address: 127.0.0.1\n    user: opsbot\n    host_key: \"\(RemoteProtocolTests.key)\"\nservices:\n  sleeper:\n    host: box\n")
        let settings = try ServicesSettings.load(app.config)
        let client = SSHClient(hosts: settings.hosts, stateDirectory: dir, program: fake)
        let b = RemoteBackend(config: settings.service("sleeper")!, host: "box", client: client)
        do {
            try await Language.$current.withValue(.ru) { try await b.restart() }
            Issue.record("restarted")
        } catch {
            #expect("\(error)" == "box: refused: sleeper has no start command (services.sleeper.start)", "\(error)")
            let ru = Language.$current.withValue(.ru) { ChatError.text(error) }
            #expect(ru == "box: отказ: у sleeper не задана команда запуска (services.sleeper.start)", "\(ru)")
            #expect(RussianText.englishWords(in: HTML.escape(ru), allow: ["box", "sleeper"]).isEmpty, "\(ru)")
        }
        let st = await b.status()
        #expect(st.detail == "no matching process" && st.detailText.ru == "подходящих процессов нет")
        let sent = ((try? String(contentsOfFile: dir + "/requests", encoding: .utf8)) ?? "").split(separator: "\n")
        #expect(sent.count == 2 && sent[0].contains(#""language":"ru""#) && !sent[1].contains("language"), "\(sent)")
        // A host that does not answer: unknown, said in Russian.
        let gone = SSHClient(hosts: settings.hosts, stateDirectory: dir + "/gone", program: "/nonexistent/ssh")
        let down = await RemoteBackend(config: settings.service("sleeper")!, host: "box", client: gone).status()
        #expect(down.state == .unknown && down.detail == "remote request failed")
        #expect(down.detailText.ru == "удалённый запрос не удался")
        #expect(down.errorText?.ru.hasPrefix("box: не удалось запустить ssh: ") == true, "\(down.errorText?.ru ?? "")")
        #expect(down.error?.hasPrefix("box: cannot run ssh: ") == true, "\(down.error ?? "")")
    }
}
