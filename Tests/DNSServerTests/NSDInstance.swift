import Foundation
import LifeboatTestSupport
import Glibc

/// A real NSD (Debian's nsd package) on 127.0.0.1, for differential and secondary tests.
final class NSDInstance {
    let port: Int
    let directory: String
    private let process: Process

    /// Starts NSD serving `zones` (name → zone text) as primary, or as secondary of `primaryPort`.
    init(zones: [String: String], secondaryOf primaryPort: Int? = nil, port: Int = FreePort.tcpAndUDP()) throws {
        self.port = port
        directory = NSTemporaryDirectory() + "lifeboat-nsd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = """
            server:
              ip-address: 127.0.0.1@\(port)
              server-count: 1
              minimal-responses: yes
              rrl-ratelimit: 0
              zonesdir: "\(directory)"
              pidfile: "\(directory)/nsd.pid"
              xfrdfile: "\(directory)/xfrd.state"
              zonelistfile: "\(directory)/zone.list"
              database: ""
              username: ""
              verbosity: 2
              logfile: "\(directory)/nsd.log"
              xfrd-reload-timeout: 0
            remote-control:
              control-enable: no

            """
        for (name, text) in zones {
            if let primaryPort {
                config += "zone:\n  name: \(name)\n  zonefile: \(name)zone\n  request-xfr: AXFR 127.0.0.1@\(primaryPort) NOKEY\n  allow-notify: 127.0.0.1 NOKEY\n"
            } else {
                try text.write(toFile: "\(directory)/\(name)zone", atomically: true, encoding: .utf8)
                config += "zone:\n  name: \(name)\n  zonefile: \(name)zone\n"
            }
        }
        try config.write(toFile: "\(directory)/nsd.conf", atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nsd")
        process.arguments = ["-d", "-c", "\(directory)/nsd.conf"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits until NSD answers `name` SOA (as primary: at once; as secondary: after the transfer).
    func waitUntilAnswering(_ name: String, timeoutSeconds: Double = 10) async -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if let reply = SocketClient.udp(RawPacketTests.query(name, 6, id: 1), port: port, timeoutMilliseconds: 200),
               reply.count > 3, reply[3] & 0x0F == 0, reply[7] > 0 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    var log: String { (try? String(contentsOfFile: "\(directory)/nsd.log", encoding: .utf8)) ?? "" }

    /// Stops NSD and its helper processes. SIGKILL, because a child of the test process inherits
    /// its blocked SIGTERM; every process whose command line names this instance's directory goes.
    func stop() {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in processes {
            guard let pid = Int32(entry),
                  let commandLine = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                  commandLine.contains(directory) else { continue }
            kill(pid, SIGKILL)
        }
        process.waitUntilExit()
    }
}
