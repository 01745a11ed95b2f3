import OpsbotSupport

extension AlertingText {
    public var russian: String {
        switch self {
        case .serviceDownDescription: "сервис из конфига не запущен"
        case .instancesDescription: "запущено больше экземпляров, чем в конфиге (у бота это ошибка 409 от Telegram)"
        case .restartLoopDescription: "слишком много перезапусков за последний час"
        case .memoryGrowthDescription: "потребление памяти растёт и не снижается"
        case .healthDescription: "хелсчек не отвечает кодом 200"
        case .healthSlowDescription: "хелсчек отвечает медленнее заданного порога (health.slow)"
        case .databaseDescription: "база данных приложения не отвечает"
        case .schemaDescription: "схема разошлась: нет таблиц/колонок или миграции alembic применены не до конца"
        case .diskDescription: "диск или иноды заполнены выше disk.warn_percent (критично выше disk.critical_percent)"
        case .diskFillDescription: "при нынешнем темпе раздел заполнится в пределах disk.fill_warn (критично: disk.fill_critical)"
        case .logDescription: "в логах сработал шаблон из конфига (в пределах своего окна)"
        case .logGrowthDescription: "лог-файл растёт быстрее disk.log_growth.max_mb_per_hour (диск забивается логами)"
        case .heartbeatDescription: "в логе сервиса пропала контрольная строка «я жив»"
        case .paymentsDescription: "платежи зависли в ожидании или зачислены дважды"
        case .paymentWebhookLostDescription: "платёж у нас ещё в ожидании, а у провайдера оплачен дольше payments.webhook_grace (вебхук так и не пришёл)"
        case .providerUnreachableDescription: "API платёжного провайдера (YooKassa, Crypto Pay) не отвечает на проверочный запрос"
        case .providerCredentialsDescription: "платёжный провайдер не принимает ключи opsbot (401): проверьте указанную переменную окружения"
        case .webhookDescription: "ошибки вебхука бота; если вебхук установлен, а бот работает через поллинг, обновления не приходят"
        case .targetBotDescription: "бот не проходит проверку токена: токен недействителен или Telegram недоступен"
        case .dependencyDescription: "не отвечает сервис, без которого приложение не работает"
        case .envDescription: "не выполняются правила переменных окружения (/env)"
        case .checkTimeoutDescription: "проверка не уложилась в таймаут; состояние её алертов неизвестно"
        case .restartLabel: "Перезапустить {service}"
        case .conflictsLabel: "Конфликты"
        case .lastErrorsLabel: "Последние ошибки"
        case .statusLabel: "Статус"
        case .showSchemaLabel: "Схема БД"
        case .showDiskLabel: "Диск"
        case .paymentsLabel: "Платежи {target}"
        case .completePaymentLabel: "Провести платёж {target}"
        case .pendingPaymentsLabel: "Платежи в ожидании"
        case .envLabel: "Окружение {service}"
        case .delayed(let s, let down):
            "\n<i>(задержка \(LocalFormat.duration(s, .ru)): \(down ? "Telegram недоступен" : "упёрлись в лимит сообщений в чат"))</i>"
        case .andMore(let line, let n): line + " — и ещё \(n)"
        case .checkUnknown(let check): "\(check): результат неизвестен"
        }
    }
}
