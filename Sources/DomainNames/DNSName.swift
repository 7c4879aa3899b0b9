/// A domain name in uncompressed wire format, ASCII lower-cased: the form names are compared
/// and hashed in. Ends with the root label (a zero byte).
public struct DNSName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Length-prefixed labels, lower-case, ending in 0.
    public let wire: [UInt8]

    /// The root name.
    public static let root = DNSName(checkedWire: [0])

    /// Validates and lower-cases a wire-format name; nil when malformed (labels > 63, > 255 bytes).
    public init?(wire: [UInt8]) {
        guard !wire.isEmpty, wire.count <= 255 else { return nil }
        var index = 0
        while index < wire.count {
            let length = Int(wire[index])
            if length == 0 { break }
            guard length <= 63 else { return nil }
            index += length + 1
        }
        guard index == wire.count - 1 else { return nil }
        self.wire = wire.map(DNSName.lower)
    }

    /// Parses presentation text without escapes (`"www.example.com."`; the final dot is optional).
    public init?(_ text: String) {
        if text == "." {
            self = .root
            return
        }
        var wire: [UInt8] = []
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(label.utf8)
            guard !bytes.isEmpty, bytes.count <= 63 else { return nil }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        wire.append(0)
        self.init(wire: wire)
    }

    private init(checkedWire: [UInt8]) {
        self.wire = checkedWire
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// The number of labels, not counting the root.
    public var labelCount: Int {
        var count = 0
        var index = 0
        while wire[index] != 0 {
            count += 1
            index += Int(wire[index]) + 1
        }
        return count
    }

    /// The name one label up; the root's parent is nil.
    public var parent: DNSName? {
        guard wire[0] != 0 else { return nil }
        return DNSName(checkedWire: Array(wire[(Int(wire[0]) + 1)...]))
    }

    /// `*.` + this name.
    public var wildcardChild: DNSName {
        DNSName(checkedWire: [1, UInt8(ascii: "*")] + wire)
    }

    /// Whether the first label is `*`.
    public var isWildcard: Bool { wire.count >= 2 && wire[0] == 1 && wire[1] == UInt8(ascii: "*") }

    /// Whether this name equals `ancestor` or lies below it.
    public func isWithin(_ ancestor: DNSName) -> Bool {
        var index = 0
        while wire.count - index > ancestor.wire.count {
            index += Int(wire[index]) + 1
        }
        return wire.count - index == ancestor.wire.count && wire[index...].elementsEqual(ancestor.wire)
    }

    /// Canonical DNS order is not needed here; names sort by their wire bytes for stable output.
    public static func < (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.wire.lexicographicallyPrecedes(rhs.wire)
    }

    /// Presentation form with the trailing dot; bytes outside letters, digits, `-`, `_`, `*` are escaped.
    public var description: String {
        if wire == [0] { return "." }
        var text = ""
        var index = 0
        while wire[index] != 0 {
            let length = Int(wire[index])
            for byte in wire[(index + 1)...(index + length)] {
                let scalar = Unicode.Scalar(byte)
                if scalar.properties.isAlphabetic && byte < 128 || (48...57).contains(byte) || byte == 45 || byte == 95 || byte == 42 {
                    text.unicodeScalars.append(scalar)
                } else {
                    text += "\\" + String(repeating: "0", count: 3 - String(byte).count) + String(byte)
                }
            }
            text += "."
            index += length + 1
        }
        return text
    }
}
