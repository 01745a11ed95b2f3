import Foundation
import TestKit
import TestSupport
import TestTraits
import Testing
import SystemOps

/// Checks requests against ../shared/platforms: Heroku's JSON Hyper-Schema `links` (method,
/// href template, body properties and types) and Railway's introspection schema (graphql-core).
package enum PlatformSchemas {
    static var sharedDir: String { TestApp.repositoryRoot + "/../shared/platforms" }

    package struct Link { var method: String; var regex: NSRegularExpression; var href: String; var properties: [String: Any]? }

    /// nil when the schema is not beside the repository: the checks then fail with a clear reason.
    nonisolated(unsafe) static let heroku: (links: [Link], root: [String: Any])? = {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: sharedDir + "/heroku/schema.json")),
              let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let definitions = root["definitions"] as? [String: Any] else { return nil }
        var links: [Link] = []
        for (_, def) in definitions {
            for l in (def as? [String: Any])?["links"] as? [[String: Any]] ?? [] {
                guard let href = l["href"] as? String, let method = l["method"] as? String else { continue }
                // {(%23%2Fdefinitions%2Fapp%2Fdefinitions%2Fidentity)} → one path segment
                let marked = href.replacingOccurrences(of: #"\{\([^}]*\)\}"#, with: "\u{1}", options: .regularExpression)
                let pattern = "^" + NSRegularExpression.escapedPattern(for: marked).replacingOccurrences(of: "\u{1}", with: "[^/]+") + "$"
                let props = (l["schema"] as? [String: Any])?["properties"] as? [String: Any]
                links.append(Link(method: method, regex: try! NSRegularExpression(pattern: pattern), href: href, properties: props))
            }
        }
        return (links, root)
    }()

    /// Follows `#/definitions/a/definitions/b` refs to the JSON types a property allows.
    static func types(_ prop: [String: Any]) -> [String] {
        if let ref = prop["$ref"] as? String {
            var node: Any = heroku?.root ?? [:]
            for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] as Any }
            return types(node as? [String: Any] ?? [:])
        }
        if let t = prop["type"] as? [String] { return t }
        if let t = prop["type"] as? String { return [t] }
        return []
    }

    /// nil when `method path` with `body` matches a link of the schema, else why not.
    package static func herokuProblem(method: String, path: String, body: Data) -> String? {
        let p = String(path.split(separator: "?").first ?? "")
        guard let heroku else { return "Heroku schema not found at \(sharedDir)/heroku/schema.json (../shared must be beside the repository)" }
        let candidates = heroku.links.filter { $0.method == method && $0.regex.firstMatch(in: p, range: NSRange(p.startIndex..., in: p)) != nil }
        guard !candidates.isEmpty else { return "\(method) \(p): no link in the Heroku schema" }
        guard !body.isEmpty else { return nil }
        guard let obj = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return "\(method) \(p): body is not a JSON object" }
        for c in candidates {
            guard let props = c.properties else { continue }
            let bad = obj.compactMap { k, v -> String? in
                guard let spec = props[k] as? [String: Any] else { return "unknown property \(k)" }
                let allowed = types(spec)
                // A JSON true and a JSON 1 both bridge to NSNumber; its objCType tells them apart ("c" = BOOL).
                let kind = v is String ? "string" : (v as? NSNumber).map { String(cString: $0.objCType) == "c" ? "boolean" : "integer" } ?? "other"
                return allowed.isEmpty || allowed.contains(kind) || (kind == "integer" && allowed.contains("number")) ? nil : "\(k) is \(kind), schema says \(allowed)"
            }
            if bad.isEmpty { return nil }
            return "\(method) \(p) (\(c.href)): " + bad.joined(separator: "; ")
        }
        return "\(method) \(p): the matching links take no body"
    }

    package enum GraphQLVerdict { case valid, invalid(String), unavailable(String) }

    /// Runs scripts/validate-graphql.py (graphql-core) over `docs`.
    package static func validateGraphQL(_ docs: [String: String]) async throws -> GraphQLVerdict {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("gql-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: docs).write(to: URL(fileURLWithPath: tmp))
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        // ProcessRunner, not Foundation's Process: its pipes are close-on-exec, so a daemon another
        // test starts meanwhile cannot inherit the write end and keep this read from ever ending.
        let r: ProcessResult
        do {
            let argv = ["/usr/bin/env", "python3", TestApp.repositoryRoot + "/scripts/validate-graphql.py", sharedDir + "/railway/schema.json", tmp]
            r = try await ProcessRunner.run(argv, timeout: 60, maxOutput: 1 << 20)
        } catch { return .unavailable("python3 not runnable: \(error)") }
        let text = r.stdout + r.stderr
        switch r.exitCode {
        case 0: return .valid
        case 3, 127: return .unavailable(text.trimmingCharacters(in: .whitespacesAndNewlines))
        default: return .invalid(text)
        }
    }
}
