import Foundation
import SystemOps
import OpsbotSupport

extension BackendText {
    var russian: String {
        func sec(_ n: Int) -> String { "\(n) с" }
        func dur(_ s: Double) -> String { LocalFormat.duration(s, .ru) }
        func paren(_ m: String?) -> String { m.map { " (\($0))" } ?? "" }
        return switch self {
        case .instancesUnknown(let r): "число копий неизвестно (\(r.ru))"
        case .cannotListInstances(let b): "бэкенд \(b) не умеет перечислять копии"
        case .cannotStopInstances(let b): "бэкенд \(b) не умеет останавливать отдельные копии"
        case .cannotReadEnvironment(let b): "бэкенд \(b) не умеет читать окружение; задайте env.file"
        case .noLogFile(let s): "у \(s) не задан log_file"
        case .logFileMissing(let p): "лог-файла \(p) нет"
        case .logFileUnreadable(let p, let why): "не удалось прочитать \(p): \(SupportText.russianSystemError(why) ?? why)"
        case .logFileNotRegular(let p): "\(p) — не обычный файл"
        case .fileChangedWhileReading(let rotated, let gaveUp):
            (rotated ? "файл урезали во время чтения (ротация?); перечитали с нового конца" : "файл урезали во время чтения; перечитали с нового конца")
                + (gaveUp ? "; после 3 попыток бросили" : "")
        case .logScanLimit(let scanned): "просмотрено \(scanned) с конца файла; более старые строки не искали"
        case .refusedToSignal(let pid): "отказ: сигнал pid \(pid) не отправляю"
        case .pidAlreadyGone(let pid): "pid \(pid) уже завершился"
        case .killFailed(let pid, let why): "kill(\(pid), SIGTERM) не удался: \(SupportText.russianSystemError(why) ?? why)"
        case .pidStopped(let pid): "pid \(pid) остановлен (SIGTERM)"
        case .pidSurvivedKill(let pid): "pid \(pid) пережил SIGKILL"
        case .pidKilled(let pid, let after): "pid \(pid) убит (SIGKILL через \(sec(after)))"
        case .cannotRun(let program, let e): "\(program): \(e.ru)"
        case .commandFailed(let argv, let outcome, let err): "\(argv): \(outcome.russian)\(err.isEmpty ? "" : ": " + err)"
        case .processOutcome(let code, let signal, let timedOut, let seconds):
            timedOut ? "убит по таймауту через \(String(format: "%.0f", seconds)) с"
                : signal.map { "убит сигналом \($0)" } ?? "код выхода \(code) за \(LocalFormat.number(seconds, decimals: 1, .ru)) с"
        case .restartRequested(let u, let d): "перезапуск запрошен; \(u.ru) · " + d.ru
        case .joined(let a, let b): a.ru + b.ru
        case .systemctlFailed: "systemctl не сработал"
        case .unitNotFound(let u): "юнит \(u) не найден"
        case .unitState(let active, let sub, let since):
            "\(BackendText.ruUnitActive(active)) (\(BackendText.ruUnitSub(sub)))" + (since.map { " с \(ISO8601.format($0))" } ?? "")
        case .mainPIDUnchanged(let pid): "⚠️ главный PID всё ещё \(pid): systemd не запустил новый процесс"
        case .mainPIDOf(let pid, let unit): "pid \(pid): главный PID \(unit)"
        case .unitProcess(let pid, let unit, let sup, let cmd): "pid \(pid)\(sup ? " (главный PID \(unit))" : " (запущен не systemd)"): \(cmd)"
        case .refuseStopUnitProcess: "собственный процесс юнита не останавливаю"
        case .pidGoneOrUnit(let pid, let unit): "pid \(pid) уже завершился или теперь принадлежит \(unit); не трогаю"
        case .dockerUnexpectedList(let e): "Docker API: непонятный ответ /containers/json: \(e)"
        case .dockerUnexpectedContainer(let e): "Docker API: непонятный JSON контейнера: \(e)"
        case .noContainer(let name): "нет контейнера \(name)"
        case .noComposeContainer(let s): "нет контейнера compose-сервиса \(s)"
        case .dockerRestartLoop(let count, let code): "перезапускается по кругу (RestartCount \(count)\(code.map { ", последний код выхода \($0)" } ?? ""))"
        case .dockerUnavailable: "Docker недоступен"
        case .dockerState(let status, let state, let age, let code, let health):
            // The engine's words ("Up 3 hours (healthy)") rebuilt from its data.
            switch state {
            case "running":
                "работает" + (age.map { " \(dur($0))" } ?? "") + (health.map { " (\(BackendText.ruHealth($0)))" } ?? "")
            case "exited", "dead": "остановлен" + (code.map { " (код выхода \($0))" } ?? "") + (age.map { ", \(LocalFormat.ago($0, .ru))" } ?? "")
            case "created": "создан, не запускался"
            case "paused": "на паузе"
            case "restarting": "перезапускается"
            case "removing": "удаляется"
            default: status
            }
        case .dockerRestartDescription(let container, let compose, let socket, let stop):
            "docker restart \(container ?? "контейнера compose-сервиса \(compose)") (Engine API на \(socket), stop_timeout \(sec(stop)), затем SIGKILL)"
        case .dockerEventsUnreadable: "(не удалось прочитать события Docker и понять, понадобился ли SIGKILL)"
        case .dockerKilled(let name, let stop, let code):
            "⚠️ \(name) не остановился по SIGTERM за \(sec(stop)) (stop_timeout): Docker убил его (SIGKILL\(code.map { ", код выхода \($0)" } ?? "")). Его PID 1 игнорирует SIGTERM — дайте контейнеру init (`init: true`) или обработчик TERM."
        case .containerInstance(let name, let id, let image, let compose, let status):
            "контейнер \(name) (\(id), \(image), \(compose.map { "compose-сервис \($0)" } ?? "не из compose")): \(status)"
        case .refuseStopSupervisedContainer: "основной контейнер сервиса не останавливаю"
        case .containerGoneOrOwn(let id): "контейнер \(id) уже удалён или теперь основной у сервиса; не трогаю"
        case .containerStopped(let id): "контейнер \(id) остановлен"
        case .dockerAPIFailed(let socket, let why, let request): "Docker API на \(socket): \(why.ru)" + paren(request)
        case .dockerHTTP(let method, let path, let status, let msg): "Docker API, \(method) \(path): HTTP \(status)\(msg.map { ": " + $0 } ?? "")"
        case .noStatusCommand: "не задан status_command"
        case .statusCommandTimedOut: "status_command не уложился в таймаут"
        case .statusCommandFailed: "status_command не удалось запустить"
        case .commandNoInstancesCommand: "у бэкенда command не задан instances_command"
        case .noRestartCommandShown: "(restart_command не задан)"
        case .noRestartCommand(let s): "у \(s) не задан restart_command"
        case .commandNoEnvironment: "бэкенд command не умеет читать окружение; задайте env_command или env.file"
        case .noPidfile: "нет pid-файла"
        case .pidfileNotRunning: "процесс из pid-файла не запущен"
        case .noMatchingProcess: "подходящих процессов нет"
        case .processCount(let n): Plural.ru(n, "процесс", "процесса", "процессов")
        case .processRestartDescription(let stop, let pidfile, let pattern, let start, let unit):
            "SIGTERM (SIGKILL через \(sec(stop))) " + (pidfile.map { "процессу из \($0)" } ?? "процессам, подходящим под /\(pattern)/")
                + (start.map { ", затем запуск\(unit.map { " (в юните \($0))" } ?? ""): " + $0 } ?? "; команда запуска (start) не задана")
        case .noStartCommand(let s): "у \(s) не задана команда запуска (services.\(s).start)"
        case .ambiguousNoneStopped(let s, let why): "непонятно, какие процессы принадлежат \(s), поэтому ни один не остановлен: \(why.ru)"
        case .cannotStart(let s, let e): "не удалось запустить \(s): \(e.ru)"
        case .cannotWritePidfile(let pid, let f, let why): "pid \(pid) запущен, но записать \(f) не удалось: \(why.ru)"
        case .cannotStartInUnit(let s, let unit, let cmd, let outcome, let err):
            "не удалось запустить \(s) в юните \(unit): \(cmd) \(outcome.russian)\(err.isEmpty ? "" : ": " + err)"
                + " — под systemd opsbot запускает приложения бэкенда process через systemd-run, а системный менеджер разрешает это только root;"
                + " дайте приложению свой юнит (backend: systemd) или задайте service_options.systemd_run: [], чтобы запускать его дочерним процессом opsbot"
        case .unitHasNoMainPID(let unit): "\(unit) запущен, но главного pid нет (сразу завершился? смотрите его лог)"
        case .refuseStopSupervisedInstance: "основную копию сервиса не останавливаю"
        case .pidNotService(let pid, let s): "pid \(pid) больше не процесс \(s); не трогаю"
        case .notRunningNoEnvironment(let s): "\(s) не запущен; его окружение из /proc не прочитать"
        case .cannotReadEnviron(let pid): "не удалось прочитать /proc/\(pid)/environ (нет прав?)"
        case .matchManyUsers(let n, let users):
            "под match попадают процессы \(Plural.ru(n, "пользователя", "пользователей", "пользователей")) (\(users)), и непонятно, чьи из них — сервиса: задайте user:"
        case .unknownUser(let u): "пользователя \(u) на этой машине нет"
        case .runsAsOtherUser(let actual, let expected): "запущен от \(actual), а сервис — от \(expected)"
        case .runsInContainer(let id): "работает в контейнере \(id)"
        case .runsOnHost(let c): "работает на хосте, а сервис — в контейнере \(c)"
        case .belongsToUnit(let unit): "принадлежит \(unit)"
        case .runsInDirectory(let cwd, let want): "работает в \(cwd), а сервис — в \(want)"
        case .stranger(let pid, let why): "pid \(pid) \(why.ru)"
        case .serviceWarning(let s, let why): "\(s): \(why.ru)"
        case .matchAmbiguous(let s, let pattern, let shown, let more):
            "\(s): match /\(pattern)/ неоднозначен: под него попадают ещё \(shown.map(\.ru).joined(separator: "; "))\(more > 0 ? " и ещё \(more)" : "") — их не считаю и никогда не останавливаю; задайте user: или сузьте регулярку"
        case .tokenSource(let where_): "токен из \(where_)"
        case .cannotReadTokenFile(let f): "не удалось прочитать файл токена \(f)"
        case .noToken(let name): "нет токена: задайте \(name)"
        case .rateLimitWaited(let s): "ждали лимит запросов \(sec(s))"
        case .rateLimitExhausted: "лимит запросов исчерпан (RateLimit-Remaining: 0): следующим запросам, возможно, придётся ждать"
        case .notes(let list): list.map(\.ru).joined(separator: "; ")
        case .platformNote(let p, let note): "\(p): \(note.ru)"
        case .platformRequestFailed(let p, let why, let method, let path): "\(p) API: \(why.ru) (\(method) \(path))"
        case .unauthorized(let p, let token, let msg): "\(p) ответил 401 Unauthorized: токен из \(token) не задан, истёк или отозван\(paren(msg))"
        case .forbidden(let p, let method, let path, let token, let perm, let msg):
            "\(p) ответил 403 Forbidden на \(method) \(path): у токена из \(token) нет права \(perm.russian)\(paren(msg))"
        case .rateLimitGaveUp(let p, let remaining, let waited, let retry):
            "\(p): лимит запросов (429\(remaining.map { ", RateLimit-Remaining: \($0)" } ?? "")): ждали \(sec(waited)) и сдались; повторите через \(sec(retry))"
        case .permReadDynos: "читать список dyno (OAuth scope read, app permission view)"
        case .permReadFormation: "читать formation (OAuth scope read)"
        case .permReadReleases: "читать релизы (OAuth scope read)"
        case .permLogSession: "открывать сессию логов (OAuth scope read, app permission view)"
        case .permRestartDynos: "перезапускать dyno (OAuth scope write, app permission operate)"
        case .permReadConfigVars: "читать config vars (OAuth scope read-protected, app permission deploy)"
        case .permScaleFormation: "менять число dyno (OAuth scope write, app permission operate)"
        case .permReadService: "читать сервис"
        case .permReadExecutions: "читать запуски инстансов"
        case .permReadLogs: "читать логи деплоя"
        case .permRestartDeployments: "перезапускать деплои"
        case .permRedeploy: "делать редеплой"
        case .permReadVariables: "читать переменные"
        case .permUpdateService: "менять настройки сервиса"
        case .herokuNotFound(let method, let path, let why): "Heroku: \(method) \(path): не найдено (\(why)) — проверьте heroku.app и heroku.process_type"
        case .herokuHTTP(let method, let path, let status, let why): "Heroku: \(method) \(path): ошибка HTTP \(status): \(why)"
        case .herokuNoQuantity(let type): "Heroku: у formation \(type) нет quantity"
        case .dynosUnlisted: "не удалось получить список dyno"
        case .formationUnknown(let e): " · formation неизвестна: \(e.ru)"
        case .herokuRelease(let v, let ago, let failed):
            " · релиз v\(v)" + (ago.map { " (\(LocalFormat.ago($0, .ru)))" } ?? "") + (failed ? " ПРОВАЛЕН" : "")
        case .dynoCounts(let up, let quantity, let dynos):
            (quantity.map { "\(up)/\($0) работают" } ?? "работают: \(up)") + (dynos.isEmpty ? "" : ": " + BackendText.dynoParts(dynos) { d in
                "\(d.name) \(BackendText.ruDynoState(d.state))" + (d.age.map { " \(dur($0))" } ?? "")
            })
        case .scaledToZero(let type): "\(type) масштабирован до 0 (formation quantity 0): ничего не работает → /scale \(type) 1"
        case .dynosCrashed(let names): names.count == 1 ? "\(names[0]) упал" : "\(names.joined(separator: ", ")) упали"
        case .noDynoRunning(let type, let q): "ни один dyno \(type) не работает" + (q.map { " (formation quantity \($0))" } ?? "")
        case .herokuUnchanged(let dynos): "Heroku всё ещё показывает \(dynos.joined(separator: ", ")) без изменений"
        case .herokuNoLogplexURL: "Heroku: в сессии логов нет logplex_url"
        case .logStreamTimeout(let host, let s): "поток логов Heroku (\(host)): нет ответа за \(dur(s))"
        case .logStreamRefused(let host): "поток логов Heroku (\(host)): в соединении отказано"
        case .logStreamDNS(let host): "поток логов Heroku (\(host)): имя хоста не разрешается"
        case .logStreamFailed(let host): "поток логов Heroku (\(host)): передача не удалась"
        case .logStreamHTTP(let status): "поток логов Heroku: HTTP \(status)"
        case .logStreamCut(let s): "Heroku держал поток логов открытым: читали \(dur(s)) (heroku.log_window), потом оборвали"
        case .herokuLineLimit: "Heroku отдаёт не больше 1500 строк за сессию логов; более старые строки не искали"
        case .dynoInstance(let name, let state, let release): "dyno \(name) \(BackendText.ruDynoState(state))" + (release.map { " (релиз v\($0))" } ?? "")
        case .herokuConfigVarsNotObject: "Heroku: config-vars — не объект"
        case .herokuScaled(let type, let old, let now): "\(type): число dyno \(old.map(String.init) ?? "?") → \(now.map(String.init) ?? "?")"
        case .railwayRateGaveUp(let msg, let waited, let retry): "Railway: лимит запросов (\(msg)): ждали \(sec(waited)) и сдались; повторите через \(sec(retry))"
        case .railwayRefused(let token, let msg, let perm, let project, let env):
            "Railway отказал токену из \(token) (\(msg)): ему нужно право \(perm.russian) — проектный токен должен быть создан для проекта \(project), окружения \(env)"
        case .railwayError(let msg): "Railway: \(msg)"
        case .railwayHTTP(let status, let msg): "Railway: HTTP \(status)\(msg.map { ": " + $0 } ?? "")"
        case .railwayNoData: "Railway: в ответе нет data"
        case .railwayNoServiceInstance(let id): "Railway: нет serviceInstance для сервиса \(id)"
        case .railwayNoDeployment(let s): "Railway: у сервиса \(s) нет деплоя"
        case .railwayDidNotAnswer: "Railway не ответил"
        case .railwayUnchanged(let d, let status, let executions):
            "Railway не показывает его следов (деплой \(d) всё ещё \(status), те же реплики и время статуса" + (executions ? ", нового запуска инстанса нет)" : ")")
        case .railwayNoDeploymentShort: "деплоя нет"
        case .railwayDetail(let status, let running, let replicas, let ago):
            "деплой \(status) · " + (replicas.map { "\(running)/\($0) \(Plural.ruWord($0, "реплика работает", "реплики работают", "реплик работают"))" }
                ?? "работает \(Plural.ru(running, "реплика", "реплики", "реплик"))")
                + (ago.map { " · задеплоен \(LocalFormat.ago($0, .ru))" } ?? "")
        case .railwayRelease(let d): "деплой \(d)"
        case .replicaCrashed: "реплика упала"
        case .railwayNoReplicas(let d): "Railway не показал ни одной реплики деплоя \(d)"
        case .deploymentFailed(let status, let s):
            "деплой \(status == "CRASHED" ? "упал" : status == "FAILED" ? "провалился" : status.lowercased()) → /logs \(s), /restart \(s) или /redeploy \(s)"
        case .railwaySleeping(let d): "спит (serverless: проснётся на следующий запрос) · " + d.ru
        case .railwayLogsDeployment(let d, let status): "деплой \(d) (\(status))"
        case .railwayRestartDescription(let s): "Railway deploymentRestart последнего деплоя \(s) (Dashboard → Deployments → Restart)"
        case .railwayRedeployDescription(let s): "Railway deploymentRedeploy последнего деплоя \(s) (Dashboard → Deploy → Redeploy: пересборка и выкладка)"
        case .railwayRestartRefused(let d, let status): "Railway не перезапустил деплой \(d) (deploymentRestart вернул false; статус \(status))"
        case .railwayRedeployNoDeployment: "Railway: deploymentRedeploy не вернул деплой"
        case .replicaInstance(let id, let d, let status): "реплика \(id) деплоя \(d): \(status)"
        case .railwayVariablesNotObject: "Railway: variables — не объект"
        case .railwayScaleDescription(let n):
            "Railway serviceInstanceUpdate numReplicas = \(n) (Dashboard → Service → Settings → Scaling; railway.json \"numReplicas\": \(n)); Railway применит это со следующим деплоем"
        case .railwayScaleManual(let old, let n):
            "сейчас реплик: \(old.map(String.init) ?? "неизвестно"); поменяйте в Dashboard (Service → Settings → Scaling) или \"numReplicas\": \(n) в railway.json, затем сделайте редеплой"
        case .railwayScaleFailed(let e, let manual): "\(e.ru) — \(manual.russian)"
        case .railwayScaleRefused(let n, let manual): "Railway не принял numReplicas = \(n) — \(manual.russian)"
        case .railwayScaled(let s, let old, let n):
            "\(s): numReplicas \(old.map(String.init) ?? "?") → \(n). Railway применит это со следующим деплоем: /redeploy \(s)"
        case .remoteRestartDescription(let host, let s): "opsbot remote на \(host): перезапуск \(s) (собственным бэкендом \(host))"
        case .remoteNoStatus(let host): "\(host): в ответе нет статуса"
        case .hostUnreachable: "хост недоступен"
        case .hostTimedOut: "хост не ответил вовремя"
        case .remoteFailed: "удалённый запрос не удался"
        case .remoteOlderFilter(let host, let filter, let sent, let matched):
            "opsbot remote на \(host) старше и пропустил часть фильтра (\(filter)); он прислал \(Plural.ru(sent, "строку", "строки", "строк")), фильтр применён к ним здесь, подошло \(matched)"
        case .remoteNoInstanceList(let host): "\(host) не прислал список копий"
        case .remoteStopped(let host, let id): "\(host): \(id) остановлен"
        case .remoteNoEnvironment(let s, let host): "\(s) работает на \(host): его окружение по SSH не читаю (значения ушли бы по сети)"
        case .unavailableRestartDescription(let reason): "ничего (\(reason))"
        case .sshUnreachable(let h, let r): "хост \(h) недоступен: \(r)"
        case .sshTimedOut(let h, let s): "хост \(h) не ответил за \(dur(s)); соединение закрыто"
        case .sshRemote(let h, let m): "\(h): \(m.ru)"
        case .sshNoSuchHost: "такой записи нет в hosts:"
        case .sshRequestRefused(let e): "запрос отклонён до отправки: \(e.ru)"
        case .sshCannotRun(let e): "не удалось запустить ssh: \(e.ru)"
        case .sshAnswerTooLarge: "ответ больше 8 МБ; отклонён"
        case .sshNotForcedCommand: "forced command ключа — не opsbot remote (код выхода 127)"
        case .sshNoAnswer(let outcome, let reason): "opsbot не ответил (\(outcome.russian)): \(reason)"
        case .sshRefused(let reason): "отказ: \(reason?.ru ?? "без объяснения причин")"
        case .remoteRefusedService(let host, let reason): "\(host): отказ: \(reason.ru)"
        case .remoteNoStatusFor(let host, let s): "\(host): в ответе нет статуса \(s)"
        case .sshUnsafePath(let p): "\(p): путь с кавычками, %, обратной косой чертой или управляющими символами нельзя записать в ssh_config; перенесите каталог состояния или ключ"
        case .sshCannotPrepare(let d, let e): "не удалось подготовить \(d): \(e.ru)"
        case .sshCannotWrite(let p, let why): "не удалось записать \(p)" + (why.map { ": \($0.ru)" } ?? "")
        case .sshCannotCreate(let p, let why): "не удалось создать \(p): \(why.ru)"
        case .sshCannotStat(let p): "не удалось получить сведения о \(p)"
        case .sshNotPrivateDirectory(let p, let uid): "\(p) — не каталог пользователя с uid \(uid); управляющие сокеты SSH туда не кладу"
        case .remoteDidNotFinish(let op, let s): "запрос \(op) не завершился за \(dur(s))"
        case .remoteNotAnInstance(let id, let s): "\(id) — не работающая копия \(s)"
        case .remoteSupervisedInstance(let id, let s): "\(id) — основная копия \(s); не останавливаю"
        case .remoteUnknownService(let s, let known): "сервиса «\(s)» нет в конфиге этого хоста (есть: \(known))"
        case .remoteChained(let s): "\(s) здесь и сам удалённый; opsbot remote не ходит по цепочке хостов"
        case .remoteRequestTooLarge: "запрос слишком большой"
        case .remoteNotARequest(let p): "это не запрос opsbot (ожидается \"\(p) <base64url JSON>\")"
        case .remoteBadBase64: "запрос — не корректный base64url"
        case .remoteBadJSON: "запрос — не корректный JSON для opsbot remote"
        case .remoteInvalidServiceName: "недопустимое имя сервиса"
        case .remoteStatusesNeedList: "запросу statuses нужен список сервисов"
        case .remoteStatusesTooMany: "statuses: не больше 256 сервисов"
        case .remoteNeedsService(let op): "запросу \(op) нужен сервис"
        case .remoteLinesRange: "число строк должно быть от 1 до 100000"
        case .remoteInvalidLevel: "недопустимый уровень"
        case .remoteFilterTooLong: "текст фильтра слишком длинный"
        case .remoteInvalidRegex: "некорректное регулярное выражение"
        case .remoteInvalidSince: "некорректное время начала"
        case .remoteInvalidInstance: "недопустимый id копии"
        case .remoteStopNeedsInstance: "для остановки нужна копия"
        case .remoteDeadlineRange: "срок должен быть от 0 до 3600 с"
        case .dockerUnexpectedDiskUsage(let e): "Docker API: непонятный ответ /system/df: \(e)"
        }
    }

    /// systemd's ActiveState in Russian (unknown words stay as systemd wrote them).
    static func ruUnitActive(_ s: String) -> String {
        switch s {
        case "active": "активен"
        case "inactive": "неактивен"
        case "failed": "сбой"
        case "activating": "запускается"
        case "deactivating": "останавливается"
        case "reloading": "перечитывает конфиг"
        case "maintenance": "обслуживание"
        default: s
        }
    }

    /// systemd's SubState in Russian (the common ones of a service unit).
    static func ruUnitSub(_ s: String) -> String {
        switch s {
        case "running": "работает"
        case "dead": "остановлен"
        case "exited": "завершился"
        case "failed": "упал"
        case "auto-restart": "ждёт автоперезапуска"
        case "start", "start-pre", "start-post": "запуск"
        case "stop", "stop-sigterm", "stop-sigkill", "stop-post", "final-sigterm", "final-sigkill": "остановка"
        case "reload": "перечитывает конфиг"
        case "condition": "проверка условий"
        default: s
        }
    }

    /// Docker's health states in Russian.
    static func ruHealth(_ s: String) -> String {
        switch s {
        case "healthy": "здоров"
        case "unhealthy": "нездоров"
        case "starting": "проверка здоровья идёт"
        default: s
        }
    }

    /// Heroku's dyno states in Russian.
    static func ruDynoState(_ s: String) -> String {
        switch s {
        case "up": "работает"
        case "starting": "запускается"
        case "restarting": "перезапускается"
        case "crashed": "упал"
        case "idle": "простаивает"
        case "down": "остановлен"
        default: s
        }
    }
}
