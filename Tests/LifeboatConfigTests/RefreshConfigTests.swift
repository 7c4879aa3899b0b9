import LifeboatConfig
import LifeboatCore
import LifeboatTestSupport
import Testing

/// `[service.refresh]`: a standby refreshed from dumps, checked against the rest of the service.
@Suite("Configuration: [service.refresh]")
struct RefreshConfigTests {
    static let standby = #"checks = [ { type = "mysql", host = "198.51.100.20", user = "lifeboat", password_file = "/etc/lifeboat/primary.pw", lag_query = "SELECT UNIX_TIMESTAMP() - MAX(changed) FROM node" } ]"#

    /// The minimal configuration with a dump-refreshed standby; `refresh` is the table's body.
    static func config(refresh: String = "command = [\"sh\", \"-c\", \"mysqldump --single-transaction drupal | mysql \\\"$LIFEBOAT_REFRESH_DATABASE\\\"\"]\nschedule = [\"15:00\", \"03:00\"]",
                       standby: String = standby, extraService: String = "time_zone = \"Europe/Zurich\"", readOnly: String = "",
                       maxLag: String = "26h") -> String {
        minimalConfig
            .replacingFirst("owners = [\"www.example.com.\"]", with: "owners = [\"www.example.com.\"]\nmax_lag = \"\(maxLag)\"\n\(extraService)")
            .replacingFirst(#"checks = [ { type = "tcp", connect_to = "198.51.100.20:80" } ]"#, with: standby)
            .replacingFirst("preset = \"none\"", with: """
                preset = "drupal7"
                mysql = { host = "127.0.0.1", user = "root", password_file = "/etc/lifeboat/primary.pw", database = "drupal" }
                \(readOnly)

                [service.refresh]
                \(refresh)
                """)
    }

    @Test("a dump-refreshed standby: daily times in the service's time zone, verify from lag_query, no replication by default")
    func valid() throws {
        let service = try #require(try load(Self.config()).services.first)
        let refresh = try #require(service.refresh)
        #expect(refresh.schedule == .daily([.init(hour: 3, minute: 0), .init(hour: 15, minute: 0)]))
        #expect(refresh.timeout == .seconds(3600))
        #expect(refresh.verify == "SELECT UNIX_TIMESTAMP() - MAX(changed) FROM node")
        #expect(refresh.command.first == "sh")
        #expect(service.timeZone == "Europe/Zurich")
        #expect(service.readOnly.stopReplication == false && service.readOnly.replicaReadOnly == false)
        #expect(RefreshSettings.scratchDatabase(of: "drupal") == "drupal_lifeboat_new")
        let every = try #require(try load(Self.config(refresh: "command = [\"load\"]\nschedule = \"every 6h\"\ntimeout = \"20m\"\nverify = \"SELECT 5\"")).services.first?.refresh)
        #expect(every.schedule == .every(.seconds(6 * 3600)) && every.timeout == .seconds(1200) && every.verify == "SELECT 5")
    }

    static let refused: [(String, String, String)] = [
        (config(refresh: "command = [\"load\"]\nschedule = \"25:00\""), "service[0].refresh.schedule",
         "expected a time of day \"HH:MM\" or \"HH:MM:SS\" (24-hour), or a single \"every 6h\", got \"25:00\""),
        (config(refresh: "command = [\"load\"]"), "service[0].refresh.schedule",
         "missing; expected when to refresh: \"03:00\", [\"03:00\", \"15:00\"] or \"every 6h\""),
        (config(standby: #"checks = [ { type = "tcp", connect_to = "198.51.100.20:80" } ]"#), "service[0].refresh.verify",
         "missing, and the standby has no MySQL check with lag_query; expected a query returning the data's age in seconds, e.g. \"SELECT UNIX_TIMESTAMP() - MAX(changed) FROM node\""),
        (config(extraService: "time_zone = \"Mars/Olympus\""), "service[0].time_zone",
         "expected a time zone name such as \"Europe/Zurich\" or \"UTC\", got \"Mars/Olympus\""),
        (config(readOnly: "resync = [\"resync\"]"), "service[0].readonly.resync",
         "with [service.refresh], failback's resync is the refresh itself; leave resync out"),
        (config(readOnly: "stop_replication = true"), "service[0].readonly.stop_replication",
         "a standby refreshed from dumps ([service.refresh]) does not replicate; leave stop_replication out"),
        (config(standby: #"checks = [ { type = "mysql", host = "198.51.100.20", user = "lifeboat", password_file = "/etc/lifeboat/primary.pw", replication = true, lag_query = "SELECT 1" } ]"#),
         "service[0].standby.checks[0].replication",
         "a standby refreshed from dumps ([service.refresh]) does not replicate; use lag_query for its data's age"),
        (config(maxLag: "5m"), "service[0].max_lag",
         "is 5m, not above the 12h between refreshes (daily at 03:00, 15:00): the standby's data would be too old to fail over to between refreshes; set it above, e.g. \"14h\""),
    ]

    @Test("refused, naming the place", arguments: refused)
    func bad(text: String, keyPath: String, message: String) {
        let found = problems(text)
        #expect(found.map(\.keyPath) == [keyPath], "\(found)")
        #expect(found.first?.message == message, "\(found.first?.message ?? "")")
    }
}
