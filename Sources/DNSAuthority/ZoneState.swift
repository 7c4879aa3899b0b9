import DomainNames
import DNSZone
import LifeboatConfig

#if canImport(Glibc)
import Glibc
#endif

/// What survives a restart for one zone: the serial last served, the failover overrides and the
/// IXFR journal of the last changes.
/// One small text file per zone in `<state_dir>/dns/`, replaced atomically (write, fsync,
/// rename, fsync the directory), so a crash leaves the old or the new file, never half of one.
struct ZoneState: Equatable {
    var serial: UInt32
    var overrides: [DNSName: AddressOverride]
    var journal: [ZoneDelta] = []

    /// `serial N`, `override OWNER TTL ADDRESS...` lines, then the journal's (`ZoneDelta.lines`).
    var text: String {
        var lines = ["# Lifeboat zone state: written by lifeboatd, read at start-up", "serial \(serial)"]
        for owner in overrides.keys.sorted() {
            let override = overrides[owner]!
            let addresses = override.addresses.compactMap { IPAddress(bytes: $0)?.description }
            lines.append((["override", owner.description, String(override.ttl)] + addresses).joined(separator: " "))
        }
        lines += journal.flatMap(\.lines)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses the file's text; nil (with the line) when it is damaged.
    static func parse(_ text: String) -> Result<ZoneState, ZoneStateError> {
        var state = ZoneState(serial: 0, overrides: [:])
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ")
            if fields.isEmpty || fields[0].hasPrefix("#") { continue }
            switch fields[0] {
            case "serial" where fields.count == 2:
                guard let serial = UInt32(fields[1]) else { return .failure(ZoneStateError(line: index + 1)) }
                state.serial = serial
            case "override" where fields.count >= 3:
                guard let owner = DNSName(String(fields[1])), let ttl = UInt32(fields[2]) else {
                    return .failure(ZoneStateError(line: index + 1))
                }
                let addresses = fields.dropFirst(3).compactMap { IPAddress(String($0))?.bytes }
                guard addresses.count == fields.count - 3 else { return .failure(ZoneStateError(line: index + 1)) }
                state.overrides[owner] = AddressOverride(addresses: addresses, ttl: ttl)
            case "delta" where fields.count == 3:
                guard let from = UInt32(fields[1]), let to = UInt32(fields[2]) else { return .failure(ZoneStateError(line: index + 1)) }
                state.journal.append(ZoneDelta(from: from, to: to, removed: [], added: []))
            case "-", "+":
                guard !state.journal.isEmpty, state.journal[state.journal.count - 1].take(fields) else {
                    return .failure(ZoneStateError(line: index + 1))
                }
            default:
                return .failure(ZoneStateError(line: index + 1))
            }
        }
        return .success(state)
    }
}

/// A damaged state file.
struct ZoneStateError: Error {
    let line: Int
}
