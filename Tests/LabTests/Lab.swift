import Foundation
import Glibc
import NativeClients
import SystemIO

/// The running lab (`scripts/lab up`), described by `scripts/lab env`.
enum Lab {
    static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/LabTests/Lab.swift
        return parts.joined(separator: "/")
    }()

    /// `scripts/test` sets this so a missing lab fails the run instead of skipping these tests.
    static let isRequired = ProcessInfo.processInfo.environment["LIFEBOAT_REQUIRE_LAB"] == "1"

    /// The lab's variables, or nil when it is not up.
    static let environment: [String: String]? = {
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

    static var isUp: Bool { environment != nil }

    /// A lab variable; a missing one is a broken lab contract.
    static func value(_ name: String) -> String {
        guard let value = environment?[name] else { fatalError("scripts/lab env has no \(name)") }
        return value
    }

    /// `host:port` split for a LAB_*_HTTP value.
    static func httpEndpoint(_ name: String) -> (address: String, port: UInt16) {
        let text = value(name)
        let colon = text.lastIndex(of: ":")!
        return (String(text[..<colon]), UInt16(text[text.index(after: colon)...])!)
    }

    /// Runs `scripts/lab` with `arguments`, failing loudly when it fails.
    @discardableResult
    static func lab(_ arguments: String...) -> String {
        let result = run("\(repositoryRoot)/scripts/lab", arguments)
        precondition(result.status == 0, "scripts/lab \(arguments.joined(separator: " ")) failed: \(result.output)")
        return result.output
    }

    /// Runs a program, returning its exit status and its standard output and error together
    /// (Lifeboat's own `ChildProcess`: Foundation's `Process.waitUntilExit()` was seen to wait
    /// forever for a child that had already exited).
    static func run(_ program: String, _ arguments: [String], timeout: Duration = .seconds(180)) -> (status: Int32, output: String) {
        do {
            let outcome = try ChildProcess.run([program] + arguments, timeout: timeout)
            return (outcome.status, outcome.output)
        } catch {
            return (127, "cannot run \(program): \(error)")
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `limit` passes; returns whether it held.
func eventually(within limit: Duration = .seconds(5), _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}
