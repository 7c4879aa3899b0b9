import DNSQuery
import DNSZone

let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// The example zone as served.
let exampleSnapshot: ServingSnapshot = {
    let file = try! ZoneFileLoader.load(path: "\(repositoryRoot)/zones/example.com.zone")
    return ServingSnapshot(zones: [ZoneContents(file: file)])
}()

/// Options of a test query.
struct QueryOptions {
    var id: UInt16 = 0x1234
    var recursionDesired = false
    var edns: (payload: UInt16, version: UInt8, dnssecOK: Bool)?
    var qclass: UInt16 = 1
    var opcode: UInt8 = 0
}

/// Builds a query packet; `name` is written as given (case kept), without escapes.
func makeQuery(_ name: String, _ type: UInt16, _ options: QueryOptions = QueryOptions()) -> [UInt8] {
    var bytes: [UInt8] = [UInt8(options.id >> 8), UInt8(options.id & 0xFF),
                          (options.opcode << 3) | (options.recursionDesired ? 1 : 0), 0,
                          0, 1, 0, 0, 0, 0, 0, options.edns == nil ? 0 : 1]
    for label in name.split(separator: ".") {
        bytes.append(UInt8(label.utf8.count))
        bytes.append(contentsOf: label.utf8)
    }
    bytes += [0, UInt8(type >> 8), UInt8(type & 0xFF), UInt8(options.qclass >> 8), UInt8(options.qclass & 0xFF)]
    if let edns = options.edns {
        bytes += [0, 0, 41, UInt8(edns.payload >> 8), UInt8(edns.payload & 0xFF), 0, edns.version,
                  edns.dnssecOK ? 0x80 : 0, 0, 0, 0]
    }
    return bytes
}

/// Answers `packet` from `snapshot`; nil when dropped.
func respond(_ packet: [UInt8], _ snapshot: ServingSnapshot = exampleSnapshot, transport: Transport = .udp) -> [UInt8]? {
    var out: [UInt8] = []
    let disposition = packet.withUnsafeBytes { QueryResponder.respond(to: $0, using: snapshot, transport: transport, into: &out) }
    return disposition == .send ? out : nil
}

/// Answers and decodes.
func ask(_ name: String, _ type: UInt16, _ options: QueryOptions = QueryOptions(),
         snapshot: ServingSnapshot = exampleSnapshot, transport: Transport = .udp) -> DecodedMessage? {
    respond(makeQuery(name, type, options), snapshot, transport: transport).flatMap(DecodedMessage.decode)
}

let soaNegative = "example.com. 300 in soa ns1.example.com. hostmaster.example.com. 2026112401 3600 600 1209600 300"
