import Foundation
import LifeboatTestSupport
import LifeboatCore
import Testing

extension LabSuites {
/// The standby stays a replica: `read_only` while it replicates, so the Drupal-like site's cache
/// writes on a GET (what a standby HTTP check causes) cannot break replication; writable only
/// while it serves.
@Suite("The standby stays a replica")
struct ReplicaReadOnlyTests {
    static func readOnly() -> String { Standby.sql("SELECT @@GLOBAL.read_only") }

    static func soak(_ arguments: String...) -> (status: Int32, output: String) {
        Lab.run("\(Lab.repositoryRoot)/bench/replica-soak.sh", arguments, timeout: .seconds(200))
    }

    @Test("60 s of primary saves and standby GETs: read_only replication holds; writable, the same load breaks it (error 1062)",
          .timeLimit(.minutes(3)))
    func soak() async throws {
        defer { Standby.reset() }
        #expect(Self.readOnly() == "1", "the lab's replica starts read-only")
        let held = Self.soak("60")
        #expect(held.status == 0 && held.output.contains("replication held for 60s"), "\(held.output)")
        #expect(Standby.replicating(), "\(Standby.replicaStatus())")

        // The test that failed before: the same load on a writable replica.
        let broke = Self.soak("60", "--writable")
        #expect(broke.status == 1 && broke.output.contains("replication BROKE"), "\(broke.output)")
        #expect(broke.output.contains("1062") || broke.output.contains("Duplicate entry"), "\(broke.output)")
        #expect(Self.readOnly() == "1", "the soak puts read_only back")
    }

    @Test("a replica made writable by hand: standby_writable, and Lifeboat puts read_only back (journaled)")
    func writableByHand() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        _ = Standby.sql("SET GLOBAL read_only = OFF")
        #expect(await eventually(within: .seconds(10)) {
            (try? daemon.history())?.contains { $0.summary.contains("database-read-only done: standby database read_only = ON") } == true
        }, "\(daemon.logText.suffix(2000))")
        #expect(Self.readOnly() == "1")
        let metrics = String(decoding: try daemon.request("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("lifeboat_check_runs_total{check=\"www/standby/standby-db\",result=\"standby_writable\"}"), "the check said why")
        #expect(await daemon.waitHealthy(), "the standby comes back up once read-only again")
        #expect(try daemon.status().phase == .primaryActive)
    }
}
}
