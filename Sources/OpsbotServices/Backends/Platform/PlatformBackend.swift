import Foundation
import OpsbotCore
import OpsbotSupport

/// A backend whose platform runs a configurable number of copies (Heroku formation quantity,
/// Railway numReplicas): `/scale`, and the fix `/conflicts` offers when too many copies poll.
public protocol ScalableBackend: ServiceBackend {
    /// What `/scale NAME n` will do, for the preview.
    func scaleDescription(to n: Int) -> String
    /// Sets the count; returns what the platform now says, one line.
    func scale(to n: Int) async throws -> String
    /// True when the new count takes effect at once (Heroku's formation), false when it waits
    /// for the next deployment (Railway's numReplicas).
    var scaleAppliesAtOnce: Bool { get }
}

/// A backend that can build and roll out the current source again (Railway's Redeploy).
public protocol RedeployableBackend: ServiceBackend {
    var redeployDescription: String { get }
    /// Returns once the platform accepted it; verification is the caller's, as for restart.
    func redeploy() async throws
}
