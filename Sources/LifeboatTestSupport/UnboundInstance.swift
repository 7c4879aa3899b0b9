import Foundation
import Glibc
import SystemIO

/// A real caching resolver (Debian's unbound) on 127.0.0.1 whose stub zone points at an
/// authoritative server under test: what a site's visitors' ISP resolver does, on loopback.
/// `cacheMinTTL` models resolvers that do not honour low TTLs (unbound's `cache-min-ttl`).
public final class UnboundInstance: @unchecked Sendable {  // its state is set once in init
    public let port: Int
    public let directory: String
    private let pid: pid_t

    /// Starts unbound answering recursively for `zone`, asking `stubPort` on 127.0.0.1.
    public init(zone: String, stubPort: Int, cacheMinTTL: Int? = nil, port: Int = FreePort.tcpAndUDP()) throws {
        self.port = port
        directory = NSTemporaryDirectory() + "lifeboat-unbound-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Only the iterator (no DNSSEC validation: the lab zone is unsigned and has no trust
        // anchor); localhost may be queried (the stub is on loopback); no prefetch, so a cached
        // answer lives exactly its (or cache-min-ttl's) time.
        let config = """
            server:
              interface: 127.0.0.1@\(port)
              port: \(port)
              do-ip6: no
              do-daemonize: no
              username: ""
              chroot: ""
              directory: "\(directory)"
              pidfile: "\(directory)/unbound.pid"
              use-syslog: no
              logfile: "\(directory)/unbound.log"
              verbosity: 1
              num-threads: 1
              access-control: 127.0.0.0/8 allow
              do-not-query-localhost: no
              module-config: "iterator"
              prefetch: no
              \(cacheMinTTL.map { "cache-min-ttl: \($0)" } ?? "")
            stub-zone:
              name: "\(zone)"
              stub-addr: 127.0.0.1@\(stubPort)
            remote-control:
              control-enable: no

            """
        try config.write(toFile: "\(directory)/unbound.conf", atomically: true, encoding: .utf8)
        let check = Lab.run("/usr/sbin/unbound-checkconf", ["\(directory)/unbound.conf"])
        guard check.status == 0 else { throw UnboundError(message: "unbound-checkconf: \(check.output)") }
        pid = try ChildProcess.start(["/usr/sbin/unbound", "-d", "-c", "\(directory)/unbound.conf"], outputPath: "\(directory)/stdout.log")
    }

    deinit { stop() }

    /// Waits until unbound answers queries at all (any rcode).
    public func waitUntilListening(timeoutSeconds: Double = 10) async -> Bool {
        await eventually(within: .milliseconds(Int(timeoutSeconds * 1000))) {
            Lab.run("/usr/bin/dig", ["+time=1", "+tries=1", "-p", "\(self.port)", "@127.0.0.1", "version.bind", "CH", "TXT"]).output.contains("status:")
        }
    }

    /// `dig +short name A` through this resolver.
    public func addresses(of name: String) -> [String] {
        Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "-p", "\(port)", "@127.0.0.1", name, "A"]).output
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix(";") }
    }

    public var log: String { (try? String(contentsOfFile: "\(directory)/unbound.log", encoding: .utf8)) ?? "" }

    /// Stops unbound (SIGKILL: a child of the test process inherits its blocked SIGTERM).
    public func stop() {
        guard kill(pid, 0) == 0 else { return }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

/// unbound could not be configured or started.
public struct UnboundError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
