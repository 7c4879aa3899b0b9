#!/usr/bin/python3
"""Wire-level checks with dnspython (a DNS library nobody here wrote), for the transfer tests.
Prints one JSON object. Usage:
  dnscheck.py xfr HOST PORT ZONE AXFR|IXFR [--serial N] [--key NAME:ALG:SECRET] [--edns] [--skew SECONDS]
  dnscheck.py query HOST PORT NAME TYPE [--tcp] [--key NAME:ALG:SECRET] [--skew SECONDS]
(--skew signs as a client whose clock is that many seconds off.)
  dnscheck.py noquestion HOST PORT        (QDCOUNT 0 with an OPT, over UDP)
"""
import json, socket, struct, sys, time
import dns.message, dns.query, dns.rdatatype, dns.rrset, dns.tsig, dns.tsigkeyring, dns.flags


def options(argv):
    found = {}
    index = 0
    while index < len(argv):
        if argv[index] in ("--serial", "--key", "--skew"):
            found[argv[index][2:]] = argv[index + 1]
            index += 2
        else:
            found[argv[index][2:]] = True
            index += 1
    return found


def keying(text):
    if not text:
        return {}
    name, algorithm, secret = text.split(":", 2)
    return {"keyring": dns.tsigkeyring.from_text({name: (algorithm, secret)}), "keyname": name, "keyalgorithm": algorithm}


def describe(message):
    answer = [f"{rrset.name} {rrset.ttl} {dns.rdatatype.to_text(rrset.rdtype)} {rdata}" for rrset in message.answer for rdata in rrset]
    return {
        "rcode": message.rcode(), "edns": message.edns >= 0, "tsig": message.had_tsig, "count": len(answer),
        "answer": answer if len(answer) <= 50 else answer[:3] + answer[-2:],  # a big zone: its ends only
    }


def transfer(host, port, zone, kind, extra):
    key = keying(extra.get("key"))
    query = dns.message.make_query(zone, kind, use_edns=0 if extra.get("edns") else None)
    if kind == "IXFR":
        query.authority.append(dns.rrset.from_text(zone, 0, "IN", "SOA", f". . {extra['serial']} 0 0 0 0"))
    if key:
        query.use_tsig(key["keyring"], key["keyname"], algorithm=key["keyalgorithm"])
    wire = query.to_wire()
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(struct.pack("!H", len(wire)) + wire)
    messages, context, done, soas, current = [], None, False, 0, None
    buffer = b""
    while not done:
        while len(buffer) < 2 or len(buffer) < 2 + struct.unpack("!H", buffer[:2])[0]:
            chunk = sock.recv(65535)
            if not chunk:
                raise EOFError(f"closed after {len(messages)} messages")
            buffer += chunk
        length = struct.unpack("!H", buffer[:2])[0]
        data, buffer = buffer[2:2 + length], buffer[2 + length:]
        message = dns.message.from_wire(
            data, keyring=key.get("keyring"), request_mac=query.mac if key else b"", xfr=True, origin=None,
            tsig_ctx=context, multi=bool(key), one_rr_per_rrset=True)
        if key:
            context = message.tsig_ctx
        messages.append(describe(message))
        if message.rcode() != 0:
            break
        records = [rdata for rrset in message.answer for rdata in rrset]
        for rrset in message.answer:
            if rrset.rdtype != dns.rdatatype.SOA:
                continue
            soas += 1
            if current is None:
                current = rrset[0].serial
            elif soas % 2 == 0 and rrset[0].serial == current:
                done = True  # the closing SOA (AXFR: the second; IXFR: after the last change)
        if kind == "IXFR" and len(messages) == 1 and len(records) == 1 and soas == 1:
            done = True  # up to date: the single SOA
    return {"ok": True, "messages": messages}


def query(host, port, name, kind, extra):
    key = keying(extra.get("key"))
    message = dns.message.make_query(name, kind, use_edns=0)
    if key:
        message.use_tsig(key["keyring"], key["keyname"], algorithm=key["keyalgorithm"])
    answer = (dns.query.tcp if extra.get("tcp") else dns.query.udp)(message, host, port=port, timeout=5)
    return {"ok": True, "messages": [describe(answer)]}


def noquestion(host, port):
    wire = struct.pack("!HHHHHH", 0x4242, 0, 0, 0, 0, 1) + b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00"
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(3)
    sock.sendto(wire, (host, port))
    data = sock.recv(4096)
    counts = struct.unpack("!HHHH", data[4:12])
    has_opt = counts[3] == 1 and data[-11:-8] == b"\x00\x00\x29"
    return {"ok": True, "messages": [{"rcode": data[3] & 15, "edns": has_opt, "tsig": False, "count": 0, "answer": []}]}


def main(argv):
    command, host, port = argv[1], argv[2], int(argv[3])
    skew = int(options(argv[6:]).get("skew", 0)) if len(argv) > 6 else 0
    if skew:
        real = time.time
        time.time = lambda: real() + skew
    try:
        if command == "xfr":
            result = transfer(host, port, argv[4], argv[5], options(argv[6:]))
        elif command == "query":
            result = query(host, port, argv[4], argv[5], options(argv[6:]))
        else:
            result = noquestion(host, port)
    except Exception as error:  # the test reads the error's class: PeerBadSignature, PeerBadKey, …
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(result))


main(sys.argv)
