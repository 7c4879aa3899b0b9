public import DomainNames
public import DNSQuery
public import DNSZone
public import LifeboatCore
import Foundation
import LifeboatConfig
public import Logging
import SystemIO

/// Owns what is served: the zone files, the failover overrides and the serials. Every change
/// is persisted before it is served, served by one atomic snapshot swap, then announced to
/// `onChange` (the DNS server's NOTIFY sender). The network layer only reads `store`.
public actor ZoneAuthority {
    /// The snapshot the server answers from.
    public nonisolated let store: SnapshotStore
    private let zonesDirectory: String
    private let stateDirectory: String
    private let onChange: @Sendable (DNSName, UInt32) -> Void
    private let logger: Logger
    private let journalSize: Int
    private var zones: [DNSName: ManagedZone]

    private struct ManagedZone {
        var file: ZoneContents
        var path: String
        var state: ZoneState

        /// The file with overrides applied and the served serial written in: costs the
        /// overrides, not the zone's size (the file's contents are shared).
        var served: ServedZone {
            let plain = ServedZone(file: file)
            var changed: [DNSName: [ResourceRecordSet]] = [:]
            for (owner, override) in state.overrides {
                changed[owner] = plain.replacingAddresses(of: owner, with: override.addresses, ttl: override.ttl)
            }
            return ServedZone(file: file, serial: state.serial, changedOwners: changed, journal: state.journal)
        }
    }

    /// Loads every `*.zone` file of `zonesDirectory` and the state saved in `stateDirectory/dns`.
    /// A broken zone file or damaged state refuses start-up: nothing half-loaded is served.
    /// Each zone keeps its last `journalSize` changes for IXFR (`dns.ixfr_journal_size`).
    public init(
        zonesDirectory: String, stateDirectory: String, logger: Logger, journalSize: Int = 100,
        onChange: @escaping @Sendable (_ zone: DNSName, _ serial: UInt32) -> Void = { _, _ in }
    ) throws {
        self.zonesDirectory = zonesDirectory
        self.stateDirectory = stateDirectory + "/dns"
        self.onChange = onChange
        self.logger = logger
        self.journalSize = max(0, journalSize)
        try DurableFile.makeDirectories(self.stateDirectory)
        var zones: [DNSName: ManagedZone] = [:]
        for path in try Self.zoneFiles(in: zonesDirectory) {
            let contents = ZoneContents(file: try ZoneFileLoader.load(path: path))
            var state = ZoneState(serial: contents.serial, overrides: [:])
            let statePath = "\(self.stateDirectory)/\(contents.origin)state"
            if let text = TextFile.read(statePath) {
                switch ZoneState.parse(text) {
                case .success(let saved):
                    state = saved
                    if !SerialNumber.isGreater(saved.serial, than: contents.serial) { state.serial = contents.serial }
                    // A journal that does not end at the served version describes another one.
                    if state.journal.last.map({ $0.to != state.serial }) ?? false { state.journal = [] }
                    state.journal = Array(state.journal.suffix(self.journalSize))
                case .failure(let error):
                    throw ZoneAuthorityError.damagedState(path: statePath, line: error.line)
                }
            }
            zones[contents.origin] = ManagedZone(file: contents, path: path, state: state)
            logger.notice("dns.zone.loaded", metadata: [
                "dns.zone": "\(contents.origin)", "dns.serial": "\(state.serial)", "dns.overrides": "\(state.overrides.count)"])
        }
        self.zones = zones
        store = SnapshotStore(ServingSnapshot(zones: zones.keys.sorted().map { zones[$0]!.served }))
    }

    /// The zone files of a directory: `*.zone`, sorted.
    static func zoneFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".zone") }.sorted().map { "\(directory)/\($0)" }
    }

    /// The serial served for `zone`.
    public func serial(of zone: DNSName) -> UInt32? {
        zones[zone]?.state.serial
    }

    /// The TTL of `owner`'s A/AAAA records as served (a failover override's, or its zone
    /// file's); nil when no served zone holds the name or it has no address.
    public func servedTTL(of owner: DNSName) -> UInt32? {
        guard let zone = zones.values.filter({ owner.isWithin($0.file.origin) }).max(by: { $0.file.origin.labelCount < $1.file.origin.labelCount }) else {
            return nil
        }
        if let override = zone.state.overrides[owner] { return override.ttl }
        return (zone.file.nodes[owner] ?? []).first { $0.type == RRType.a || $0.type == RRType.aaaa }?.ttl
    }

    /// The A and AAAA values `owner` is served with now, sorted; nil when no served zone holds it.
    public func servedAddresses(of owner: DNSName) -> [[UInt8]]? {
        guard let zone = zones.values.filter({ owner.isWithin($0.file.origin) }).max(by: { $0.file.origin.labelCount < $1.file.origin.labelCount }) else {
            return nil
        }
        if let override = zone.state.overrides[owner] { return override.addresses.sorted { $0.lexicographicallyPrecedes($1) } }
        let sets = zone.file.nodes[owner] ?? []
        return sets.filter { $0.type == RRType.a || $0.type == RRType.aaaa }.flatMap(\.rdatas).sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The origins served.
    public var origins: [DNSName] { zones.keys.sorted() }

    /// The served zones that hold `owners` (each owner's closest enclosing zone), sorted.
    public func zoneNames(holding owners: [DNSName]) -> [DNSName] {
        Set(owners.compactMap { owner in zones.keys.filter { owner.isWithin($0) }.max { $0.labelCount < $1.labelCount } }).sorted()
    }

    /// Replaces the A and AAAA RRsets of `owners` with `addresses` (4 or 16 bytes each): the
    /// zones concerned get serial+1, which is persisted, then served in one swap, then NOTIFYed.
    /// Returns the new serial of each changed zone.
    @discardableResult
    public func replaceAddresses(of owners: [DNSName], with addresses: [[UInt8]], ttl: UInt32) throws -> [DNSName: UInt32] {
        let (changed, serials) = try pointing(owners, at: addresses, ttl: ttl)
        try commit(changed, changedZones: Set(serials.keys), owners: owners, reason: "override")
        return serials
    }

    /// What `replaceAddresses` would serve, per zone changed, as the cluster shares it: the
    /// leader publishes it (fenced) before any site, itself included, adopts it.
    public func proposal(pointing owners: [DNSName], at addresses: [[UInt8]], ttl: UInt32) throws -> [DNSName: PublishedZoneState] {
        let (changed, serials) = try pointing(owners, at: addresses, ttl: ttl)
        var states: [DNSName: PublishedZoneState] = [:]
        for zone in serials.keys { states[zone] = Self.published(changed[zone]!.state) }
        return states
    }

    private func pointing(_ owners: [DNSName], at addresses: [[UInt8]], ttl: UInt32) throws -> ([DNSName: ManagedZone], [DNSName: UInt32]) {
        var changed = zones
        var serials: [DNSName: UInt32] = [:]
        for owner in owners {
            guard let origin = changed.keys.filter({ owner.isWithin($0) }).max(by: { $0.labelCount < $1.labelCount }) else {
                throw ZoneAuthorityError.ownerNotServed(owner.description)
            }
            changed[origin]!.state.overrides[owner] = AddressOverride(addresses: addresses, ttl: ttl)
            serials[origin] = 0
        }
        for origin in serials.keys {
            changed[origin]!.state.serial = SerialNumber.next(after: zones[origin]!.state.serial, atLeast: changed[origin]!.file.serial)
            serials[origin] = changed[origin]!.state.serial
        }
        return (changed, serials)
    }

    /// `zone`'s served state as the cluster shares it (nil for a zone not served).
    public func publishedState(of zone: DNSName) -> PublishedZoneState? {
        zones[zone].map { Self.published($0.state) }
    }

    private static func published(_ state: ZoneState) -> PublishedZoneState {
        var overrides: [String: PublishedZoneState.Override] = [:]
        for (owner, override) in state.overrides {
            overrides[owner.description] = PublishedZoneState.Override(
                addresses: override.addresses.compactMap { IPAddress(bytes: $0)?.description }, ttl: override.ttl)
        }
        return PublishedZoneState(serial: state.serial, overrides: overrides)
    }

    /// Serves `state` for `zone` as the cluster's leader published it: exactly its overrides and
    /// its serial, persisted, swapped, NOTIFYed. Only a newer serial is taken (RFC 1982), so the
    /// serial never goes back; the same serial with the same content is nothing to do. Returns
    /// whether anything changed; throws for a state that cannot be this zone's.
    @discardableResult
    public func adopt(_ state: PublishedZoneState, for zone: DNSName) throws -> Bool {
        guard var managed = zones[zone] else { throw ZoneAuthorityError.ownerNotServed(zone.description) }
        if state.serial == managed.state.serial || !SerialNumber.isGreater(state.serial, than: managed.state.serial) { return false }
        var overrides: [DNSName: AddressOverride] = [:]
        for (name, override) in state.overrides {
            guard let owner = DNSName(name), owner.isWithin(zone) else { throw ZoneAuthorityError.ownerNotServed(name) }
            let addresses = override.addresses.compactMap { IPAddress($0)?.bytes }
            guard addresses.count == override.addresses.count else { throw ZoneAuthorityError.badAddress(name) }
            overrides[owner] = AddressOverride(addresses: addresses, ttl: override.ttl)
        }
        let owners = Set(managed.state.overrides.keys).union(overrides.keys).sorted()
        managed.state = ZoneState(serial: state.serial, overrides: overrides)
        var next = zones
        next[zone] = managed
        try commit(next, changedZones: [zone], owners: owners, reason: "cluster")
        return true
    }

    /// Re-reads the zone files (SIGHUP). A file that fails keeps its zone served as it was and is
    /// reported; overrides are re-applied to the new contents; a changed zone gets a new serial.
    public func reload() throws -> [ZoneLoadError] {
        var next: [DNSName: ManagedZone] = [:]
        var errors: [ZoneLoadError] = []
        var changedZones: Set<DNSName> = []
        let paths = try Self.zoneFiles(in: zonesDirectory)
        for path in paths {
            do {
                let contents = ZoneContents(file: try ZoneFileLoader.load(path: path))
                if var zone = zones[contents.origin] {
                    if zone.file != contents {
                        zone.state.serial = SerialNumber.next(after: zone.state.serial, atLeast: contents.serial)
                        zone.state.journal = []  // a new file starts a new journal: secondaries transfer it whole
                        zone.file = contents
                        zone.path = path
                        changedZones.insert(contents.origin)
                    }
                    next[contents.origin] = zone
                } else {
                    next[contents.origin] = ManagedZone(file: contents, path: path, state: ZoneState(serial: contents.serial, overrides: [:]))
                    changedZones.insert(contents.origin)
                }
            } catch {
                errors.append(error)
                logger.error("dns.zone.rejected", metadata: ["dns.error": "\(error)"])
                if let kept = zones.first(where: { $0.value.path == path }) { next[kept.key] = kept.value }
            }
        }
        for origin in zones.keys where next[origin] == nil {
            logger.notice("dns.zone.removed", metadata: ["dns.zone": "\(origin)"])
        }
        try commit(next, changedZones: changedZones, owners: nil, reason: "reload")
        return errors
    }

    /// Persists the changed zones' state, swaps the snapshot, then NOTIFYs. A change of `owners`
    /// alone updates the served snapshot in place of rebuilding it (nil: rebuild).
    private func commit(_ next: [DNSName: ManagedZone], changedZones: Set<DNSName>, owners: [DNSName]?, reason: String) throws {
        let started = ContinuousClock.now
        var next = next
        if let owners {
            for origin in changedZones {
                guard let old = zones[origin] else { continue }
                let delta = ZoneDelta.between(old.served, next[origin]!.served, owners: owners.filter { $0.isWithin(origin) })
                next[origin]!.state.journal = Array((old.state.journal + [delta]).suffix(journalSize))
            }
        }
        for origin in changedZones.sorted() {
            try DurableFile.write(next[origin]!.state.text, to: "\(stateDirectory)/\(origin)state")
        }
        let served = next.keys.sorted().map { next[$0]!.served }
        let snapshot = owners.map { store.current.updating(zones: served, owners: $0) } ?? ServingSnapshot(zones: served)
        store.replace(with: snapshot)
        zones = next
        let milliseconds = (ContinuousClock.now - started).wholeMilliseconds
        for origin in changedZones.sorted() {
            logger.notice("dns.zone.changed", metadata: [
                "dns.zone": "\(origin)", "dns.serial": "\(next[origin]!.state.serial)", "dns.reason": "\(reason)",
                "dns.swap_ms": "\(milliseconds)"])
            onChange(origin, next[origin]!.state.serial)
        }
    }
}
