import DNSZone
import Testing

/// Every authoritative semantic, asked with the real `dig` and `kdig`.
@Suite("DNS semantics with real dig and kdig")
struct DigSemanticsTests {
    private func withServer(_ body: (TestServer) async throws -> Void) async throws {
        let server = try await TestServer.start()
        do { try await body(server) } catch { await server.stop(); throw error }
        await server.stop()
    }

    @Test("an answer: AA set, RA clear, RD copied", arguments: DigTool.allCases)
    func positive(_ tool: DigTool) async throws {
        try await withServer { server in
            let result = tool.query(["www.lifeboat.test", "A"], port: server.port)
            #expect(result.status == "NOERROR", "\(result.raw)")
            #expect(result.flags.isSuperset(of: ["qr", "aa", "rd"]) && !result.flags.contains("ra"), "\(result.flags)")
            #expect(Set(result.answer) == ["www.lifeboat.test. 30 in a 192.0.2.10", "www.lifeboat.test. 30 in a 192.0.2.11"])
            let noRD = tool.query(["+norecurse", "www.lifeboat.test", "A"], port: server.port)
            #expect(!noRD.flags.contains("rd") && noRD.flags.contains("aa"))
        }
    }

    @Test("names outside the zone are REFUSED, with or without RD", arguments: DigTool.allCases)
    func refused(_ tool: DigTool) async throws {
        try await withServer { server in
            for arguments in [["example.org", "A"], ["+norecurse", "lifeboat.tes", "A"], ["test", "NS"]] {
                let result = tool.query(arguments, port: server.port)
                #expect(result.status == "REFUSED", "\(arguments): \(result.raw)")
                #expect(!result.flags.contains("aa") && result.answer.isEmpty)
            }
        }
    }

    @Test("NXDOMAIN and NODATA carry the SOA with the negative TTL", arguments: DigTool.allCases)
    func negative(_ tool: DigTool) async throws {
        try await withServer { server in
            let soa = "lifeboat.test. 120 in soa ns1.lifeboat.test. hostmaster.lifeboat.test. 7 3600 600 86400 120"
            let nx = tool.query(["nothing.lifeboat.test", "A"], port: server.port)
            #expect(nx.status == "NXDOMAIN" && nx.flags.contains("aa") && nx.authority == [soa], "\(nx.raw)")
            let nodata = tool.query(["www.lifeboat.test", "MX"], port: server.port)
            #expect(nodata.status == "NOERROR" && nodata.answer.isEmpty && nodata.authority == [soa], "\(nodata.raw)")
            let emptyNonTerminal = tool.query(["c.deep.lifeboat.test", "A"], port: server.port)
            #expect(emptyNonTerminal.status == "NOERROR" && emptyNonTerminal.authority == [soa])
        }
    }

    @Test("CNAME chains are followed within the zone", arguments: DigTool.allCases)
    func cnames(_ tool: DigTool) async throws {
        try await withServer { server in
            let chain = tool.query(["chain1.lifeboat.test", "AAAA"], port: server.port)
            #expect(chain.answer == [
                "chain1.lifeboat.test. 3600 in cname chain2.lifeboat.test.",
                "chain2.lifeboat.test. 3600 in cname www.lifeboat.test.",
                "www.lifeboat.test. 30 in aaaa 2001:db8::10",
            ], "\(chain.raw)")
            let dangling = tool.query(["dangling.lifeboat.test", "A"], port: server.port)
            #expect(dangling.status == "NXDOMAIN" && dangling.answer.count == 1)
            let outside = tool.query(["outside.lifeboat.test", "A"], port: server.port)
            #expect(outside.status == "NOERROR" && outside.answer == ["outside.lifeboat.test. 3600 in cname www.other.test."])
        }
    }

    @Test("wildcards synthesise the asked name", arguments: DigTool.allCases)
    func wildcards(_ tool: DigTool) async throws {
        try await withServer { server in
            let result = tool.query(["anything.wild.lifeboat.test", "TXT"], port: server.port)
            #expect(result.flags.contains("aa") && result.answer == ["anything.wild.lifeboat.test. 3600 in txt \"wild\""], "\(result.raw)")
            let viaCNAME = tool.query(["q.cnamewild.lifeboat.test", "A"], port: server.port)
            #expect(viaCNAME.answer.first == "q.cnamewild.lifeboat.test. 3600 in cname www.lifeboat.test." && viaCNAME.answer.count == 3)
        }
    }

    @Test("delegations are referrals with glue and AA clear", arguments: DigTool.allCases)
    func referral(_ tool: DigTool) async throws {
        try await withServer { server in
            let result = tool.query(["+norecurse", "host.sub.lifeboat.test", "A"], port: server.port)
            #expect(result.status == "NOERROR" && !result.flags.contains("aa") && result.answer.isEmpty, "\(result.raw)")
            #expect(Set(result.authority) == ["sub.lifeboat.test. 3600 in ns ns.sub.lifeboat.test.", "sub.lifeboat.test. 3600 in ns ns.other.test."])
            #expect(Set(result.additional) == ["ns.sub.lifeboat.test. 3600 in a 192.0.2.77", "ns.sub.lifeboat.test. 3600 in aaaa 2001:db8::77"])
        }
    }

    @Test("NS answers carry the in-zone addresses; ANY is answered with one RRset", arguments: DigTool.allCases)
    func nsAndAny(_ tool: DigTool) async throws {
        try await withServer { server in
            let ns = tool.query(["lifeboat.test", "NS"], port: server.port)
            #expect(Set(ns.additional) == ["ns1.lifeboat.test. 3600 in a 192.0.2.53", "ns1.lifeboat.test. 3600 in aaaa 2001:db8::53"], "\(ns.raw)")
            let any = tool.query(["www.lifeboat.test", "ANY"], port: server.port)
            #expect(any.answer.count == 2 && any.answer.allSatisfy { $0.contains(" in a ") }, "\(any.raw)")
        }
    }

    @Test("EDNS: OPT echoed with payload 1232 and DO", arguments: DigTool.allCases)
    func edns(_ tool: DigTool) async throws {
        try await withServer { server in
            let result = tool.query(["+bufsize=4096", "+dnssec", "www.lifeboat.test", "A"], port: server.port)
            #expect(result.ednsPayload == 1232 && result.ednsFlags.contains("do"), "\(result.raw)")
            let plain = tool.query(["+noedns", "www.lifeboat.test", "A"], port: server.port)
            #expect(plain.ednsPayload == nil)
        }
    }

    @Test("EDNS version 1 gets BADVERS")
    func badvers() async throws {
        try await withServer { server in
            let dig = DigTool.dig.query(["+edns=1", "+noednsnegotiation", "www.lifeboat.test", "A"], port: server.port)
            #expect(dig.status == "BADVERS", "\(dig.raw)")
            let kdig = DigTool.kdig.query(["+edns=1", "www.lifeboat.test", "A"], port: server.port)
            #expect(kdig.status == "BADVERS", "\(kdig.raw)")
        }
    }

    @Test("TC=1 when the answer does not fit 512 bytes; TCP gets it whole", arguments: DigTool.allCases)
    func truncation(_ tool: DigTool) async throws {
        try await withServer { server in
            let ignoreTC = "+ignore"
            let udp = tool.query(["+noedns", ignoreTC, "big.lifeboat.test", "TXT"], port: server.port)
            #expect(udp.flags.contains("tc"), "\(udp.raw)")
            let tcp = tool.query(["+tcp", "big.lifeboat.test", "TXT"], port: server.port)
            #expect(!tcp.flags.contains("tc") && tcp.answer.count == 4, "\(tcp.raw)")
            let edns = tool.query(["+bufsize=1232", ignoreTC, "big.lifeboat.test", "TXT"], port: server.port)
            #expect(!edns.flags.contains("tc") && edns.answer.count == 4, "\(edns.raw)")
        }
    }

    @Test("names match case-insensitively and the question keeps its case")
    func caseInsensitive() async throws {
        try await withServer { server in
            let result = DigTool.dig.query(["WwW.LiFeBoAt.TeSt", "A"], port: server.port)
            #expect(result.status == "NOERROR" && result.answer.count == 2)
            #expect(result.raw.contains(";WwW.LiFeBoAt.TeSt.") && result.raw.contains("\nWwW.LiFeBoAt.TeSt."), "\(result.raw)")
        }
    }

    @Test("unknown opcodes get NOTIMP")
    func notimp() async throws {
        try await withServer { server in
            let result = DigTool.dig.query(["+opcode=2", "www.lifeboat.test", "A"], port: server.port)
            #expect(result.status == "NOTIMP", "\(result.raw)")
        }
    }

    @Test("AXFR to an allowed address; REFUSED to others", arguments: DigTool.allCases)
    func axfr(_ tool: DigTool) async throws {
        try await withServer { server in
            let result = tool.query(["lifeboat.test", "AXFR"], port: server.port)
            let soas = result.raw.split(separator: "\n").filter { $0.contains("SOA") && !$0.hasPrefix(";") }
            #expect(soas.count == 2, "\(result.raw)")
            #expect(result.raw.contains("192.0.2.77") && result.raw.contains("letsencrypt.org"))
        }
        let closed = try await TestServer.start(allowTransfer: [])
        let refused = tool.query(["lifeboat.test", "AXFR"], port: closed.port)
        // dig says only "Transfer failed"; kdig names the rcode.
        #expect(refused.raw.contains(tool == .dig ? "Transfer failed" : "REFUSED"), "\(refused.raw)")
        #expect(!refused.raw.contains("192.0.2.77"))
        await closed.stop()
    }
}
