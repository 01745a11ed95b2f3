import Foundation

/// `/help [command]`: generated from the catalog, so it never drifts from what is installed.
struct HelpModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let catalog = ctx.app.catalog
        if let name = ctx.request.string("command") {
            let bare = name.hasPrefix("/") ? String(name.dropFirst()) : name
            guard let cmd = catalog.entry(bare)?.command else {
                return .reply(.text("No command /\(bare). Send /help for the list."))
            }
            var lines = ["<b>\(HTML.escape(cmd.synopsis))</b>", HTML.escape(cmd.description)]
            if let usage = cmd.usage { lines.append(HTML.escape(usage)) }
            for a in cmd.arguments {
                var d = "• <code>\(HTML.escape(a.name))</code> — \(a.type.rawValue)"
                if !a.values.isEmpty { d += " (\(HTML.escape(a.values.joined(separator: ", "))))" }
                if let def = a.defaultValue { d += ", default \(HTML.escape(def))" }
                if let desc = a.description { d += ": \(HTML.escape(desc))" }
                lines.append(d)
            }
            if let why = catalog.entry(bare)?.notConfigured { lines.append("⚪ not configured here: \(HTML.escape(why))") }
            if cmd.confirm { lines.append("⚠️ asks for confirmation before it runs") }
            if !cmd.roles.isEmpty { lines.append("roles: \(HTML.escape(cmd.roles.joined(separator: ", ")))") }
            return .reply(Reply(html: lines.joined(separator: "\n")))
        }
        var lines = ["<b>opsbot commands</b>"]
        for cmd in catalog.visible {
            let mark = cmd.confirm ? " ⚠️" : ""
            lines.append("\(HTML.escape(cmd.synopsis)) — \(HTML.escape(cmd.description))\(mark)")
        }
        let off = catalog.notConfigured.filter { n in catalog.entry(n.name)?.command.hidden == false }
        if !off.isEmpty {
            lines.append("\n⚪ not configured here: " + off.map { "/" + HTML.escape($0.name) }.joined(separator: ", ") + " (/help &lt;command&gt; says why)")
        }
        lines.append("\n⚠️ = asks for confirmation. /help &lt;command&gt; for details.")
        return .reply(Reply(html: lines.joined(separator: "\n")))
    }
}
