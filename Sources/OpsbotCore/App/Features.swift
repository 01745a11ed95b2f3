/// Every feature compiled into opsbot. A new feature adds one line here.
public enum Features {
    public static let all: [Feature.Type] = [
        CoreFeature.self,
        AlertsFeature.self,
        ServicesFeature.self,
        DatabaseFeature.self,
        AlertmanagerFeature.self,
        HTTPListenerFeature.self,
    ]

    public static func moduleRegistry() -> ModuleRegistry {
        let r = ModuleRegistry()
        for f in all { f.registerModules(r) }
        return r
    }

    public static func checkRegistry(_ config: Config) -> CheckRegistry {
        let r = CheckRegistry()
        for f in all { f.registerChecks(r, config: config) }
        return r
    }

    public static func callbackRegistry() -> CallbackRegistry {
        let r = CallbackRegistry()
        for f in all { f.registerCallbacks(r) }
        return r
    }

    public static func registerConfigSections() {
        for f in all { Config.knownSections.formUnion(f.configSections) }
    }
}
