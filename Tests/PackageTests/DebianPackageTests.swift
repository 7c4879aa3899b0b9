import Foundation
import LifeboatTestSupport
import Testing

/// The Debian package `scripts/package` built (`LIFEBOAT_PACKAGE`, set by scripts/test): installed
/// with `dpkg -i` on this machine, used as an operator would, removed again.
@Suite("The Debian package", .serialized, .enabled(if: PackageUnderTest.path != nil || PackageUnderTest.required))
struct DebianPackageTests {

    /// Runs a program non-interactively (dpkg asks nothing), its status and combined output.
    @discardableResult
    static func run(_ arguments: String...) throws -> (status: Int32, output: String) {
        Lab.run("/usr/bin/env", ["DEBIAN_FRONTEND=noninteractive", "LC_ALL=C.UTF-8"] + arguments)
    }

    @Test("dpkg -i installs it; lifeboat --version, config check on the example, man pages, completions, systemd-analyze verify; dpkg --purge removes it",
          .timeLimit(.minutes(5)))
    func installAndUse() throws {
        let deb = try #require(PackageUnderTest.path, "LIFEBOAT_PACKAGE is not set: scripts/test builds the package with scripts/package")
        // Leave the machine as it was: the user the postinst makes goes again if it was not there.
        let hadUser = try Self.run("getent", "passwd", "lifeboat").status == 0
        defer {
            _ = try? Self.run("dpkg", "--purge", "lifeboat")
            if !hadUser { _ = try? Self.run("userdel", "lifeboat") }
        }
        let install = try Self.run("dpkg", "-i", deb)
        #expect(install.status == 0, "\(install.output)")

        let version = try Self.run("/usr/bin/lifeboat", "--version")
        #expect(version.status == 0 && version.output.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil,
                "\(version.output)")
        #expect(try Self.run("/usr/sbin/lifeboatd", "--help").output.contains("--config"))

        // The example as shipped: valid but for the files and zones a real host has.
        let check = try Self.run("/usr/bin/lifeboat", "config", "check", "--config", "/etc/lifeboat/lifeboat.toml.example")
        #expect(check.status == 1, "\(check.output)")
        let problems = check.output.split(separator: "\n").filter { $0.hasPrefix("/etc/lifeboat/lifeboat.toml.example: ") }
        #expect(!problems.isEmpty)
        let unexpected = problems.filter { !($0.contains("not found") || $0.contains("no readable zone file") || $0.contains("does not exist")) }
        #expect(unexpected.isEmpty, "problems other than missing files: \(unexpected)")

        let status = try Self.run("dpkg-query", "-W", "-f=${Status} ${Depends}", "lifeboat")
        #expect(status.output.hasPrefix("install ok installed"), "\(status.output)")
        for library in ["libldns3", "libcurl4", "libmariadb3"] { #expect(status.output.contains(library), "Depends: \(status.output)") }
        #expect(try Self.run("getent", "passwd", "lifeboat").status == 0, "postinst made the lifeboat user (sysusers)")
        #expect(FileManager.default.fileExists(atPath: "/var/lib/lifeboat"), "tmpfiles made the state directory")

        let verify = try Self.run("systemd-analyze", "verify", "/lib/systemd/system/lifeboatd.service")
        #expect(verify.status == 0, "\(verify.output)")
        let unit = try String(contentsOfFile: "/lib/systemd/system/lifeboatd.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/sbin/lifeboatd --config /etc/lifeboat/lifeboat.toml"))

        for page in ["lifeboat", "lifeboat-refresh", "lifeboatd", "lifeboat.toml"] {
            let man = try Self.run("man", "-P", "cat", page)
            #expect(man.status == 0 && man.output.count > 200, "man \(page): \(man.output.prefix(300))")
        }
        #expect(try Self.run("man", "-P", "cat", "5", "lifeboat.toml").output.contains("[service.refresh]"))
        #expect(try Self.run("man", "-P", "cat", "8", "lifeboatd").output.contains("SIGHUP"))
        #expect(try Self.run("apropos", "lifeboat-refresh").status == 0, "the whatis database knows the subcommand pages")
        let bash = try Self.run("bash", "-c", "source /usr/share/bash-completion/completions/lifeboat && complete -p lifeboat")
        #expect(bash.status == 0, "\(bash.output)")

        let purge = try Self.run("dpkg", "--purge", "lifeboat")
        #expect(purge.status == 0, "\(purge.output)")
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/lifeboat"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/lifeboat/zones") && !FileManager.default.fileExists(atPath: "/var/lib/lifeboat"),
                "purge removes the empty directories it made and the state")
    }
}

/// The .deb to test: `LIFEBOAT_PACKAGE`; `LIFEBOAT_REQUIRE_PACKAGE=1` (scripts/test) makes its absence a failure, not a skip.
enum PackageUnderTest {
    static let path = ProcessInfo.processInfo.environment["LIFEBOAT_PACKAGE"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["LIFEBOAT_REQUIRE_PACKAGE"] == "1"
}
