import Foundation
import Glibc

/// A real secondary server on 127.0.0.1 — Knot DNS (`knotd`) or BIND 9 (`named`), from
/// Debian — transferring one zone from a primary, with a TSIG key for its SOA queries, its
/// transfers and the NOTIFYs it accepts.
public final class SecondaryInstance: @unchecked Sendable {  // its state is set once in init
    public enum Kind: String, Sendable {
        case knot, bind
    }

    /// A TSIG key as the secondary's configuration names it.
    public struct Key: Sendable {
        public var name: String
        public var algorithm: String
        public var secret: String

        public init(name: String, algorithm: String, secret: String) {
            self.name = name
            self.algorithm = algorithm
            self.secret = secret
        }
    }

    public let kind: Kind
    public let port: Int
    public let directory: String
    private let process: Process

    /// Starts a `kind` secondary of `zone` (without a trailing dot) from 127.0.0.1@`primaryPort`.
    public init(_ kind: Kind, zone: String, primaryPort: Int, key: Key, port: Int = FreePort.tcpAndUDP()) throws {
        self.kind = kind
        self.port = port
        directory = NSTemporaryDirectory() + "lifeboat-\(kind.rawValue)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        process = Process()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        switch kind {
        case .knot:
            try """
                server:
                  rundir: "\(directory)"
                  listen: 127.0.0.1@\(port)
                control:
                  listen: "\(directory)/knot.sock"
                log:
                  - target: "\(directory)/secondary.log"
                    any: debug
                key:
                  - id: \(key.name)
                    algorithm: \(key.algorithm)
                    secret: \(key.secret)
                remote:
                  - id: lifeboat
                    address: 127.0.0.1@\(primaryPort)
                    key: \(key.name)
                acl:
                  - id: lifeboat-notify
                    address: 127.0.0.0/8
                    key: \(key.name)
                    action: notify
                template:
                  - id: default
                    storage: "\(directory)"
                zone:
                  - domain: \(zone)
                    file: "\(directory)/\(zone).zone"
                    master: lifeboat
                    acl: lifeboat-notify

                """.write(toFile: "\(directory)/knot.conf", atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/knotd")
            process.arguments = ["-c", "\(directory)/knot.conf"]
        case .bind:
            try """
                options {
                  directory "\(directory)";
                  pid-file "\(directory)/named.pid";
                  session-keyfile "\(directory)/session.key";
                  listen-on port \(port) { 127.0.0.1; };
                  listen-on-v6 { none; };
                  recursion no;
                  dnssec-validation no;
                  notify no;
                };
                key "\(key.name)" { algorithm \(key.algorithm); secret "\(key.secret)"; };
                controls { };
                logging {
                  channel file { file "\(directory)/secondary.log"; severity debug 3; print-time yes; print-category yes; };
                  category default { file; };
                  category xfer-in { file; };
                  category notify { file; };
                };
                zone "\(zone)" {
                  type secondary;
                  file "\(directory)/\(zone).db";
                  primaries port \(primaryPort) { 127.0.0.1 key "\(key.name)"; };
                  allow-notify { key "\(key.name)"; };
                };

                """.write(toFile: "\(directory)/named.conf", atomically: true, encoding: .utf8)
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/named")
            process.arguments = ["-f", "-c", "\(directory)/named.conf"]
        }
        try process.run()
    }

    /// The SOA serial served for `zone` (nil: it does not answer for it yet).
    public func serial(of zone: String) -> String? {
        let answer = Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "+norec", "-p", "\(port)", "@127.0.0.1", zone, "SOA"]).output
        return NSDInstance.soaSerial(digShort: answer)
    }

    /// What it answers for `name` `type` (`dig +short`, sorted lines).
    public func answer(_ name: String, _ type: String) -> [String] {
        Lab.run("/usr/bin/dig", ["+short", "+time=1", "+tries=1", "+norec", "-p", "\(port)", "@127.0.0.1", name, type]).output
            .split(separator: "\n").map(String.init).sorted()
    }

    public var log: String { (try? String(contentsOfFile: "\(directory)/secondary.log", encoding: .utf8)) ?? "" }

    /// Stops the server (by its PID) and removes its directory.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
