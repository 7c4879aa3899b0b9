import Foundation
import LifeboatTestSupport
import Glibc
import LifeboatCore
import Testing

extension LabSuites {
/// Lifeboat's own failures are not the primary's: out of file descriptors, a check is `local`
/// (unknown, an alarm of its own), never a count towards "down"; a thousand idle HTTP clients
/// cannot exhaust the descriptors or shut the API out.
@Suite("Our own failures are not the primary's")
struct LocalFailureTests {
    static func openDescriptors(_ pid: pid_t) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }

    @Test("a real EMFILE in the daemon: checks say local, the primary is never down, no sequence; an alarm on the page and in metrics")
    func emfile() async throws {
        let daemon = try await LabDaemon.healthy()
        defer { daemon.stop(); Standby.reset() }
        let pid = String(daemon.pid)
        // A soft limit below every free descriptor number: the next socket() fails with EMFILE
        // (open descriptors stay usable, so the kept MySQL connections go on).
        #expect(Self.openDescriptors(daemon.pid) > 8)
        #expect(Lab.run("/usr/bin/prlimit", ["--pid", pid, "--nofile=3:"]).status == 0)
        let localRuns = { daemon.logText.components(separatedBy: "check.local").count - 1 }
        let starved = await eventually(within: .seconds(15)) { localRuns() >= 8 }
        #expect(Lab.run("/usr/bin/prlimit", ["--pid", pid, "--nofile=20000:"]).status == 0)
        #expect(starved, "no local failures seen: \(daemon.logText.suffix(1500))")
        #expect(daemon.logText.contains("Too many open files") || daemon.logText.contains("(24)"), "EMFILE named")
        #expect(!daemon.logText.contains("check.state=down"), "a local failure was counted as down: \(daemon.logText.suffix(1500))")

        #expect(await eventually(within: .seconds(10)) { (try? daemon.report()) != nil })
        let report = try daemon.report()
        #expect(report.localProblem?.contains("could not run a check") == true, "\(String(describing: report.localProblem))")
        #expect(report.services.first?.phase == .primaryActive && report.services.first?.sequence == nil)
        #expect(try daemon.history().allSatisfy { !$0.summary.contains("started") }, "no sequence")
        let page = String(decoding: try daemon.request("/").body, as: UTF8.self)
        #expect(page.contains("LOCAL PROBLEM"))
        let metrics = String(decoding: try daemon.request("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("lifeboat_local_problem 1") && metrics.contains("result=\"local\""))
        #expect(await daemon.waitHealthy(), "checks run again once descriptors are back")
    }

    @Test("1,100 idle HTTP connections to a daemon started with a soft limit of 1024: new API clients are served, no check fails locally")
    func idleConnections() async throws {
        let daemon = try await LabDaemon.healthy(LabDaemon.Options(softFileLimit: 1024))
        defer { daemon.stop(); Standby.reset() }
        #expect(daemon.logText.contains("nofile.before=1024"), "the daemon raised its soft limit")
        var sockets: [Int32] = []
        defer { for socket in sockets { close(socket) } }
        for _ in 0..<1100 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(daemon.httpPort).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { close(descriptor); continue }
            sockets.append(descriptor)
        }
        #expect(sockets.count == 1100)
        let runsBefore = daemon.logText.components(separatedBy: "check.local").count
        let started = ContinuousClock.now
        let answered = await eventually(within: .seconds(3)) { (try? daemon.report()) != nil }
        #expect(answered, "the API stayed reachable, in \(ContinuousClock.now - started)")
        // Six more rounds of the primary's web check with the connections open, counted in /metrics.
        let okRuns = { () -> Int in
            let metrics = String(decoding: (try? daemon.request("/metrics").body) ?? Data(), as: UTF8.self)
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("lifeboat_check_runs_total{check=\"www/primary/primary-web\",result=\"ok\"}") }
            return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        let before = okRuns()
        #expect(await eventually(within: .seconds(15)) { okRuns() >= before + 6 }, "the checks kept running")
        let status = try daemon.status()
        #expect(status.primary.state == .up && status.standby.state == .up && status.phase == .primaryActive)
        #expect(daemon.logText.components(separatedBy: "check.local").count == runsBefore, "a check failed locally")
        // The idle timeout closes them: the daemon's descriptors drop back.
        #expect(await eventually(within: .seconds(20)) { Self.openDescriptors(daemon.pid) < 200 }, "\(Self.openDescriptors(daemon.pid)) open")
    }
}
}
