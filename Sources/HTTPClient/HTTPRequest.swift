import Foundation
import OpsbotSupport

/// One part of a multipart/form-data body (Bot API file uploads).
public struct MultipartPart: Sendable {
    public var name: String
    public var filename: String?
    public var contentType: String?
    public var data: Data

    public init(name: String, filename: String? = nil, contentType: String? = nil, data: Data) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// A request for `HTTPClient`. `body` and `multipart` are exclusive (multipart wins).
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: Data?
    public var multipart: [MultipartPart]?
    /// Seconds to establish the connection.
    public var connectTimeout: Double
    /// Seconds for the whole transfer, connection included.
    public var timeout: Double
    /// Talk HTTP over this Unix socket instead of TCP (the Docker Engine API); the URL host is ignored.
    public var unixSocketPath: String?
    /// A stream read for a bounded window (a platform's log stream that never ends): when the
    /// total timeout cuts a transfer that already had its response, return what arrived
    /// (`HTTPResponse.cutAtTimeout`) instead of throwing.
    public var keepPartialBodyOnTimeout = false

    public init(method: String = "GET", url: String, headers: [String: String] = [:], body: Data? = nil,
                multipart: [MultipartPart]? = nil, connectTimeout: Double = 5, timeout: Double = 30,
                unixSocketPath: String? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.multipart = multipart
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.unixSocketPath = unixSocketPath
    }
}

/// A response. Header names are lower-cased; `totalTime` is libcurl's total time in seconds.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    public var totalTime: Double
    /// The body is what arrived before the total timeout cut the transfer (see `keepPartialBodyOnTimeout`).
    public var cutAtTimeout = false

    public init(status: Int, headers: [String: String], body: Data, totalTime: Double, cutAtTimeout: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.totalTime = totalTime
        self.cutAtTimeout = cutAtTimeout
    }
}

/// A transfer that produced no HTTP response. `message` never contains the URL's secrets
/// (the bot token is in every Bot API URL).
public struct HTTPError: Error, CustomStringConvertible {
    public enum Kind: Sendable { case timeout, connect, dns, other }
    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = Redactor.shared.redact(message)
    }

    public var description: String { message }
}
