import Foundation

/// `/help [command]`: generated from the catalog, so it never drifts from what is installed.
struct HelpModule: CommandModule {
    func handle(_ ctx: ModuleContext) async -> CommandOutcome {
        let catalog = ctx.app.catalog
        let l = ctx.language
        if let name = ctx.request.string("command") {
            let bare = name.hasPrefix("/") ? String(name.dropFirst()) : name
            guard let cmd = catalog.entry(bare)?.command else {
                return .reply(Reply(html: CoreText.helpNoCommand(name: bare).text(l)))
            }
            var lines = ["<b>\(HTML.escape(cmd.synopsis))</b>", HTML.escape(cmd.description(l))]
            if let usage = cmd.usage(l) { lines.append(HTML.escape(usage)) }
            for a in cmd.arguments {
                lines.append(CoreText.helpArgument(name: a.name, type: a.type, values: a.values, defaultValue: a.defaultValue,
                                                   description: a.description(l)).text(l))
            }
            if let entry = catalog.entry(bare), let why = entry.notConfigured {
                lines.append(CoreText.helpNotConfigured(why: entry.notConfiguredText?.text(l) ?? why).text(l))
            }
            if cmd.confirm { lines.append(CoreText.helpAsksConfirmation.text(l)) }
            if !cmd.roles.isEmpty { lines.append(CoreText.helpRoles(roles: cmd.roles).text(l)) }
            return .reply(Reply(html: lines.joined(separator: "\n")))
        }
        var lines = [CoreText.helpTitle.text(l)]
        for cmd in catalog.visible {
            let mark = cmd.confirm ? " ⚠️" : ""
            lines.append("\(HTML.escape(cmd.synopsis)) — \(HTML.escape(cmd.description(l)))\(mark)")
        }
        let off = catalog.notConfigured.filter { n in catalog.entry(n.name)?.command.hidden == false }
        if !off.isEmpty { lines.append(CoreText.helpNotConfiguredList(names: off.map(\.name)).text(l)) }
        lines.append(CoreText.helpFooter.text(l))
        return .reply(Reply(html: lines.joined(separator: "\n")))
    }
}
