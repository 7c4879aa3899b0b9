import DomainNames

/// What a zone must satisfy before it is served, each failure tied to a line.
enum ZoneChecks {
    static func check(_ records: [ZoneRecord], apex: String, file: String) throws(ZoneLoadError) {
        guard let apexName = DNSName(apex) else { throw ZoneLoadError(file: file, line: 0, message: "\(apex) is not a domain name") }
        for record in records where !record.ownerName.isWithin(apexName) {
            throw ZoneLoadError(file: file, line: record.line, message: "\(record.owner) is outside the zone \(apex)")
        }
        for record in records where record.recordClass != 1 {
            throw ZoneLoadError(file: file, line: record.line, message: "only class IN is served")
        }
        let soas = records.filter { $0.type == RRType.soa }
        if let misplaced = soas.first(where: { $0.owner != apex }) {
            throw ZoneLoadError(file: file, line: misplaced.line, message: "the SOA must be at the apex \(apex), not at \(misplaced.owner)")
        }
        if soas.isEmpty {
            throw ZoneLoadError(file: file, line: 0, message: "no SOA record for \(apex)")
        }
        if soas.count > 1 {
            throw ZoneLoadError(file: file, line: soas[1].line, message: "a zone has exactly one SOA record")
        }
        guard records.contains(where: { $0.type == RRType.ns && $0.owner == apex }) else {
            throw ZoneLoadError(file: file, line: 0, message: "no NS records at the apex \(apex)")
        }
        var typesByOwner: [String: ZoneRecord] = [:]
        for record in records {
            if let other = typesByOwner[record.owner], other.type != record.type,
               other.type == RRType.cname || record.type == RRType.cname {
                let later = other.line > record.line ? other : record
                throw ZoneLoadError(file: file, line: later.line, message: "\(record.owner) has a CNAME and other data")
            }
            typesByOwner[record.owner] = record
        }
    }
}
