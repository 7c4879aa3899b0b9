import DNSZone
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to a fresh temporary file named `name` and returns its path.
func temporaryZone(_ name: String, _ text: String) -> String {
    var template = Array("/tmp/lifeboat-zone-test.XXXXXX".utf8CString)
    let directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    let path = "\(directory)/\(name)"
    let file = fopen(path, "w")!
    fputs(text, file)
    fclose(file)
    return path
}

let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// A small valid zone; broken cases append or replace lines.
let header = """
    $ORIGIN bad.test.
    $TTL 60
    @ IN SOA ns hostmaster 1 3600 600 86400 300
    @ IN NS ns
    ns IN A 192.0.2.1

    """

@Suite("Zone files are read with ldns and checked, with exact lines for problems")
struct ZoneFileLoaderTests {
    @Test("the shipped example zone loads")
    func exampleZone() throws {
        let zone = try ZoneFileLoader.load(path: "\(repositoryRoot)/zones/example.com.zone")
        #expect(zone.origin == "example.com.")
        #expect(zone.serial == 2_026_112_401)
        #expect(zone.records.count == 19)
        let www = zone.records.filter { $0.owner == "www.example.com." }
        #expect(www.map(\.type).sorted() == [RRType.a, RRType.aaaa])
        let wwwA = try #require(www.first { $0.type == RRType.a })
        #expect(wwwA.rdata == [203, 0, 113, 10])
        #expect(wwwA.ttl == 30)
        #expect(wwwA.line == 18)
        #expect(zone.records.first { $0.owner == "mail.example.com." }?.ttl == 3600)
        #expect(zone.records.contains { $0.owner == "*.users.example.com." && $0.type == RRType.txt })
        let soa = try #require(zone.records.first)
        #expect(soa.type == RRType.soa && soa.line == 11)
    }

    @Test("the origin comes from the file name; the records' text is ldns's presentation")
    func originFromName() throws {
        let zone = try ZoneFileLoader.load(path: temporaryZone("bad.test.zone", header + "www 30 IN A 192.0.2.80\n"))
        #expect(zone.origin == "bad.test.")
        #expect(zone.records.last?.text == "www.bad.test.\t30\tIN\tA\t192.0.2.80")
    }

    @Test("a last line without a newline is read, with its line number")
    func noTrailingNewline() throws {
        let zone = try ZoneFileLoader.load(path: temporaryZone("bad.test.zone", header + "www IN A 192.0.2.80"))
        #expect(zone.records.last?.line == 6)
    }

    @Test("broken zones name the line", arguments: [
        (header + "www IN A 300.1.1.1\n", 6, "Syntax error, could not parse the RR's rdata"),
        (header + "\n\n; comment\nwww IN A 192.0.2.1 extra\n", 9, "Syntax error, superfluous text present"),
        (header + "www.other.test. IN A 192.0.2.1\n", 6, "www.other.test. is outside the zone bad.test."),
        (header + "www IN CNAME ns\nwww IN A 192.0.2.1\n", 7, "www.bad.test. has a CNAME and other data"),
        (header + "$INCLUDE other.zone\n", 6, "$INCLUDE is not supported: keep one zone in one file"),
        (header + "www IN A\n", 6, "Syntax error, value expected"),
        (header + "sub IN SOA ns hostmaster 1 2 3 4 5\n", 6, "the SOA must be at the apex bad.test., not at sub.bad.test."),
        (header + "@ IN SOA ns hostmaster 2 2 3 4 5\n", 6, "a zone has exactly one SOA record"),
    ])
    func broken(_ text: String, _ line: Int, _ message: String) {
        let path = temporaryZone("bad.test.zone", text)
        #expect(throws: ZoneLoadError(file: path, line: line, message: message)) {
            try ZoneFileLoader.load(path: path)
        }
    }

    @Test("whole-file problems have no line")
    func wholeFile() {
        let noSOA = temporaryZone("bad.test.zone", "$ORIGIN bad.test.\n@ 60 IN NS ns\n")
        #expect(throws: ZoneLoadError(file: noSOA, line: 0, message: "no SOA record for bad.test.")) {
            try ZoneFileLoader.load(path: noSOA)
        }
        let noNS = temporaryZone("bad.test.zone", "$ORIGIN bad.test.\n@ 60 IN SOA ns hm 1 2 3 4 5\n")
        #expect(throws: ZoneLoadError(file: noNS, line: 0, message: "no NS records at the apex bad.test.")) {
            try ZoneFileLoader.load(path: noNS)
        }
        #expect(throws: ZoneLoadError(file: "/nonexistent/x.zone", line: 0, message: "cannot open: No such file or directory")) {
            try ZoneFileLoader.load(path: "/nonexistent/x.zone")
        }
    }

    @Test("the error prints as file:line: message")
    func errorText() {
        #expect(ZoneLoadError(file: "z.zone", line: 4, message: "bad").description == "z.zone:4: bad")
        #expect(ZoneLoadError(file: "z.zone", line: 0, message: "bad").description == "z.zone: bad")
    }
}
