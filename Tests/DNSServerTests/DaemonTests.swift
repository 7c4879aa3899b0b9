import DNSZone
import LifeboatTestSupport
import Foundation
import Glibc
import Testing

/// The real `lifeboatd` binary: IPv4 and IPv6 listeners, SIGHUP reloads, SIGTERM stops, bad
/// configuration refused.
@Suite("lifeboatd, the daemon", .serialized)
struct DaemonTests {
    static var binary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return here.appendingPathComponent("lifeboatd").path
    }

    /// A config serving the test zone on 127.0.0.1 and ::1 at `port`.
    static func writeConfig(port: Int) throws -> (config: String, zones: String, log: String) {
        let zones = try makeZonesDirectory()
        let directory = NSTemporaryDirectory() + "lifeboatd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "token\n".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        try """
            state_dir = "\(directory)/state"
            [dns]
            listen = ["127.0.0.1:\(port)", "[::1]:\(port)"]
            zones_dir = "\(zones)"
            [http]
            listen = "127.0.0.1:\(FreePort.tcpAndUDP())"
            token_file = "token"
            [[service]]
            name = "www"
            zone = "lifeboat.test."
            owners = ["www.lifeboat.test."]
            [service.primary]
            addresses = ["192.0.2.10", "192.0.2.11", "2001:db8::10"]
            checks = [ { type = "tcp", connect_to = "127.0.0.1:1" } ]
            [service.standby]
            addresses = ["198.51.100.20"]
            checks = [ { type = "tcp", connect_to = "127.0.0.1:2" } ]
            """.write(toFile: "\(directory)/lifeboat.toml", atomically: true, encoding: .utf8)
        return ("\(directory)/lifeboat.toml", zones, "\(directory)/lifeboatd.log")
    }

    static func launch(config: String, log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--config", config]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    static func answers(_ name: String, port: Int) -> [String]? {
        SocketClient.udp(RawPacketTests.query(name, RRType.a, id: 3), port: port, timeoutMilliseconds: 200)
            .flatMap(DecodedMessage.decode)?.answer
    }

    @Test("serves on IPv4 and IPv6, reloads on SIGHUP, keeps the old zone on a broken file, stops on SIGTERM")
    func lifecycle() async throws {
        let port = FreePort.tcpAndUDP()
        let (config, zones, log) = try Self.writeConfig(port: port)
        let daemon = try Self.launch(config: config, log: log)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        #expect(await eventually(within: .seconds(10)) { Self.answers("www.lifeboat.test", port: port)?.count == 2 }, "no answer: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        let v6 = DigTool.dig.query(["-6", "@::1", "www.lifeboat.test", "AAAA"], port: port)
        #expect(v6.answer == ["www.lifeboat.test. 30 in aaaa 2001:db8::10"], "\(v6.raw)")

        let path = "\(zones)/lifeboat.test.zone"
        try (testZoneText + "added IN A 192.0.2.123\n").write(toFile: path, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(await eventually(within: .seconds(10)) { Self.answers("added.lifeboat.test", port: port) == ["added.lifeboat.test. 3600 in a 192.0.2.123"] })

        let brokenLine = testZoneText.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        try (testZoneText + "added IN A 192.0.2.123\nbad IN AAAA nonsense\n").write(toFile: path, atomically: true, encoding: .utf8)
        kill(daemon.processIdentifier, SIGHUP)
        #expect(await eventually(within: .seconds(10)) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("\(path):\(brokenLine):") },
                "the log should name \(path):\(brokenLine)")
        #expect(Self.answers("added.lifeboat.test", port: port)?.count == 1, "the last good zone keeps serving")

        kill(daemon.processIdentifier, SIGTERM)
        #expect(await eventually(within: .seconds(15)) { !daemon.isRunning }, "stopping waits at most for running checks (their timeout) and a running step (10 s)")
        #expect(daemon.terminationStatus == 0)
    }

    /// Sends `count` queries (ids 0..<count) from one socket whose own buffer holds every answer;
    /// `whileSent` runs once they are out; then reads answers until all are in or a second passes
    /// without one (ten for the first: a resumed server on a loaded machine may start late).
    /// Returns how many distinct queries were answered.
    static func burst(_ count: Int, port: Int, whileSent: @Sendable () -> Void) -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        var room: Int32 = 8 << 20
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &room, socklen_t(MemoryLayout<Int32>.size))
        var remote = SocketClient.loopback(port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return -1 }
        for id in 0..<count {
            let query = RawPacketTests.query("www.lifeboat.test", RRType.a, id: UInt16(id))
            _ = send(descriptor, query, query.count, 0)
        }
        whileSent()
        var answered = Set<UInt16>()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while answered.count < count, poll(&poller, 1, answered.isEmpty ? 10_000 : 1000) == 1 {
            let received = recv(descriptor, &buffer, buffer.count, 0)
            if received >= 12 { answered.insert(UInt16(buffer[0]) << 8 | UInt16(buffer[1])) }
        }
        return answered.count
    }

    @Test("a burst that arrives while lifeboatd is stalled (SIGSTOP, as a starved host's scheduler does) is answered whole when it resumes: the UDP socket holds 2,000 queries, as NSD's does")
    func stalledBurst() async throws {
        let port = FreePort.tcpAndUDP()
        let (config, _, log) = try Self.writeConfig(port: port)
        let daemon = try Self.launch(config: config, log: log)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        #expect(await eventually(within: .seconds(10)) { Self.answers("www.lifeboat.test", port: port)?.count == 2 }, "no answer: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        let pid = daemon.processIdentifier
        kill(pid, SIGSTOP)
        // The kernel queues what fits the socket's receive buffer and drops the rest: with the
        // default 212,992 bytes that was 256 queries (as the RRL flood showed on a loaded CI machine).
        let answered = await offPool { Self.burst(2000, port: port) { kill(pid, SIGCONT) } }
        #expect(answered == 2000, "\(answered) of 2000 queries answered after the stall")
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(text.contains("dns.udp_receive_buffer=2097152"), "the log names the buffer the kernel granted: \(text)")
        kill(pid, SIGTERM)
        #expect(await eventually(within: .seconds(15)) { !daemon.isRunning })

        // The peer, stalled the same way: NSD (server-count 1, its so-rcvbuf default) answers them all too.
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nsd") else { return }
        let nsd = try NSDInstance(zones: ["lifeboat.test.": testZoneText])
        defer { nsd.stop() }
        #expect(await nsd.waitUntilAnswering("lifeboat.test"), "NSD did not start: \(nsd.log)")
        nsd.signal(SIGSTOP)
        let nsdAnswered = await offPool { Self.burst(2000, port: nsd.port) { nsd.signal(SIGCONT) } }
        #expect(nsdAnswered == 2000, "NSD answered \(nsdAnswered) of 2000 after the stall")
    }

    @Test("a bad configuration is refused with its problems and exit code 2")
    func badConfig() async throws {
        let (config, _, log) = try Self.writeConfig(port: 0)
        try (try String(contentsOfFile: config, encoding: .utf8)).replacing(#/listen = "127\.0\.0\.1:[0-9]+"/#, with: "listen = \"nowhere\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let daemon = try Self.launch(config: config, log: log)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 2)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("http.listen: expected an address with a port"))
    }
}
