import Testing
@testable import OpsbotSupport

/// The byte prefilter in front of the secret regexes must never skip a pattern that matches:
/// for every sample, masking with the prefilter equals running all five regexes.
@Suite struct SecretPatternsPrefilterTests {
    static let samples: [String] = {
        let token = "123456789:" + "AAHk2d9_abcdefghijklmnopqrstuvwxyz-01"
        return [
            "", "ok: 🏓 pong — reply round trip 1 ms, up 3 s", "/ping", "refused /ping from user 7 in chat -100: chat is not an admin chat",
            "GET https://api.telegram.org/bot\(token)/getUpdates failed", token, "x\(token)y", "١٢٣٤٥٦٧:" + String(repeating: "a", count: 30),
            "postgres://app:s3cr3t@db:5432/app", "POSTGRES://APP:PW@HOST/db", "redis://:pw@host", "host=db password=hunter2 user=x",
            "PASSWORD = 'a b c'", "paſſword=x", "key sk-abcdefghijklmnop1234", "xsk-abcdefghijklmnop1234", "Authorization: Bearer abcdefghijklmnopqrstuvwxyz",
            "BEARER\tabc.def~ghi+jkl/mno=pq", "bearer short", "/var/lib/opsbot/state/opsbot.sqlite3", "a:" + String(repeating: "b", count: 29),
            "sk-" + String(repeating: "é", count: 20), "key test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE", "live_abcdefghijklmnopqrstu", "xtest_abcdefghijklmnopqrstuvw", "e\u{301}sk-abcdefghijklmnopqrs", "\u{600}sk-abcdefghijklmnopqrs",
        ]
    }()

    @Test(arguments: samples) func prefilterChangesNothing(_ text: String) {
        var unfiltered = text
        for i in 0..<SecretPatterns.patternCount { unfiltered = SecretPatterns.replace(i, in: unfiltered) }
        #expect(SecretPatterns.mask(text) == unfiltered)
    }

    @Test func plainLinesSkipEveryRegex() {
        for line in ["ok: 🏓 pong — reply round trip 1 ms, up 3 s", "connected as @opsbot_test_bot (id 42); admin chats -100", "/ping"] {
            #expect((0..<SecretPatterns.patternCount).allSatisfy { !SecretPatterns.mayMatch($0, line) }, "\(line)")
        }
        #expect(SecretPatterns.mayMatch(0, "123456789:" + String(repeating: "A", count: 30)))
        #expect(!SecretPatterns.mayMatch(0, "123456789:" + String(repeating: "A", count: 29)))
        // YooKassa keys (issue 20).
        #expect(SecretPatterns.mask("secret test_Fh8hUAVVBGUGbjmlzba6TB0iyUbos_lueTHE ok") == "secret [REDACTED] ok")
        #expect(SecretPatterns.mask("live_abcdefghijklmnopqrstu") == "[REDACTED]")
    }
}

@Suite struct StageTraceTests {
    @Test func marksInOrderAndForksCopyThem() {
        let t = StageTrace()
        t.mark("a", at: 10)
        t.mark("offset stored", at: 25)
        let f = t.fork()
        f.mark("c", at: 40)
        #expect(t.line == "stage-trace a:0 offset stored:15")
        #expect(f.line == "stage-trace a:0 offset stored:15 c:30")
        #expect((0..<SecretPatterns.patternCount).allSatisfy { !SecretPatterns.mayMatch($0, f.line) })
    }

    @Test func taskLocalMarksReachTheCurrentTraceOnly() async {
        let t = StageTrace()
        StageTrace.mark("outside")
        await StageTrace.$current.withValue(t) {
            StageTrace.mark("inside")
            await Task { StageTrace.mark("child task") }.value
        }
        #expect(t.line.hasPrefix("stage-trace inside:0 "))
        #expect(t.line.contains(" child task:"))
        #expect(!t.line.contains("outside"))
        #expect(StageTrace.now() > 0)
    }
}
