import Foundation
import OpsbotCore
import OpsbotApp

/// The written config, read back exactly as `opsbot validate` reads it.
public enum InitValidation {
    /// Every problem `validate` would print; catalog problems (a command file of the shipped
    /// catalog) are returned apart, as `run` treats them: the rest of the bot still works.
    public static func validate(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> (problems: [ConfigError], catalog: [ConfigError], runtime: Runtime) {
        let runtime = Runtime.load(configPath: path, environment: environment)
        let problems = runtime.problems.filter { p in !runtime.catalogProblems.contains(p) }
        return (problems, runtime.catalogProblems, runtime)
    }
}
