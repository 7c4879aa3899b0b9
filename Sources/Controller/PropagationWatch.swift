import Foundation
import DomainNames
import LifeboatConfig
import LifeboatCore

/// After every DNS step, asks each configured recursive resolver for the owners, and each
/// secondary for the zone's SOA serial, once a second until it answers the new addresses (or a
/// serial at least the new one), or until `propagation_timeout`: "still old after N s". Each
/// outcome is handed to `record` (the journal). A newer switch ends the watch of the older one.
actor PropagationWatch {
    /// What a service controller needs to make its watch: the secondaries and a way to ask.
    struct Setup: Sendable {
        var secondaries: [LifeboatConfig.SocketAddress]
        var asker: DNSAsker
    }

    private let settings: ServiceSettings
    private let targets: [(target: PropagationTarget, address: LifeboatConfig.SocketAddress)]
    private let asker: DNSAsker
    private let interval: Duration
    private let record: @Sendable (JournalRecord.Entry) async -> Void
    private let settled: @Sendable (UInt32) async -> Void
    private var task: Task<Void, Never>?
    /// The last switch's progress, for the status.
    private(set) var status: PropagationStatus?

    init(
        settings: ServiceSettings, secondaries: [LifeboatConfig.SocketAddress], asker: DNSAsker, interval: Duration = .seconds(1),
        record: @escaping @Sendable (JournalRecord.Entry) async -> Void, settled: @escaping @Sendable (UInt32) async -> Void = { _ in }
    ) {
        self.settled = settled
        self.settings = settings
        targets = settings.resolvers.map { (PropagationTarget(kind: .resolver, name: $0.name, address: $0.address.description), $0.address) }
            + secondaries.map { (PropagationTarget(kind: .secondary, name: $0.description, address: $0.description), $0) }
        self.asker = asker
        self.interval = interval
        self.record = record
    }

    /// Whom it asks.
    nonisolated var watched: [PropagationTarget] { targets.map(\.target) }

    /// The status from the journal (after a restart), until the next switch.
    func restore(_ status: PropagationStatus?) {
        if self.status == nil { self.status = status }
    }

    /// Starts watching the switch that served `site`'s addresses with `serial` (ends an earlier
    /// watch); `settled` hears `serial` once every target answered it or was given up.
    func begin(sequence: Int, site: SiteRole, serial: UInt32, at switchedAt: Date) {
        guard !targets.isEmpty else { return }
        task?.cancel()
        let settled = self.settled
        let wanted = settings.sortedAddressBytes(of: site)
        status = PropagationStatus(
            sequence: sequence, switchedAt: switchedAt, site: site, serial: serial, expected: settings.addresses(of: site).map(\.description),
            targets: targets.map { PropagationStatus.Target(target: $0.target, state: "waiting", seconds: nil, waited: 0, answer: "not asked yet") })
        let start = ContinuousClock.now
        task = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, target) in targets.enumerated() {
                    group.addTask { await self.follow(index: index, target: target.target, address: target.address, wanted: wanted, sequence: sequence, site: site, serial: serial, start: start) }
                }
            }
            if !Task.isCancelled { await settled(serial) }
        }
    }

    /// Stops watching (shutdown).
    func stop() {
        task?.cancel()
    }

    private func follow(
        index: Int, target: PropagationTarget, address: LifeboatConfig.SocketAddress, wanted: [[UInt8]], sequence: Int, site: SiteRole,
        serial: UInt32, start: ContinuousClock.Instant
    ) async {
        var answer = "no answer"
        while !Task.isCancelled {
            let asked = ContinuousClock.now
            let (matches, text) = await ask(target.kind, address: address, wanted: wanted, serial: serial)
            answer = text
            let elapsed = Self.seconds(ContinuousClock.now - start)
            if matches {
                update(index, sequence: sequence, serial: serial, state: "switched", seconds: elapsed, waited: elapsed, answer: answer)
                await record(.propagation(sequence: sequence, site: site, serial: serial, target: target, seconds: elapsed, waited: elapsed, answer: answer))
                return
            }
            update(index, sequence: sequence, serial: serial, state: "waiting", seconds: nil, waited: elapsed, answer: answer)
            if elapsed >= Self.seconds(settings.propagationTimeout) { break }
            try? await Task.sleep(until: asked + interval)
        }
        // Timed out, or a newer switch (or shutdown) ended the watch: still old after what it waited.
        let waited = Self.seconds(ContinuousClock.now - start)
        update(index, sequence: sequence, serial: serial, state: "still old", seconds: nil, waited: waited, answer: answer)
        await record(.propagation(sequence: sequence, site: site, serial: serial, target: target, seconds: nil, waited: waited, answer: answer))
    }

    /// One round of questions: every owner (A, and AAAA when the site has IPv6) of a resolver,
    /// or the zone's SOA of a secondary. Returns whether it answers the new, and what it said.
    private func ask(_ kind: PropagationTarget.Kind, address: LifeboatConfig.SocketAddress, wanted: [[UInt8]], serial: UInt32) async -> (Bool, String) {
        do {
            if kind == .secondary {
                guard let answer = try await asker.ask(address, name: settings.zone, type: 6, timeout: .seconds(1)) else { return (false, "no answer") }
                guard let got = answer.serial else { return (false, "rcode \(answer.rcode), no SOA") }
                // RFC 1982: at least the new serial.
                return (Int32(bitPattern: got &- serial) >= 0, "serial \(got)")
            }
            var texts: [String] = []
            var all = true
            let types: [UInt16] = (wanted.contains { $0.count == 4 } ? [1] : []) + (wanted.contains { $0.count == 16 } ? [28] : [])
            for owner in settings.owners {
                var got: [[UInt8]] = []
                var ttl: UInt32?
                for type in types {
                    guard let answer = try await asker.ask(address, name: owner, type: type, timeout: .seconds(1)) else { return (false, "no answer") }
                    guard answer.rcode == 0 else { return (false, "rcode \(answer.rcode)") }
                    got += answer.addresses
                    if let value = answer.ttl { ttl = min(ttl ?? value, value) }
                }
                got.sort { $0.lexicographicallyPrecedes($1) }
                all = all && got == wanted
                texts.append("\(owner) \(got.compactMap { IPAddress(bytes: $0)?.description }.joined(separator: ",")) ttl \(ttl.map(String.init) ?? "-")")
            }
            return (all, texts.joined(separator: "; "))
        } catch {
            return (false, "\(error)")
        }
    }

    private func update(_ index: Int, sequence: Int, serial: UInt32, state: String, seconds: Double?, waited: Double, answer: String) {
        guard let status, status.sequence == sequence, status.serial == serial, index < status.targets.count else { return }
        self.status?.targets[index].state = state
        self.status?.targets[index].seconds = seconds
        self.status?.targets[index].waited = waited
        self.status?.targets[index].answer = answer
    }

    /// To a tenth of a second.
    private static func seconds(_ duration: Duration) -> Double {
        (duration.timeInterval * 10).rounded() / 10
    }
}
