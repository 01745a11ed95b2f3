/// Every test target that uses the bot's test support gets the manual clock with it.
@_exported import SupportTestKit
