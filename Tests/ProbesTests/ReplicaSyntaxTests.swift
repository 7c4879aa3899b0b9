@testable import Probes
import Testing

@Suite("Which replica status statement a server takes")
struct ReplicaSyntaxTests {
    @Test(arguments: [
        ("10.11.19-MariaDB-0+deb12u1", false), ("11.4.2-MariaDB", false), ("8.0.22", true), ("8.0.21", false),
        ("8.4.0-log", true), ("9.1.0", true), ("5.7.44-log", false), ("", false),
    ])
    func syntax(_ version: String, _ replica: Bool) {
        #expect(ReplicaStatus.usesReplicaSyntax(version: version) == replica)
    }
}

@Suite("How a replica is made read-only")
struct ReplicaReadOnlyStatementTests {
    @Test("MariaDB: read_only; MySQL 5.7.8+ and 8: super_read_only (off turns both off)")
    func statements() {
        #expect(ReplicaStatus.readOnlyStatements(version: "10.11.19-MariaDB-0+deb12u1", on: true) == ["SET GLOBAL read_only = ON"])
        #expect(ReplicaStatus.readOnlyStatements(version: "10.11.19-MariaDB", on: false) == ["SET GLOBAL read_only = OFF"])
        #expect(ReplicaStatus.readOnlyStatements(version: "8.0.36", on: true) == ["SET GLOBAL super_read_only = ON"])
        #expect(ReplicaStatus.readOnlyStatements(version: "8.4.0-log", on: false) == ["SET GLOBAL super_read_only = OFF", "SET GLOBAL read_only = OFF"])
        #expect(ReplicaStatus.readOnlyStatements(version: "5.7.7", on: true) == ["SET GLOBAL read_only = ON"])
    }
}
