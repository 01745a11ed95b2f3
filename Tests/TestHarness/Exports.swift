// TestHarness — what the bot's own test targets share on top of TestSupport and need
// swift-testing for (harnesses that `#expect`, the `.exclusive` trait). Kept apart from
// TestSupport so `opsbench`, a static release binary without the Testing module, links.
@_exported import TestSupport
@_exported import TestTraits
