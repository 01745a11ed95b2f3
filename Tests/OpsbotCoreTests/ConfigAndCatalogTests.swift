import Foundation
import Testing
import TestHarness
@testable import OpsbotCore
@testable import OpsbotApp

@Suite struct ConfigLoaderTests {
    @Test func typeErrorNamesFileAndKey() {
        do {
            _ = try OpsbotConfig.parse("admins:\n  chats: [abc]\n", source: "opsbot.yaml", baseDirectory: "/")
            Issue.record("accepted a non-integer chat id")
        } catch let e as ConfigError {
            #expect(e.file == "opsbot.yaml")
            #expect(e.key == "admins.chats[0]")
            #expect(e.description.contains("integer"))
        } catch { Issue.record("\(error)") }
    }

    @Test func badYAMLIsReported() {
        #expect(throws: ConfigError.self) { try OpsbotConfig.parse("admins: [\n", source: "x.yaml", baseDirectory: "/") }
    }

    @Test func badDurationNamesTheKey() {
        do {
            _ = try OpsbotConfig.parse("confirmations:\n  expiry: soon\n", source: "c.yaml", baseDirectory: "/")
            Issue.record("accepted")
        } catch let e as ConfigError {
            #expect(e.key == "confirmations.expiry")
        } catch { Issue.record("\(error)") }
    }

    @Test func environmentOverridesAndValidates() throws {
        var c = try OpsbotConfig.parse("admins:\n  chats: [1]\n  users: [2]\n", source: "c.yaml", baseDirectory: "/")
        try ConfigLoader.applyEnvironment(&c, ["OPSBOT_ADMIN_CHAT_IDS": "-1001234567890123, 5", "OPSBOT_TOKEN": "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"])
        #expect(c.admins.chats == [-1001234567890123, 5])
        #expect(c.token == "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi")
        do {
            try ConfigLoader.applyEnvironment(&c, ["OPSBOT_ADMIN_USER_IDS": "12,abc"])
            Issue.record("accepted")
        } catch let e as ConfigError {
            #expect(e.key == "OPSBOT_ADMIN_USER_IDS")
        }
    }

    @Test func lintFindsMissingAdminsAndTypos() throws {
        let c = try OpsbotConfig.parse("telegarm:\n  api_url: x\n", source: "c.yaml", baseDirectory: "/")
        let keys = ConfigLoader.lint(c).map(\.key)
        #expect(keys.contains("admins.chats"))
        #expect(keys.contains("admins.users"))
        #expect(keys.contains("telegarm"))
    }

    @Test func adminUsersAsIdsOrMappings() throws {
        let c = try OpsbotConfig.parse("admins:\n  chats: [1]\n  users:\n    - 5\n    - id: 6\n      roles: [viewer]\n", source: "c", baseDirectory: "/")
        #expect(c.admins.users == [Config.AdminUser(id: 5), Config.AdminUser(id: 6, roles: ["viewer"])])
    }
}

@Suite struct CatalogLoaderTests {
    let config = Config()
    var registry: ModuleRegistry { Features.build(Config()).modules }

    func load(_ files: [(String, String)]) -> CatalogLoader.Result {
        CatalogLoader.load(sources: files, registry: registry, config: config)
    }

    @Test func shippedCatalogIsValid() {
        let r = CatalogLoader.load(directory: TestSupportPaths.root + "/Commands", registry: registry, config: config)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.catalog.entry("help") != nil)
        #expect(r.catalog.entry("ping") != nil)
        #expect(r.catalog.entry("audit") != nil)
    }

    @Test func everyProblemNamesFileAndKey() {
        let r = load([
            ("Commands/a.yaml", "name: Bad-Name\ndescription: x\nmodule: ping\n"),
            ("Commands/b.yaml", "name: b\ndescription: x\nmodule: nosuch\n"),
            ("Commands/c.yaml", "name: c\nmodule: ping\n"),
            ("Commands/d.yaml", "name: d\ndescription: x\nmodule: ping\narguments:\n  - name: n\n    type: float\n"),
            ("Commands/e.yaml", "name: e\ndescription: x\nmodule: shell\nsettings:\n  argv: [echo, \"{nope}\"]\n"),
            ("Commands/f.yaml", "name: ping2\ndescription: x\nmodule: ping\nconfirmm: true\n"),
            ("Commands/g.yaml", "name: g\ndescription: x\nmodule: ping\narguments:\n  - name: a\n    type: words\n  - name: b\n    type: int\n"),
        ])
        let got = Dictionary(r.errors.map { ($0.file, $0.key) }, uniquingKeysWith: { a, _ in a })
        #expect(got["Commands/a.yaml"] == "name")
        #expect(got["Commands/b.yaml"] == "module")
        #expect(got["Commands/c.yaml"] == "description")
        #expect(got["Commands/d.yaml"] == "arguments[0].type")
        #expect(got["Commands/e.yaml"] == "settings.argv[1]")
        #expect(got["Commands/f.yaml"] == "confirmm")
        #expect(got["Commands/g.yaml"] == "arguments[0].type")
        #expect(r.catalog.entries.isEmpty)
    }

    @Test func duplicateNamesAreRefused() {
        let r = load([("A/x.yaml", "name: p\ndescription: x\nmodule: ping\n"), ("A/y.yaml", "name: p\ndescription: y\nmodule: ping\n")])
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.file == "A/y.yaml")
    }
}

@Suite struct ArgumentValidatorTests {
    func command(_ args: [ArgumentSpec]) -> CatalogCommand {
        CatalogCommand(name: "t", description: "t", module: "ping", arguments: args)
    }

    @Test func typesAreEnforced() throws {
        let c = command([ArgumentSpec(name: "service", type: .service, allowAll: true),
                         ArgumentSpec(name: "lines", type: .int, required: false, defaultValue: "50", min: 1, max: 1000),
                         ArgumentSpec(name: "since", type: .duration, required: false)])
        let ok = try ArgumentValidator.bind(["worker", "200", "1h"], to: c, services: ["web", "worker"])
        #expect(ok["service"] == .string("worker"))
        #expect(ok["lines"] == .int(200))
        #expect(ok["since"] == .duration(3600))
        let defaults = try ArgumentValidator.bind(["all"], to: c, services: ["web"])
        #expect(defaults["lines"] == .int(50))
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind(["db"], to: c, services: ["web"]) }
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind(["web", "lots"], to: c, services: ["web"]) }
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind(["web", "5000"], to: c, services: ["web"]) }
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind([], to: c, services: ["web"]) }
        #expect(throws: ArgumentError.self) { try ArgumentValidator.bind(["web", "5", "1h", "extra"], to: c, services: ["web"]) }
    }

    @Test func unknownServiceListsTheKnownOnes() {
        let c = command([ArgumentSpec(name: "service", type: .service)])
        do {
            _ = try ArgumentValidator.bind(["wrker"], to: c, services: ["web", "worker"])
        } catch let e as ArgumentError {
            #expect(e.message.contains("web, worker"))
        } catch { Issue.record("\(error)") }
    }

    @Test func shellMetacharactersAreRefusedByDefault() {
        let c = command([ArgumentSpec(name: "id", type: .string)])
        for bad in ["a;b", "$(id)", "`id`", "a b", "x|y", "a&b", "'q'", "../../etc\npasswd"] {
            #expect(throws: ArgumentError.self) { try ArgumentValidator.bind([bad], to: c, services: []) }
        }
    }

    @Test func wordsTakeTheRest() throws {
        let c = command([ArgumentSpec(name: "service", type: .service), ArgumentSpec(name: "rest", type: .words, required: false)])
        let v = try ArgumentValidator.bind(["web", "200", "error"], to: c, services: ["web"])
        #expect(v["rest"] == .words(["200", "error"]))
    }
}

enum TestSupportPaths {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return "."
    }
}
