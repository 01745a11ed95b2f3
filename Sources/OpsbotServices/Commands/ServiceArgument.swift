import OpsbotCore

/// Why a command's `service` argument names nothing it can act on: the reply (HTML, in the
/// asker's language), as the user reads it.
struct ServiceArgumentRefusal: Error {
    let reply: String
}

extension ServicesFeature {
    /// The manager and the backend of the command's `service` argument, or the refusal to reply
    /// with: services misconfigured, or a name that is not a configured service.
    func serviceArgument(_ ctx: ModuleContext) throws(ServiceArgumentRefusal) -> (ServiceManager, String, ServiceBackend) {
        let m: ServiceManager
        do { m = try manager() } catch { throw ServiceArgumentRefusal(reply: ServicesText.servicesMisconfigured(error: ChatError.text(error)).text()) }
        guard let name = ctx.request.string("service"), let b = m.backend(name) else {
            throw ServiceArgumentRefusal(reply: ServicesText.unknownService(known: m.settings.services.map(\.name)).text())
        }
        return (m, name, b)
    }
}
