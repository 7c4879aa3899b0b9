/// Answers a message that carries a TSIG record (RFC 8945 §5): the signature is checked against
/// the server's keys; a good one gets its answer signed, a bad one NOTAUTH with the TSIG error
/// (BADKEY and BADSIG unsigned, BADTIME signed with the server's clock in Other Data); a
/// transfer goes back to the server with the key and the request's MAC to sign each message.
public enum SignedResponder {
    /// What the server does next.
    public enum Outcome: Sendable, Equatable {
        /// Send `out`; `refused` is the TSIG error when the signature was refused.
        case send(refused: UInt16?)
        /// Send nothing.
        case drop
        /// A zone transfer signed with `signing`.
        case transfer(ParsedQuery, TransferSigning)
    }

    /// How a signed transfer's messages are signed.
    public struct TransferSigning: Sendable, Equatable {
        public var key: TSIGKey
        public var requestMAC: [UInt8]

        /// Signs `messages` in order at `now`: the first over the request's MAC, each later one
        /// over the one before it (timers only, RFC 8945 §5.3.1).
        public func sign(_ messages: inout [[UInt8]], now: UInt64) {
            var prior = requestMAC
            for index in messages.indices {
                prior = TSIG.sign(&messages[index], key: key, time: now, prior: prior, timersOnly: index > 0)
            }
        }
    }

    /// Answers the signed `packet` (`query` is its parse) into `out`, `now` in seconds since 1970.
    public static func respond(
        to packet: UnsafeRawBufferPointer, query: ParsedQuery, using snapshot: ServingSnapshot, transport: Transport,
        keys: [TSIGKey], now: UInt64, into out: inout [UInt8]
    ) -> Outcome {
        let bytes = Array(packet)
        switch TSIG.check(bytes, keys: keys, now: now) {
        case .malformed:
            QueryResponder.writeError(&out, query, packet, rcode: RCode.formErr)
            return .send(refused: nil)
        case .unsigned:
            return plain(bytes, snapshot: snapshot, transport: transport, into: &out)
        case .refused(let error, let record, let key):
            QueryResponder.writeError(&out, query, packet, rcode: RCode.notAuth)
            if error == TSIG.badTime, let key {
                TSIG.sign(&out, key: key, time: now, prior: record.mac, error: error, other: TSIG.time48(now), timeSigned: record.timeSigned)
            } else {
                TSIG.appendError(error, answering: record, to: &out)
            }
            return .send(refused: error)
        case .signed(let key, let record):
            var stripped = Array(bytes[..<record.start])
            TSIG.addToARCount(&stripped, -1)
            let disposition = stripped.withUnsafeBytes {
                QueryResponder.respond(to: $0, using: snapshot, transport: transport, into: &out)
            }
            switch disposition {
            case .send:
                TSIG.sign(&out, key: key, time: now, prior: record.mac)
                return .send(refused: nil)
            case .drop, .signed:
                return .drop
            case .transfer(let transfer):
                return .transfer(transfer, TransferSigning(key: key, requestMAC: record.mac))
            }
        }
    }

    private static func plain(_ bytes: [UInt8], snapshot: ServingSnapshot, transport: Transport, into out: inout [UInt8]) -> Outcome {
        let disposition = bytes.withUnsafeBytes { QueryResponder.respond(to: $0, using: snapshot, transport: transport, into: &out) }
        switch disposition {
        case .send: return .send(refused: nil)
        case .drop, .signed, .transfer: return .drop
        }
    }
}
