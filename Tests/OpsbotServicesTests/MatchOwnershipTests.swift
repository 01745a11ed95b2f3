import Foundation
import Testing
@testable import OpsbotCore
import SystemOps
import TestHarness
@testable import OpsbotServices

/// `match:` catches command lines, not owners: a stranger's process that matches the regex is
/// never counted as a copy, never offered to `/conflicts`, and is reported as ambiguous.
@Suite(.serialized) struct MatchOwnershipTests {
    let dir = ServicesTest.dir()
    let tag = "osmatch\(UUID().uuidString.prefix(6))"

    func killAll() {
        for p in ProcInfo.find(matching: try! NSRegularExpression(pattern: tag)) { kill(p.pid, SIGKILL) }
    }

    /// `/bin/sh -c 'loop' TAG.sh`: its argv carries the tag; as `nobody` when `stranger`.
    func spawn(stranger: Bool) throws -> Int32 {
        let loop = ["/bin/sh", "-c", "while :; do sleep 1; done", "\(tag).sh"]
        let argv = stranger ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + loop : loop
        let pid = try ProcessRunner.spawnDetached(argv, logFile: nil)
        Reaper.reap(pid)
        return pid
    }

    func waitFor(_ pid: Int32, uid: UInt32) async throws {
        for _ in 0..<50 where ProcInfo.uid(pid) != uid || !(ProcInfo.argv(pid) ?? []).contains("\(tag).sh") {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    @Test func strangerUnderAnotherUidIsNotCountedNorOfferedToConflicts() async throws {
        defer { killAll() }
        let own = try spawn(stranger: false)
        try "\(own)\n".write(toFile: "\(dir)/worker.pid", atomically: true, encoding: .utf8)
        let extra = try spawn(stranger: false)
        let stranger = try spawn(stranger: true)
        try await waitFor(stranger, uid: 65534)
        let app = try ServicesTest.app("""
        services:
          worker:
            backend: process
            match: '\(tag)\\.sh'
            pidfile: \(dir)/worker.pid
            stop_timeout: 2s
            bot: true
        """)
        let m = try app.servicesFeature.manager()
        let st = await m.backend("worker")!.status()
        #expect(st.instances == 2 && Set(st.pids) == [own, extra], "\(st)")
        #expect(st.matchWarning?.contains("pid \(stranger) runs as nobody (uid 65534), the service as root (uid 0)") == true, "\(st.matchWarning ?? "nil")")

        let checks = await ServicesCheckProvider(services: app.servicesFeature, name: "services", parts: .services).run(app)
        let inst = try #require(checks.first { $0.check == "instances" && $0.target == "worker" })
        #expect(inst.value == 2 && !inst.evidence.contains("pid \(stranger)") && inst.evidence.last?.contains("is ambiguous") == true, "\(inst)")

        let plan = try #require(ServicesTest.plan(try await ServicesTest.run(app, "/conflicts")))
        let preview = HTML.toPlainText(plan.preview)
        #expect(preview.contains("keep: pid \(own)") && preview.contains("extra: pid \(extra)"), "\(preview)")
        #expect(!preview.contains("extra: pid \(stranger)") && preview.contains("is ambiguous: it also catches pid \(stranger) runs as nobody"), "\(preview)")
        _ = await plan.run(NoProgress())
        try await Task.sleep(nanoseconds: 100_000_000)
        #expect(!ProcInfo.isAlive(extra) && ProcInfo.isAlive(own) && ProcInfo.isAlive(stranger))
        #expect(await app.servicesFeature.matchWarnings().first?.hasPrefix("services.worker.match: worker: match /\(tag)\\.sh/ is ambiguous") == true)
    }

    /// Without pidfile or user:, matches under two users cannot be counted: unknown, never OK,
    /// and /restart refuses to stop them; `user:` settles it.
    @Test func twoUsersWithoutUserAreUnknownUntilUserIsSet() async throws {
        defer { killAll() }
        let own = try spawn(stranger: false)
        let stranger = try spawn(stranger: true)
        try await waitFor(stranger, uid: 65534)
        let base = """
        services:
          worker:
            backend: process
            match: '\(tag)\\.sh'
            start: [/bin/true]
            bot: true
        """
        let loose = try ServicesTest.app(base)
        let st = await (try loose.servicesFeature.manager()).backend("worker")!.status()
        #expect(st.instancesUnknown?.contains("processes of 2 users") == true, "\(st)")
        let checks = await ServicesCheckProvider(services: loose.servicesFeature, name: "services", parts: .services).run(loose)
        #expect(checks.first { $0.check == "instances" }?.status == .unknown)
        let conflicts = ServicesTest.text(try await ServicesTest.run(loose, "/conflicts"))
        #expect(conflicts.contains("instances: unknown"), "\(conflicts)")
        await #expect(throws: BackendError.self) { try await loose.servicesFeature.manager().backend("worker")!.restart() }
        #expect(ProcInfo.isAlive(stranger) && ProcInfo.isAlive(own))

        let strict = try ServicesTest.app(base + "\n    user: root\n")
        let st2 = await (try strict.servicesFeature.manager()).backend("worker")!.status()
        #expect(st2.instancesUnknown == nil && st2.pids == [own] && st2.matchWarning?.contains("pid \(stranger) runs as nobody") == true)
        // `opsbot check`: one copy, yet a warning that names the regex as ambiguous (exit 1).
        let checks2 = await ServicesCheckProvider(services: strict.servicesFeature, name: "services", parts: .services).run(strict)
        let inst2 = try #require(checks2.first { $0.check == "instances" })
        #expect(inst2.status == .warning && inst2.summary.contains("worker: 1 instance(s); match /\(tag)\\.sh/ is ambiguous"), "\(inst2.summary)")
    }

    /// The other identity fields, on made-up identities: container, unit, configured directory.
    @Test func containerUnitAndDirectoryTellCopiesApart() {
        func snap(_ pid: Int32) -> ProcessSnapshot { ProcessSnapshot(pid: pid, ppid: 1, argv: ["x"]) }
        let ids: [Int32: ProcessIdentity] = [
            1: ProcessIdentity(uid: 1000, cwd: "/srv/app", unit: "worker.service"),
            2: ProcessIdentity(uid: 1000, cwd: "/srv/app"),                               // by hand, in a session: a copy
            3: ProcessIdentity(uid: 1000, cwd: "/srv/app", container: "abcdef0123456789"),
            4: ProcessIdentity(uid: 1000, cwd: "/srv/app", unit: "other.service"),
            5: ProcessIdentity(uid: 1000, cwd: "/home/bob"),
        ]
        let r = MatchOwnership.partition((1...5).map(snap), user: nil, reference: 1, workingDirectory: "/srv/app", unit: nil) { ids[$0]! }
        #expect(r.ours.map(\.pid) == [1, 2])
        #expect(r.strangers.map(\.description) == ["pid 3 runs in container abcdef012345", "pid 4 belongs to other.service",
                                                   "pid 5 runs in /home/bob, the service in /srv/app"])
        #expect(ProcInfo.placement(cgroups: ["/system.slice/docker-\(String(repeating: "a", count: 64)).scope"]).container == String(repeating: "a", count: 64))
        #expect(ProcInfo.placement(cgroups: ["/system.slice/worker.service"]) == ("worker.service", nil) as (String?, String?))
    }
}

/// The systemd backend's `match` under the live systemd: a process of another unit, and one of
/// another user, both matching the regex, are neither counted nor offered by /conflicts.
@Suite(.serialized, .exclusive, .enabled(if: TestSystemd.enabled))
struct LiveMatchOwnershipTests {
    @Test func anotherUnitsAndAnotherUsersProcessesAreLeftAlone() async throws {
        let s = try await TestSystemd.shared()
        func unit(_ extra: String) -> String { "[Service]\nExecStart=/opt/opsbot-test/poller.sh mo-worker\n\(extra)\n" }
        try s.install("mo-worker.service", unit(""))
        try s.install("mo-other.service", unit(""))
        try s.install("mo-nobody.service", unit("User=nobody"))
        try s.systemctl("start", "mo-worker.service", "mo-other.service", "mo-nobody.service")
        defer { _ = try? s.systemctl("stop", "mo-worker.service", "mo-other.service", "mo-nobody.service") }
        let app = try ServicesTest.app("""
        services:
          worker: {backend: systemd, unit: mo-worker.service, match: 'poller\\.sh mo-worker', bot: true, stop_timeout: 2s}
        service_options:
          systemctl: [\(s.systemctl)]
          journalctl: [\(s.journalctl)]
        """)
        let st = await (try app.servicesFeature.manager()).backend("worker")!.status()
        #expect(st.instances == 1, "\(st)")
        let w = st.matchWarning ?? ""
        #expect(w.contains("belongs to mo-other.service") && w.contains("runs as nobody (uid 65534), the service as root (uid 0)"), "\(w)")
        let reply = try await ServicesTest.run(app, "/conflicts")
        #expect(ServicesTest.plan(reply) == nil, "nothing to stop: \(ServicesTest.text(reply))")
        #expect(ServicesTest.text(reply).contains("1 instance running"), "\(ServicesTest.text(reply))")
        #expect(try s.property("mo-other.service", "ActiveState") == "active" && s.property("mo-nobody.service", "ActiveState") == "active")
    }
}
