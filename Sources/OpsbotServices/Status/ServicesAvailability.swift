import Foundation
import OpsbotCore

/// Which service commands can work with this config: a command whose backend is not configured
/// (no Docker, no Heroku or Railway service, no services at all) is left out of /help and the
/// menu and, typed, says why (`CommandModule.notConfigured`).
extension ServicesFeature {
    enum Need {
        /// At least one service (/logs, /restart, /env).
        case anyService
        /// A Docker engine: a docker service, or the configured socket exists (/docker_prune).
        case docker
        /// A Heroku or Railway service (/scale).
        case scalable
        /// A Railway service (/redeploy).
        case railway
        /// A service with bot: true or target_bot.service (/conflicts).
        case botService
    }

    /// Why a command needing `need` cannot work here, nil when it can — or when `services:`
    /// is invalid (the command then says what is wrong with it).
    func notConfigured(_ need: Need) -> String? {
        guard let m = try? manager() else { return nil }
        let all = m.settings.services
        switch need {
        case .anyService:
            return all.isEmpty ? ServicesText.needServices.text() : nil
        case .docker:
            if all.contains(where: { $0.backend == .docker }) { return nil }
            let socket = m.settings.options.dockerSocket
            return FileManager.default.fileExists(atPath: socket) ? nil
                : ServicesText.needDocker(socket: socket).text()
        case .scalable:
            return all.contains { $0.backend == .heroku || $0.backend == .railway } ? nil
                : ServicesText.needScalable.text()
        case .railway:
            return all.contains { $0.backend == .railway } ? nil : ServicesText.needRailway.text()
        case .botService:
            return m.settings.botService == nil ? ServicesText.needBotService.text() : nil
        }
    }
}
