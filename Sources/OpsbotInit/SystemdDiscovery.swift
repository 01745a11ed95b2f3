import Foundation
import SystemOps
import OpsbotSupport

/// Running systemd services that look like the operator's app, not the OS: a unit file of the
/// admin's (`/etc/systemd/system`, `/run/systemd/system`, not a Debian package's under
/// `/lib/systemd`) whose program lives under an app directory or is an app runtime.
public struct SystemdDiscovery: Sendable {
    public var systemctl: [String]
    /// Where the units' files are read (an overlay root in tests).
    public var root: String
    public init(systemctl: [String] = ["systemctl"], root: String = "/") { self.systemctl = systemctl; self.root = root }

    static let appDirectories = ["/home/", "/opt/", "/srv/", "/var/www/", "/usr/local/"]
    static let runtimes = ["python", "python3", "node", "nodejs", "gunicorn", "uvicorn", "hypercorn", "daphne", "celery",
                           "java", "ruby", "bundle", "rails", "puma", "php", "php-fpm", "dotnet", "deno", "bun", "npm", "yarn", "pnpm", "poetry", "pipenv"]
    static let properties = ["Id", "FragmentPath", "ExecStart", "User", "WorkingDirectory", "EnvironmentFiles", "Environment",
                             "MainPID"]

    public struct Result: Sendable {
        public var services: [FoundService] = []
        public var leftOut: [String] = []
        public var notes: [String] = []
        /// Working directories of the taken units (for `.env` and alembic).
        public var directories: [String] = []
    }

    public func discover() async -> Result {
        var out = Result()
        let list: ProcessResult
        do {
            list = try await ProcessRunner.run(systemctl + ["list-units", "--type=service", "--state=running", "--no-legend", "--plain", "--no-pager"], timeout: 15)
        } catch {
            out.notes.append("systemd: \(systemctl.joined(separator: " ")) could not run (\(plainWords(error))) — no units looked at")
            return out
        }
        guard list.succeeded else {
            let why = list.stderr.split(separator: "\n").first.map(String.init) ?? "exit \(list.exitCode)"
            out.notes.append("systemd: list-units failed (\(why.prefix(200))) — no units looked at")
            return out
        }
        let units = list.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasSuffix(".service") }
        var packaged: [String] = []
        for unit in units {
            guard let show = try? await ProcessRunner.run(systemctl + ["show", unit, "--property=" + Self.properties.joined(separator: ",")], timeout: 10),
                  show.succeeded else { continue }
            let p = SystemdParser.parseShow(show.stdout)
            switch classify(unit: unit, properties: p) {
            case .skip: continue
            case .packaged: packaged.append(String(unit.dropLast(8)))
            case .notApp(let why): out.leftOut.append("\(unit): \(why)")
            case .app(var svc):
                // The output file is not a `show` property: read it from the unit (with drop-ins).
                if let cat = try? await ProcessRunner.run(systemctl + ["cat", unit], timeout: 10), cat.succeeded {
                    svc.logFile = Self.outputFile(cat.stdout)
                }
                out.services.append(svc)
                if let wd = svc.workingDirectory { out.directories.append(wd) }
            }
        }
        if !packaged.isEmpty {
            out.leftOut.append("\(packaged.count) unit(s) from Debian packages (/lib/systemd/system): \(packaged.prefix(12).joined(separator: ", "))\(packaged.count > 12 ? ", …" : "")")
        }
        return out
    }

    enum Verdict { case skip, packaged, notApp(String), app(FoundService) }

    /// Decides from `systemctl show`: the OS's, not an app, or an app (with what it needs).
    func classify(unit: String, properties p: [String: String]) -> Verdict {
        if unit.hasPrefix("opsbot") { return .skip }
        let fragment = p["FragmentPath"] ?? ""
        let argv = Self.execArgv(p["ExecStart"] ?? "")
        let program = argv.first ?? ""
        // Its program, an argument (`sh -c "cd /srv/app && …"`) or its working directory under an app directory.
        let line = " " + argv.joined(separator: " ") + " " + (p["WorkingDirectory"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "!-")) + "/"
        let inAppDir = Self.appDirectories.contains { line.contains(" " + $0) || line.contains("\"" + $0) }
        let base = (program as NSString).lastPathComponent
        let runtime = Self.runtimes.contains { base == $0 || (base.hasPrefix($0) && base.dropFirst($0.count).allSatisfy { $0.isNumber || $0 == "." }) }
        let packaged = fragment.hasPrefix("/lib/systemd/") || fragment.hasPrefix("/usr/lib/systemd/")
        if packaged && !inAppDir { return .packaged }
        guard inAppDir || runtime else {
            return .notApp("runs \(program.isEmpty ? "nothing readable" : program), not an app runtime or an app directory")
        }
        var s = FoundService(name: Self.serviceName(unit), kind: .systemd(unit: unit))
        s.command = argv.joined(separator: " ")
        s.argv = argv
        s.user = p["User"].flatMap { $0.isEmpty ? nil : $0 }
        s.workingDirectory = p["WorkingDirectory"].map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "!-")) }.flatMap { $0.isEmpty || $0 == "~" ? nil : $0 }
        var pairs: [(key: String, value: String)] = SystemdParser.parseEnvironment(p["Environment"] ?? "").map { ($0.key, $0.value) }
        if !pairs.isEmpty { s.environmentSources.append("Environment= of \(unit)") }
        for f in Self.environmentFiles(p["EnvironmentFiles"] ?? "") {
            if let read = EnvironmentScan.read(f, root: root) { pairs += read; s.environmentSources.append(f) }
        }
        if let wd = s.workingDirectory, let read = EnvironmentScan.read(wd + "/.env", root: root) {
            pairs += read
            s.environmentSources.append(wd + "/.env")
        }
        s.databaseVariables = EnvironmentScan.databaseVariables(pairs)
        s.botTokenVariable = EnvironmentScan.botTokenVariable(pairs)
        if let pid = Int32(p["MainPID"] ?? ""), pid > 0, root == "/" { s.ports = PortScan.listening(unit: unit, mainPID: pid) }
        return .app(s)
    }

    /// The file of the last `StandardOutput=append:PATH` / `file:PATH` in `systemctl cat`, nil for the journal.
    static func outputFile(_ unitText: String) -> String? {
        var file: String?
        for raw in unitText.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("StandardOutput=") else { continue }
            let v = line.dropFirst("StandardOutput=".count)
            file = ["append:", "file:", "truncate:"].first(where: v.hasPrefix).map { String(v.dropFirst($0.count)) }
        }
        return file
    }

    /// `argv[]=` of systemd's `ExecStart={ path=… ; argv[]=/usr/bin/python3 bot.py ; … }`.
    static func execArgv(_ s: String) -> [String] {
        guard let r = s.range(of: "argv[]=") else { return [] }
        let rest = s[r.upperBound...]
        let end = rest.range(of: " ;")?.lowerBound ?? rest.endIndex
        return rest[..<end].split(separator: " ").map(String.init)
    }

    /// `EnvironmentFiles=/etc/app.env (ignore_errors=no)`, one or more.
    static func environmentFiles(_ s: String) -> [String] {
        s.components(separatedBy: "\n").flatMap { $0.components(separatedBy: ") ") }.compactMap { part in
            let path = part.split(separator: " ").first.map(String.init) ?? ""
            return path.hasPrefix("/") ? path : nil
        }
    }

    /// `my-bot.service` → `my-bot`; `app@1.service` → `app-1`.
    static func serviceName(_ unit: String) -> String {
        let base = unit.hasSuffix(".service") ? String(unit.dropLast(8)) : unit
        let cleaned = base.map { c -> Character in c.isLetter || c.isNumber || c == "_" || c == "-" ? Character(c.lowercased()) : "-" }
        return String(cleaned)
    }
}
