import DomainNames
import CLdns

#if canImport(Glibc)
import Glibc
#endif

/// Reads RFC 1035 master files with libldns, record by record so every problem has its line.
public enum ZoneFileLoader {
    /// Loads `path` as the zone `origin` (default: the file name without `.zone`, e.g.
    /// `example.com.zone` → `example.com.`) and checks it: one SOA at the apex, NS at the apex,
    /// every owner inside the zone, no CNAME beside other data.
    public static func load(path: String, origin: String? = nil) throws(ZoneLoadError) -> ZoneFile {
        let apex = normalized(origin ?? originFromFileName(path))
        guard let file = fopen(path, "r") else {
            throw ZoneLoadError(file: path, line: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        let records = try readRecords(file, path: path, apex: apex)
        try ZoneChecks.check(records, apex: apex, file: path)
        return ZoneFile(origin: apex, records: records)
    }

    private static func readRecords(_ file: UnsafeMutablePointer<FILE>, path: String, apex: String) throws(ZoneLoadError) -> [ZoneRecord] {
        var origin: UnsafeMutablePointer<ldns_rdf>? = ldns_dname_new_frm_str(apex)
        guard origin != nil else {
            throw ZoneLoadError(file: path, line: 0, message: "not a valid zone name: \(apex)")
        }
        var previous: UnsafeMutablePointer<ldns_rdf>? = ldns_rdf_clone(origin)
        var defaultTTL: UInt32 = 3600
        // ldns counts the newlines it consumed: after reading a record the counter names the
        // record's last line, or the line before it when the file ends without a newline.
        var line: Int32 = 0
        defer {
            ldns_rdf_deep_free(origin)
            ldns_rdf_deep_free(previous)
        }
        var records: [ZoneRecord] = []
        while feof(file) == 0 {
            var rr: UnsafeMutablePointer<ldns_rr>?
            let lineBefore = line
            let status = ldns_rr_new_frm_fp_l(&rr, file, &defaultTTL, &origin, &previous, &line)
            let recordLine = Int(max(line, lineBefore + 1))
            switch status {
            case LDNS_STATUS_OK:
                guard let rr else { continue }
                defer { ldns_rr_free(rr) }
                records.append(try record(from: rr, line: recordLine, path: path))
            case LDNS_STATUS_SYNTAX_EMPTY, LDNS_STATUS_SYNTAX_TTL, LDNS_STATUS_SYNTAX_ORIGIN:
                continue
            case LDNS_STATUS_SYNTAX_INCLUDE:
                throw ZoneLoadError(file: path, line: recordLine, message: "$INCLUDE is not supported: keep one zone in one file")
            default:
                throw ZoneLoadError(file: path, line: recordLine, message: String(cString: ldns_get_errorstr_by_id(status)))
            }
        }
        return records
    }

    private static func record(from rr: UnsafeMutablePointer<ldns_rr>, line: Int, path: String) throws(ZoneLoadError) -> ZoneRecord {
        guard let buffer = ldns_buffer_new(512) else {
            throw ZoneLoadError(file: path, line: line, message: "out of memory")
        }
        defer { ldns_buffer_free(buffer) }
        let status = ldns_rr_rdata2buffer_wire(buffer, rr)
        guard status == LDNS_STATUS_OK else {
            throw ZoneLoadError(file: path, line: line, message: String(cString: ldns_get_errorstr_by_id(status)))
        }
        let rdata = Array(UnsafeBufferPointer(start: ldns_buffer_begin(buffer), count: ldns_buffer_position(buffer)))
        let ownerRdf = ldns_rr_owner(rr)
        let ownerWire = Array(UnsafeBufferPointer(start: ldns_rdf_data(ownerRdf), count: ldns_rdf_size(ownerRdf)))
        guard let ownerName = DNSName(wire: ownerWire) else {
            throw ZoneLoadError(file: path, line: line, message: "malformed owner name")
        }
        return ZoneRecord(
            owner: takeString(ldns_rdf2str(ownerRdf)).lowercased(),
            ownerName: ownerName,
            type: UInt16(ldns_rr_get_type(rr).rawValue),
            recordClass: UInt16(ldns_rr_get_class(rr).rawValue),
            ttl: ldns_rr_ttl(rr),
            rdata: rdata,
            text: takeString(ldns_rr2str(rr)).trimmingNewlines(),
            line: line)
    }

    /// Copies and frees a string ldns allocated.
    private static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    static func originFromFileName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".zone") ? String(name.dropLast(5)) : name
    }

    static func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? lower : lower + "."
    }
}

extension String {
    fileprivate func trimmingNewlines() -> String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
