import OpsbotSupport

extension AppText {
    var russian: String {
        switch self {
        case .reloadRefused(let count, let problems):
            // The config errors stay English (as in the log): shown as they are, in a block.
            let list = problems.map { "- \($0)" }.joined(separator: "\n")
            return "⚠️ Новый конфиг не применён — работает прежний. \(Plural.ru(count, "проблема", "проблемы", "проблем")):\n<pre>\(HTML.escape(list))</pre>"
        case .reloaded(let source, let commands):
            return "🔄 Конфиг перечитан: <code>\(HTML.escape(source))</code>, \(Plural.ru(commands, "команда", "команды", "команд"))."
        case .catalogInvalid(_, let files):
            let list = files.map { "- \($0)" }.joined(separator: "\n")
            return "⚠️ Не загрузились файлы команд (\(files.count)):\n<pre>\(HTML.escape(list))</pre>\n"
                + "Остальные команды работают; исправьте файл и перечитайте конфиг (<code>systemctl reload opsbot</code>)."
        }
    }
}
