import OpsbotCore
import OpsbotApp
import OpsbotAlerts
import OpsbotServices
import OpsbotDatabase
import OpsbotAlertmanager
import OpsbotHTTPListener

/// Tests reach into an app's features by type; production code gets them as stored properties.
extension AppContext {
    public func feature<T: Feature>(_ type: T.Type) -> T {
        guard let f = wiring.features.lazy.compactMap({ $0 as? T }).first else { fatalError("no \(T.self) in this app") }
        return f
    }
    public var alertsFeature: AlertsFeature { feature(AlertsFeature.self) }
    public var servicesFeature: ServicesFeature { feature(ServicesFeature.self) }
    public var databaseFeature: DatabaseFeature { feature(DatabaseFeature.self) }
    public var alertmanagerFeature: AlertmanagerFeature { feature(AlertmanagerFeature.self) }
    public var httpFeature: HTTPListenerFeature { feature(HTTPListenerFeature.self) }
}
