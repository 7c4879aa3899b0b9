import Foundation
import Glibc

/// A real NSD (Debian's nsd package) on 127.0.0.1, for differential and secondary tests.
public final class NSDInstance: @unchecked Sendable {  // its state is set once in init
    public let port: Int
    public let directory: String
    private let process: Process

    /// Starts NSD serving `zones` (name → zone text) as primary, or as secondary of
    /// `primaryAddress`@`primaryPort` (NOTIFY accepted from all of 127.0.0.0/8).
    public init(zones: [String: String], secondaryOf primaryPort: Int? = nil, primaryAddress: String = "127.0.0.1",
                port: Int = FreePort.tcpAndUDP()) throws {
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
                config += "zone:\n  name: \(name)\n  zonefile: \(name)zone\n  request-xfr: AXFR \(primaryAddress)@\(primaryPort) NOKEY\n  allow-notify: 127.0.0.0/8 NOKEY\n"
            } else {
                try text.write(toFile: "\(directory)/\(name)zone", atomically: true, encoding: .utf8)
                config += "zone:\n  name: \(name)\n  zonefile: \(name)zone\n  provide-xfr: 127.0.0.0/8 NOKEY\n"
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
    public func waitUntilAnswering(_ name: String, timeoutSeconds: Double = 10) async -> Bool {
        await eventually(within: .milliseconds(Int(timeoutSeconds * 1000))) { self.serial(of: name) != nil }
    }

    /// The SOA serial NSD serves for `zone` (nil: it does not answer for it).
    public func serial(of zone: String) -> String? {
        let answer = Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "-p", "\(port)", "@127.0.0.1", zone, "SOA"]).output
        return Self.soaSerial(digShort: answer)
    }

    /// The serial in `dig +short … SOA` output, nil when it holds none: dig prints its errors
    /// (";; communications error to …: connection refused") on standard output too, and their
    /// third word once passed for a serial — a secondary not yet listening seemed to answer.
    public static func soaSerial(digShort output: String) -> String? {
        for line in output.split(separator: "\n") where !line.hasPrefix(";") {
            let fields = line.split(separator: " ")
            if fields.count >= 3, !fields[2].isEmpty, fields[2].allSatisfy(\.isNumber) { return String(fields[2]) }
        }
        return nil
    }

    public var log: String { (try? String(contentsOfFile: "\(directory)/nsd.log", encoding: .utf8)) ?? "" }

    /// Sends `number` to NSD and its helper processes: every process whose command line names
    /// this instance's directory.
    public func signal(_ number: Int32) {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in processes {
            guard let pid = Int32(entry),
                  let commandLine = try? String(contentsOfFile: "/proc/\(entry)/cmdline", encoding: .utf8),
                  commandLine.contains(directory) else { continue }
            kill(pid, number)
        }
    }

    /// Stops NSD and its helper processes. SIGKILL, because a child of the test process inherits
    /// its blocked SIGTERM.
    public func stop() {
        signal(SIGKILL)
        process.waitUntilExit()
    }
}
