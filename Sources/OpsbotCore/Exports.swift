// OpsbotCore — what every feature builds on: config loading and strict decoding, the command
// catalog and argument validation, the router with access control and the confirmation state
// machine, the chat transports (Telegram, console), the `Feature` protocol and `AppContext`,
// check providers and metrics. It knows no feature: features depend on it, never the reverse.

@_exported import OpsbotSupport
