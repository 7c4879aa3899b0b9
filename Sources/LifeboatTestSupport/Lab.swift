import Foundation
import SystemIO

/// The running lab (`scripts/lab up`, in `LAB_DIR` when set), described by `scripts/lab env`.
public enum Lab {
    public static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Sources/LifeboatTestSupport/Lab.swift
        return parts.joined(separator: "/")
    }()

    /// `scripts/test` sets this so a missing lab fails the run instead of skipping these tests.
    public static let isRequired = ProcessInfo.processInfo.environment["LIFEBOAT_REQUIRE_LAB"] == "1"

    /// The lab's variables, or nil when it is not up.
    public static let environment: [String: String]? = {
        let result = run("\(repositoryRoot)/scripts/lab", ["env"])
        guard result.status == 0 else { return nil }
        var values: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = line[line.index(after: equals)...]
            if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 { value = value.dropFirst().dropLast() }
            values[String(line[..<equals])] = String(value)
        }
        return values
    }()

    public static var isUp: Bool { environment != nil }

    /// A lab variable; a missing one is a broken lab contract.
    public static func value(_ name: String) -> String {
        guard let value = environment?[name] else { fatalError("scripts/lab env has no \(name)") }
        return value
    }

    /// `host:port` split for a LAB_*_HTTP value.
    public static func httpEndpoint(_ name: String) -> (address: String, port: UInt16) {
        let text = value(name)
        let colon = text.lastIndex(of: ":")!
        return (String(text[..<colon]), UInt16(text[text.index(after: colon)...])!)
    }

    /// Runs `scripts/lab` with `arguments`; throws with its output when it fails.
    @discardableResult
    public static func lab(_ arguments: String...) throws(TestSupportError) -> String {
        let result = run("\(repositoryRoot)/scripts/lab", arguments)
        guard result.status == 0 else { throw TestSupportError("scripts/lab \(arguments.joined(separator: " ")) failed: \(result.output)") }
        return result.output
    }

    /// `scripts/lab fault NAME`.
    public static func fault(_ fault: LabFault) throws(TestSupportError) { try lab("fault", fault.rawValue) }

    /// `scripts/lab heal NAME`.
    public static func heal(_ fault: LabFault) throws(TestSupportError) { try lab("heal", fault.rawValue) }

    /// `scripts/lab heal` (every fault).
    public static func healAll() throws(TestSupportError) { try lab("heal") }

    /// Runs a program, returning its exit status and its standard output and error together
    /// (Lifeboat's own `ChildProcess`: Foundation's `Process.waitUntilExit()` was seen to wait
    /// forever for a child that had already exited).
    public static func run(_ program: String, _ arguments: [String], timeout: Duration = .seconds(180)) -> (status: Int32, output: String) {
        do {
            let outcome = try ChildProcess.run([program] + arguments, timeout: timeout)
            return (outcome.status, outcome.output)
        } catch {
            return (127, "cannot run \(program): \(error)")
        }
    }
}

/// What `scripts/lab fault` breaks (and `heal` mends).
public enum LabFault: String, Sendable, CaseIterable {
    /// The primary's Apache stopped.
    case primaryHTTP = "primary-http"
    /// The primary's pages answer 500.
    case primaryHTTP500 = "primary-http-500"
    /// The primary's pages answer after 30 s.
    case primaryHTTPSlow = "primary-http-slow"
    /// The primary's MariaDB stopped.
    case primaryMySQL = "primary-mysql"
    /// The standby's replication stopped.
    case replication
    /// The standby's Apache stopped.
    case standbyHTTP = "standby-http"
    /// The witness stopped.
    case witness
}
