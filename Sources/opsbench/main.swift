import Foundation

/// `opsbench SECTION`: the measurements behind `make bench`. Each feature adds a section.
let sections: [String: @Sendable () async throws -> Void] = [
    "noop": { print("noop: ok") },
    "alerts": { try await BenchAlerts.run() },
    "core": { try await BenchCore.run() },
    "memory": { try await BenchMemory.run() },
    "services": { try await BenchServices.run() },
    "remote": { try await BenchRemote.run() },
    "remote-hosts": { try await BenchRemoteHosts.run() },
    "database": { try await BenchDatabase.run() },
    "payments": { try await BenchPayments.run() },
    "alertmanager": { try await BenchAlertmanager.run() },
    "healthz": { try await BenchHealthz.run() },
    "live": { try await BenchLiveEngines.run() },
    "graphs": { try await BenchGraphs.run() },
]

let args = CommandLine.arguments.dropFirst()
let wanted = args.isEmpty ? sections.keys.sorted() : Array(args)
for name in wanted {
    guard let run = sections[name] else {
        FileHandle.standardError.write(Data("opsbench: unknown section \(name) (known: \(sections.keys.sorted().joined(separator: ", ")))\n".utf8))
        exit(2)
    }
    try await run()
}
