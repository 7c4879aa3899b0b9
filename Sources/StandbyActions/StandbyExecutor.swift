public import LifeboatConfig
public import LifeboatCore
public import NativeClients
public import SystemIO
public import NIOPosix

/// Carries out the standby's steps of a service's failover and failback: read-only mode
/// (Apache, the Drupal tables of every prefix, extra steps), replication and resync. Every
/// step is idempotent and verifies its effect before it reports success. DNS steps and the
/// drain belong to the controller.
public struct StandbyExecutor: Sendable {
    private let service: ServiceSettings
    private let apache: ApacheReadOnlyStep?
    private let drupal: [ReadOnlyStepID: DrupalReadOnlyStep]
    private let extras: [ReadOnlyStepID: ExtraStep]
    private let replication: ReplicationSteps?
    private let dumpRefresh: DumpRefresh?
    private let database: StandbyDatabase?
    private let commands: CommandRunner
    private let preflightCheck: ReadOnlyPreflight

    /// The read-only step names of a service, in apply order: `apache`, `sql:<site>`, `extra:<n>`.
    public static func readOnlySteps(for service: ServiceSettings) -> [ReadOnlyStepID] {
        let readOnly = service.readOnly
        var names: [ReadOnlyStepID] = []
        if readOnly.apacheFlagFile != nil { names.append(.apache) }
        names += DrupalSitePlan.plans(for: readOnly).map(\.stepName)
        names += readOnly.extra.indices.map { .extra($0 + 1) }
        return names
    }

    /// The name a `table_prefixes` site's step had before sites had names: `sql:<prefix>`
    /// (`sql:-` for the empty prefix). A journal written then still resumes.
    static func legacyStepName(of site: DrupalSite) -> ReadOnlyStepID? {
        guard site.fromShorthand else { return nil }
        return .drupal(site.prefix.defaultPrefix.isEmpty ? "-" : site.prefix.defaultPrefix)
    }

    /// The failover and failback sequences of a service.
    public static func plan(for service: ServiceSettings) -> StepPlan {
        StepPlan(
            readOnlySteps: readOnlySteps(for: service),
            replication: service.readOnly.stopReplication && service.readOnly.mysql != nil,
            resync: !service.readOnly.resync.isEmpty,
            replicaReadOnly: service.readOnly.replicaReadOnly,
            refresh: service.refresh != nil)
    }

    /// Creates the executor; `stateDirectory` keeps what reverts need (`readonly/`); `serviceKey`
    /// is where the configuration names the service (`service[0]`), for the preflight's messages.
    public init(
        service: ServiceSettings, serviceKey: String = "service", stateDirectory: String, pool: NIOThreadPool, curl: CurlMulti
    ) throws(SystemError) {
        self.service = service
        let readOnly = service.readOnly
        let (commands, database) = Self.connections(for: service, pool: pool)
        self.commands = commands
        self.database = database
        preflightCheck = ReadOnlyPreflight(service: service, serviceKey: serviceKey, database: database, commands: commands)
        let verifyTarget = service.standby.checks.lazy.compactMap { check -> HTTPCheckSettings? in
            if case .http(let http) = check.kind { http } else { nil }
        }.first
        apache = readOnly.apacheFlagFile.map {
            ApacheReadOnlyStep(
                service: service.name, flagFile: $0, adminAllow: readOnly.adminAllow, basePath: readOnly.basePath,
                languagePrefixes: readOnly.languagePrefixes, configTest: readOnly.apacheConfigTest,
                reload: readOnly.apacheReload, verifyTarget: verifyTarget, commands: commands, curl: curl)
        }
        let directory = "\(stateDirectory)/readonly"
        try DurableFile.makeDirectories(directory)
        var drupal: [ReadOnlyStepID: DrupalReadOnlyStep] = [:]
        if let database {
            for plan in DrupalSitePlan.plans(for: readOnly) {
                let step = DrupalReadOnlyStep(
                    plan: plan, adminName: readOnly.adminName, database: database,
                    stateFile: "\(directory)/\(service.name).\(plan.site.name).json")
                drupal[plan.stepName] = step
                if let legacy = Self.legacyStepName(of: plan.site), drupal[legacy] == nil { drupal[legacy] = step }
            }
        }
        self.drupal = drupal
        extras = Dictionary(uniqueKeysWithValues: readOnly.extra.enumerated().map { (.extra($0.offset + 1), $0.element) })
        replication = database.map { ReplicationSteps(database: $0, maxLag: service.maxLag, verifyTimeout: .seconds(120)) }
        if let refresh = service.refresh, let database, let live = database.endpoint.database {
            dumpRefresh = DumpRefresh(
                settings: refresh, live: live, database: database, commands: commands, maxLag: service.maxLag,
                requiredTables: Self.tablesUsed(by: readOnly, in: live))
        } else {
            dumpRefresh = nil
        }
    }

    /// The tables of database `live` that the read-only steps use (a refreshed copy must have them).
    static func tablesUsed(by readOnly: ReadOnlySettings, in live: String) -> [String] {
        let tables = DrupalSitePlan.plans(for: readOnly).flatMap { $0.operations.flatMap(\.tables) }.map(\.table)
        return Array(Set(tables.filter { $0.database == live }.map(\.name))).sorted()
    }

    /// Checks that the read-only steps can run (tables, columns, privileges, configtest); never writes.
    public func preflight() async -> PreflightReport { await preflightCheck.run() }

    /// The same preflight without an executor (`lifeboat check`): nothing is created or written.
    public static func preflight(service: ServiceSettings, serviceKey: String, pool: NIOThreadPool) async -> PreflightReport {
        let (commands, database) = connections(for: service, pool: pool)
        return await ReadOnlyPreflight(service: service, serviceKey: serviceKey, database: database, commands: commands).run()
    }

    /// How a service's steps reach the standby: its commands (with `LIFEBOAT_SERVICE` set) and its database.
    private static func connections(for service: ServiceSettings, pool: NIOThreadPool) -> (CommandRunner, StandbyDatabase?) {
        (CommandRunner(environment: ["LIFEBOAT_SERVICE=\(service.name)"]),
         service.readOnly.mysql.map { StandbyDatabase(endpoint: $0, pool: pool) })
    }

    /// Runs one step (apply or revert, then verify); returns what it did, throws why it failed.
    /// Raising `cancel` ends a running command step (resync, extra commands): its process group
    /// gets SIGTERM, then SIGKILL after 5 s, and the step fails saying so.
    /// `facts` (for `readonly-apply:apache`) go into the snippet for the site's theme.
    public func run(_ step: FailoverStep, cancel: CancelSignal? = nil, facts: ServingFacts? = nil) async throws -> String {
        let commands = self.commands.cancelled(by: cancel)
        switch step {
        case .applyReadOnly(.apache) where apache != nil: return try await apache!.apply(facts: facts)
        case .applyReadOnly(let name): return try await readOnly(name, apply: true, commands: commands)
        case .revertReadOnly(let name): return try await readOnly(name, apply: false, commands: commands)
        case .stopReplication: return try await requireReplication().stop()
        case .databaseWritable: return try await requireReplication().setReadOnly(false)
        case .databaseReadOnly: return try await requireReplication().setReadOnly(true)
        case .startReplication: return try await requireReplication().start()
        case .verifyReplication: return try await requireReplication().verify()
        case .resync:
            let output = try await commands.require(service.readOnly.resync, "resync", timeout: .seconds(3600))
            return "resync done" + (output.isEmpty ? "" : ": \(output)")
        case .refresh:
            return try await refresh(cancel: cancel).detail
        case .switchDNS, .drain, .lowerTTL, .ttlWait, .restoreTTL:
            throw StandbyActionError(.command, "\(step) is the controller's step")
        }
    }

    /// The refresh step: loads, verifies and swaps in a copy; says what the swap put in place.
    public func refresh(cancel: CancelSignal? = nil) async throws -> (detail: String, swap: RefreshSwap) {
        guard var refresh = dumpRefresh else { throw StandbyActionError(.command, "refresh needs [service.refresh] and readonly.mysql with a database") }
        refresh.commands = refresh.commands.cancelled(by: cancel)
        let (detail, swap) = try await refresh.run()
        return (detail, swap)
    }

    private func readOnly(_ name: ReadOnlyStepID, apply: Bool, commands: CommandRunner) async throws -> String {
        if name == .apache, let apache { return try await apply ? apache.apply() : apache.revert() }
        if let step = drupal[name] { return try await apply ? step.apply() : step.revert() }
        if let extra = extras[name] { return try await run(extra, apply: apply, name: name, commands: commands) }
        throw StandbyActionError(.command, "unknown read-only step \(name) (configuration changed during a sequence?)")
    }

    private func run(_ extra: ExtraStep, apply: Bool, name: ReadOnlyStepID, commands: CommandRunner) async throws -> String {
        switch extra {
        case .sql(let applySQL, let revertSQL):
            guard let sql = apply ? applySQL : revertSQL else { return "\(name): no revert_sql" }
            guard let database else { throw StandbyActionError(.database, "\(name): no readonly.mysql to run SQL on") }
            try await database.withConnection { db in _ = try db.query(sql) }
            return "\(name): SQL done"
        case .command(let applyCommand, let revertCommand):
            guard let command = apply ? applyCommand : revertCommand else { return "\(name): no revert_command" }
            try await commands.require(command, name.description, timeout: .seconds(600))
            return "\(name): command done"
        }
    }

    private func requireReplication() throws -> ReplicationSteps {
        guard let replication else { throw StandbyActionError(.database, "replication steps need readonly.mysql") }
        return replication
    }
}
