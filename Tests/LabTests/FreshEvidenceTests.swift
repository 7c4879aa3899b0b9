import Foundation
import Glibc
import LifeboatTestSupport
import LifeboatCore
import Testing

/// A cut of some loopback ports, in an nftables table of the test process's own (removed by
/// `lift`): `lifeboat_test_cut_<pid>`, so test groups running side by side on their own labs
/// never remove each other's cut.
struct LoopbackCut {
    static let table = "lifeboat_test_cut_\(getpid())"
    let ports: [Int]

    init(ports: [Int]) throws {
        self.ports = ports
        Self.remove()
        let list = ports.map(String.init).joined(separator: ", ")
        let script = """
            add table inet \(Self.table)
            add chain inet \(Self.table) output { type filter hook output priority 0; policy accept; }
            add rule inet \(Self.table) output ip daddr 127.0.0.1 tcp dport { \(list) } drop
            """
        let result = Lab.run("/bin/sh", ["-c", "printf '%s\\n' \"$0\" | nft -f -", script])
        guard result.status == 0 else { throw DaemonError(message: "nft: \(result.output)") }
    }

    func lift() { Self.remove() }

    static func remove() { _ = Lab.run("/usr/sbin/nft", ["delete", "table", "inet", table]) }
}

extension LabSuites {
/// Decisions on fresh evidence: isolation ending while the primary's counter still says down
/// is no reason to fail over; a real outage that outlasts the isolation is.
@Suite("Fresh evidence: isolation, recovery and the confirmation round")
struct FreshEvidenceTests {
    static func cutPrimaryAndWitness() throws -> LoopbackCut {
        try LoopbackCut(ports: [Int(Lab.httpEndpoint("LAB_PRIMARY_HTTP").port), Int(Lab.httpEndpoint("LAB_WITNESS_HTTP").port)])
    }

    @Test("primary and witness cut, then restored: no failover in 10 of 10 trials", .timeLimit(.minutes(4)))
    func isolationThenRecovery() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { LoopbackCut.remove(); daemon.stop(); Standby.reset() }
        for trial in 1...10 {
            let cut = try Self.cutPrimaryAndWitness()
            let isolated = await eventually(within: .seconds(15)) {
                guard let report = try? daemon.report() else { return false }
                return report.isolated && report.services.first?.primary.state == .down
            }
            #expect(isolated, "trial \(trial): never isolated with the primary down: \(daemon.logText.suffix(1500))")
            cut.lift()
            let recovered = await eventually(within: .seconds(15)) {
                guard let report = try? daemon.report() else { return false }
                return !report.isolated && report.services.first?.primary.state == .up
            }
            #expect(recovered, "trial \(trial): did not recover")
            let status = try daemon.status()
            #expect(status.phase == .primaryActive, "trial \(trial): \(status.phase) — \(status.reason)")
            #expect(daemon.addresses() == Standby.primaryAddress, "trial \(trial)")
            if status.phase != .primaryActive { return }
        }
        let started = try daemon.history().filter { $0.summary.contains("failover") && $0.summary.contains("started") }
        #expect(started.isEmpty, "\(started.map(\.summary))")
        #expect(daemon.logText.contains("failover.confirmation"), "the confirmation rounds ran")
    }

    @Test("a real outage during isolation that is still there when isolation ends does fail over")
    func outageOutlastsIsolation() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { LoopbackCut.remove(); daemon.stop(); Standby.reset() }
        let cut = try Self.cutPrimaryAndWitness()
        #expect(await eventually(within: .seconds(15)) { (try? daemon.report().isolated) == true })
        try Lab.fault(.primaryHTTP)
        #expect(await daemon.waitForRuns(of: "primary-web", count: 2), "two runs see the outage while isolated")
        #expect(try daemon.status().phase == .primaryActive, "held while isolated")
        cut.lift()
        #expect(await daemon.waitFor(.standbyActive, within: .seconds(20)), "\(daemon.logText.suffix(2000))")
        #expect(try daemon.status().reason.contains("failover complete"))
        #expect(try daemon.history().contains { $0.summary.contains("confirmed: primary-web: refused") }, "the round saw the outage")
    }
}
}
