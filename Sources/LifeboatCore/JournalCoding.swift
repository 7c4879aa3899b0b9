public import Foundation

/// How a journal record is written as one line of JSON: in the journal file and in the
/// cluster's journal in etcd alike (dates as seconds since 1970, keys sorted).
public enum JournalCoding {
    /// The record as one line (no newline).
    public static func line(_ record: JournalRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }

    /// The record a line holds.
    public static func record(_ line: some DataProtocol) throws -> JournalRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try decoder.decode(JournalRecord.self, from: Data(line))
    }
}
