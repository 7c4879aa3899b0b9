import Foundation

/// etcd's v3 JSON gateway as it is on the wire: keys and values base64, 64-bit numbers as JSON
/// strings (sent and received), false and zero fields left out of answers.
enum EtcdWire {
    /// A 64-bit number the gateway writes as a string (and accepts as one).
    struct Number: Codable, Sendable, Equatable {
        var value: Int64

        init(_ value: Int64) { self.value = value }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), let value = Int64(text) {
                self.value = value
            } else {
                value = try container.decode(Int64.self)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(String(value))
        }
    }

    struct Header: Decodable {
        var revision: Number?
    }

    struct KeyValue: Decodable {
        var key: String?
        var value: String?
        var create_revision: Number?
        var mod_revision: Number?
        var lease: Number?
    }

    struct RangeResponse: Decodable {
        var header: Header?
        var kvs: [KeyValue]?
    }

    struct PutResponse: Decodable {
        var header: Header?
    }

    struct AuthenticateResponse: Decodable {
        var token: String?
    }

    struct DeleteResponse: Decodable {
        var header: Header?
        var deleted: Number?
    }

    struct LeaseGrantResponse: Decodable {
        var ID: Number?
        var TTL: Number?
        var error: String?
    }

    struct KeepAliveResponse: Decodable {
        struct Result: Decodable {
            var ID: Number?
            var TTL: Number?
        }
        var result: Result?
    }

    struct TxnResponse: Decodable {
        struct Response: Decodable {
            var response_range: RangeResponse?
            var response_put: PutResponse?
        }
        var header: Header?
        var succeeded: Bool?
        var responses: [Response]?
    }

    /// The gateway's error body: `{"error": …, "code": N, "message": …}`.
    struct Failure: Decodable {
        var error: String?
        var code: Int?
        var message: String?
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func text(_ base64: String?) -> String? {
        base64.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }
}
