import Foundation
import Glibc
import LifeboatTestSupport
import SystemIO

/// A one-member etcd of a test's own with TLS (its own CA; client certificates required) and
/// auth enabled (root, and a user `lifeboat` with read-write on `/lifeboat/`), as a cautious
/// operator runs it. Certificates come from openssl; the member is killed (by PID) at `stop`.
final class PrivateEtcd: @unchecked Sendable {
    let directory = NSTemporaryDirectory() + "lifeboat-etcd-tls-\(UUID().uuidString.prefix(8))"
    let port = FreePort.tcpAndUDP()
    let password = "lifeboat-" + UUID().uuidString
    private(set) var pid: pid_t = 0

    var endpoint: String { "https://127.0.0.1:\(port)" }
    var caFile: String { "\(directory)/ca.pem" }
    /// A client certificate without a CommonName (etcd 3.4's gateway refuses one with a CN).
    var certFile: String { "\(directory)/client.pem" }
    var keyFile: String { "\(directory)/client.key" }
    /// One with a CommonName, for the refusal.
    var namedCertFile: String { "\(directory)/named.pem" }
    var namedKeyFile: String { "\(directory)/named.key" }
    var passwordFile: String { "\(directory)/lifeboat.pw" }

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "subjectAltName=IP:127.0.0.1\n".write(toFile: "\(directory)/san.ext", atomically: true, encoding: .utf8)
        try (password + "\n").write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=lifeboat-test-ca")
        for (name, subject, extra) in [("server", "/CN=etcd", ["-extfile", "san.ext"]), ("client", "/O=lifeboat", []), ("named", "/CN=lifeboat", [])] {
            try openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject)
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(name).pem", "-days", "2"] + extra)
        }
    }

    private func openssl(_ arguments: String...) throws { try openssl(arguments) }

    private func openssl(_ arguments: [String]) throws {
        let result = Lab.run("/bin/sh", ["-c", "cd '\(directory)' && openssl " + arguments.map { "'\($0)'" }.joined(separator: " ")])
        guard result.status == 0 else { throw DaemonError(message: "openssl \(arguments.first ?? ""): \(result.output)") }
    }

    /// Starts the member, waits for it, creates the users and enables auth.
    func start() async throws {
        let peer = FreePort.tcpAndUDP()
        pid = try ChildProcess.start([
            "/usr/bin/etcd", "--name", "p1", "--data-dir", "\(directory)/data",
            "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
            "--listen-peer-urls", "http://127.0.0.1:\(peer)", "--initial-advertise-peer-urls", "http://127.0.0.1:\(peer)",
            "--initial-cluster", "p1=http://127.0.0.1:\(peer)",
            "--cert-file", "\(directory)/server.pem", "--key-file", "\(directory)/server.key", "--trusted-ca-file", caFile,
            "--client-cert-auth",
        ], environment: [], outputPath: "\(directory)/etcd.log")
        guard await eventually(within: .seconds(15), { self.etcdctl("endpoint", "health").status == 0 }) else {
            throw DaemonError(message: "the TLS etcd did not start: \((try? String(contentsOfFile: "\(directory)/etcd.log", encoding: .utf8)) ?? "")")
        }
        for command in [
            ["user", "add", "root", "--new-user-password=root-\(password)"], ["user", "grant-role", "root", "root"],
            ["user", "add", "lifeboat", "--new-user-password=\(password)"], ["role", "add", "lifeboat"],
            ["role", "grant-permission", "lifeboat", "--prefix=true", "readwrite", "/lifeboat/"],
            ["user", "grant-role", "lifeboat", "lifeboat"], ["auth", "enable"],
        ] {
            let result = etcdctl(command)
            guard result.status == 0 else { throw DaemonError(message: "etcdctl \(command.prefix(2).joined(separator: " ")): \(result.output)") }
        }
    }

    private func etcdctl(_ arguments: String...) -> (status: Int32, output: String) { etcdctl(arguments) }

    private func etcdctl(_ arguments: [String]) -> (status: Int32, output: String) {
        Lab.run("/usr/bin/etcdctl", ["--endpoints", endpoint, "--cacert", caFile, "--cert", certFile, "--key", keyFile] + arguments)
    }

    func stop() {
        if pid > 0 { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0); pid = 0 }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
