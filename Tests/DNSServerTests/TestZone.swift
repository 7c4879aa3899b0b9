import Foundation

/// A zone with one of everything the server must get right, served by Lifeboat and NSD alike.
let testZoneText = """
    $ORIGIN lifeboat.test.
    $TTL 3600
    @ IN SOA ns1 hostmaster 7 3600 600 86400 120
    @ IN NS ns1
    @ IN NS ns2.other.test.
    @ IN MX 10 mail
    @ IN MX 20 mail.other.test.
    @ 60 IN A 192.0.2.1
    @ 60 IN AAAA 2001:db8::1
    @ IN TXT "apex text"
    ns1 IN A 192.0.2.53
    ns1 IN AAAA 2001:db8::53
    mail IN A 192.0.2.25
    www 30 IN A 192.0.2.10
    www 30 IN A 192.0.2.11
    www 30 IN AAAA 2001:db8::10
    alias IN CNAME www
    chain1 IN CNAME chain2
    chain2 IN CNAME www
    dangling IN CNAME nowhere
    outside IN CNAME www.other.test.
    wildalias IN CNAME x.wild
    todeleg IN CNAME host.sub
    *.wild IN A 192.0.2.99
    *.wild IN TXT "wild"
    *.cnamewild IN CNAME www
    a.b.c.deep IN A 192.0.2.44
    sub IN NS ns.sub
    sub IN NS ns.other.test.
    ns.sub IN A 192.0.2.77
    ns.sub IN AAAA 2001:db8::77
    other IN NS ns1.lifeboat.test.
    srv._tcp IN SRV 10 5 443 www
    ptr IN PTR www.lifeboat.test.
    caa IN CAA 0 issue "letsencrypt.org"
    big IN TXT "\(String(repeating: "a", count: 200))"
    big IN TXT "\(String(repeating: "b", count: 200))"
    big IN TXT "\(String(repeating: "c", count: 200))"
    big IN TXT "\(String(repeating: "d", count: 200))"

    """

/// A fresh directory holding `lifeboat.test.zone` (and any other files given).
func makeZonesDirectory(_ files: [String: String] = ["lifeboat.test.zone": testZoneText]) throws -> String {
    let directory = NSTemporaryDirectory() + "lifeboat-dns-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (name, text) in files {
        try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
    }
    return directory
}
