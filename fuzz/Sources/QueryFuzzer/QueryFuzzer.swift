import DNSQuery
import DNSZone
import DomainNames

/// A zone with delegations, wildcards and CNAMEs, so fuzzed names reach every answer path.
let snapshot: ServingSnapshot = {
    var records: [ZoneRecord] = []
    func add(_ owner: String, _ type: UInt16, _ rdata: [UInt8], ttl: UInt32 = 300) {
        let name = DNSName(owner)!
        records.append(ZoneRecord(owner: owner, ownerName: name, type: type, recordClass: 1, ttl: ttl, rdata: rdata, text: "", line: 0))
    }
    let ns1 = DNSName("ns1.fuzz.test.")!.wire
    add("fuzz.test.", RRType.soa, ns1 + ns1 + [0, 0, 0, 1, 0, 0, 14, 16, 0, 0, 2, 88, 0, 1, 81, 128, 0, 0, 0, 60])
    add("fuzz.test.", RRType.ns, ns1)
    add("ns1.fuzz.test.", RRType.a, [192, 0, 2, 1])
    add("www.fuzz.test.", RRType.a, [192, 0, 2, 10])
    add("www.fuzz.test.", RRType.aaaa, [UInt8](repeating: 1, count: 16))
    add("alias.fuzz.test.", RRType.cname, DNSName("www.fuzz.test.")!.wire)
    add("loop.fuzz.test.", RRType.cname, DNSName("loop.fuzz.test.")!.wire)
    add("*.wild.fuzz.test.", RRType.txt, [4, 119, 105, 108, 100])
    add("sub.fuzz.test.", RRType.ns, DNSName("ns.sub.fuzz.test.")!.wire)
    add("ns.sub.fuzz.test.", RRType.a, [192, 0, 2, 7])
    return ServingSnapshot(zones: [ZoneContents(file: ZoneFile(origin: "fuzz.test.", records: records))])
}()

/// libFuzzer's entry point: any bytes, as a UDP and as a TCP query. Must never crash, and a
/// response must always be a parseable DNS header echoing the query's ID.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let packet = UnsafeRawBufferPointer(start: data, count: size)
    var out: [UInt8] = []
    for transport in [Transport.udp, .tcp] {
        let disposition = QueryResponder.respond(to: packet, using: snapshot, transport: transport, into: &out)
        if disposition == .send {
            precondition(out.count >= 12 && out[0] == packet[0] && out[1] == packet[1], "bad response header")
            precondition(transport == .tcp || out.count <= QueryResponder.maxUDPPayload, "UDP response too large")
        }
    }
    return 0
}

/// libFuzzer's driver (exported by the fuzzer runtime that -sanitize=fuzzer links).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

/// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer.
@_cdecl("QueryFuzzer_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
