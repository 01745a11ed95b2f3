import Foundation
@testable import OpsbotCore
import Testing
import TestHarness
@testable import OpsbotApp
@testable import OpsbotDatabase

/// The `database:` section: the shipped demo section is valid, and mistakes name their key.
struct DatabaseConfigTests {
    func errors(_ section: String) throws -> [ConfigError] {
        let config = try OpsbotConfig.parse(DefaultConfig.yaml + "\n" + section, source: "test.yaml", baseDirectory: TestApp.repositoryRoot)
        return DatabaseFeature.validate(config)
    }

    @Test func demoSectionIsValidAndComplete() throws {
        let yaml = try String(contentsOfFile: TestApp.repositoryRoot + "/demo/config-database.yaml", encoding: .utf8)
        #expect(try errors(yaml).isEmpty)
        let config = try OpsbotConfig.parse(yaml, source: "demo", baseDirectory: TestApp.repositoryRoot)
        let db = try #require(try config.section("database", as: DatabaseConfig.self))
        #expect(db.schema.tables.map(\.table) == ["users", "payments", "balance_transactions", "subscriptions", "apscheduler_jobs"])
        #expect(db.schema.tables[0].columns.last == ColumnExpectation(name: "notifications_enabled", type: "boolean", nullable: false))
        #expect(db.payments.pendingAfter == 900)
        #expect(db.payments.column("currency") == "currency")
    }

    @Test func mistakesNameTheirKey() throws {
        #expect(try errors("database: {pool_size: 0}").first?.key == "database.pool_size")
        #expect(try errors("database: {statement_timeout: soon}").first?.key == "database.statement_timeout")
        #expect(try errors("database: {payments: {columns: {usr: user_id}}}").first?.key == "database.payments.columns.usr")
        #expect(try errors("database: {payments: {completion: {x: ['UPDATE u SET a = {amout}']}}}").first?.message.contains("{amout}") == true)
        #expect(try errors("database: {schema: {migrations: {versions_dir: /nonexistent}}}").first?.key == "database.schema.migrations.versions_dir")
        #expect(try errors("database: {schema: {migrations: {version_table: v}}}").first?.message.contains("needs head or versions_dir") == true)
    }

    @Test func columnGrammar() {
        #expect(ColumnExpectation(parsing: "tier varchar(20) null") == ColumnExpectation(name: "tier", type: "varchar(20)", nullable: true))
        #expect(ColumnExpectation(parsing: "created_at timestamp with time zone NOT NULL") == ColumnExpectation(name: "created_at", type: "timestamp with time zone", nullable: false))
        #expect(SchemaInspector.typeMatches(expected: "int4", dataType: "integer", udt: "int4"))
        #expect(!SchemaInspector.typeMatches(expected: "bigint", dataType: "integer", udt: "int4"))
    }
}
