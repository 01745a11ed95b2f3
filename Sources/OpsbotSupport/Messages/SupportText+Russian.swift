extension SupportText {
    public var russian: String {
        switch self {
        case .noSuchFile: "нет такого файла или каталога"
        case .permissionDenied: "нет прав доступа"
        case .noSpace: "на диске не осталось места"
        case .readOnly: "файловая система только для чтения"
        case .fileExists: "файл уже существует"
        case .notValidText: "в файле не текст (или не UTF-8)"
        case .fileOperationFailed(let code): "операция с файлом не удалась (код \(code))"
        case .systemError(let words): SupportText.russianSystemError(words) ?? words
        }
    }

    /// The Russian for the C library's common errno texts (glibc's `strerror`); nil for others,
    /// which are then shown as they came.
    public static func russianSystemError(_ words: String) -> String? {
        switch words.lowercased() {
        case "no such file or directory": "нет такого файла или каталога"
        case "permission denied": "нет прав доступа"
        case "operation not permitted": "операция не разрешена"
        case "no space left on device": "на диске не осталось места"
        case "read-only file system": "файловая система только для чтения"
        case "file exists": "файл уже существует"
        case "is a directory": "это каталог"
        case "not a directory": "это не каталог"
        case "too many open files": "слишком много открытых файлов"
        case "input/output error": "ошибка ввода-вывода"
        case "disk quota exceeded": "превышена дисковая квота"
        case "device or resource busy": "устройство или ресурс заняты"
        case "connection refused": "в соединении отказано"
        case "connection reset by peer": "соединение сброшено другой стороной"
        case "broken pipe": "канал закрыт (broken pipe)"
        case "no such process": "нет такого процесса"
        case "resource temporarily unavailable": "ресурс временно недоступен"
        case "cannot allocate memory": "не хватает памяти"
        case "invalid argument": "недопустимый аргумент"
        default: nil
        }
    }
}
