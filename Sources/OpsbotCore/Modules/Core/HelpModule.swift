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
            if cmd.confirm { lines.append("⚠️ asks for confirmation before it runs") }
            if !cmd.roles.isEmpty { lines.append("roles: \(HTML.escape(cmd.roles.joined(separator: ", ")))") }
            return .reply(Reply(html: lines.joined(separator: "\n")))
        }
        var lines = ["<b>opsbot commands</b>"]
        for cmd in catalog.visible {
            let mark = cmd.confirm ? " ⚠️" : ""
            lines.append("\(HTML.escape(cmd.synopsis)) — \(HTML.escape(cmd.description))\(mark)")
        }
        lines.append("\n⚠️ = asks for confirmation. /help &lt;command&gt; for details.")
        return .reply(Reply(html: lines.joined(separator: "\n")))
    }
}
