import Foundation
public import LifeboatCore
public import SystemIO

/// A service's journal: one JSON record per line in `<state_dir>/journal/<service>.jsonl`,
/// appended and fsynced before the controller acts on it. A torn last line (a crash in the
/// middle of a write) is skipped when reading; any other bad line is an error naming it.
public struct Journal: Sendable {
    /// The file.
    public let path: String

    /// The journal of `service` under `stateDirectory` (the directory is created).
    public init(stateDirectory: String, service: String) throws(SystemError) {
        try DurableFile.makeDirectories("\(stateDirectory)/journal")
        path = "\(stateDirectory)/journal/\(service).jsonl"
    }

    /// Every record, oldest first.
    public func load() throws -> [JournalRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var records: [JournalRecord] = []
        for (index, line) in lines.enumerated() where !line.isEmpty {
            do {
                records.append(try JournalCoding.record(line))
            } catch {
                let isLast = lines[(index + 1)...].allSatisfy(\.isEmpty) && data.last != UInt8(ascii: "\n")
                if isLast { break }  // torn by a crash mid-write: it was never acted upon
                throw JournalError(path: path, line: index + 1, message: "\(error)")
            }
        }
        return records
    }

    /// Appends one record and fsyncs it.
    public func append(_ record: JournalRecord) throws {
        try DurableFile.append(line: try JournalCoding.line(record), to: path)
    }

    /// Replaces the whole journal with `records` (a new leader takes the cluster's journal),
    /// atomically; a journal that said something else is kept beside it as `<file>.previous`.
    public func replace(with records: [JournalRecord]) throws {
        let text = try records.map { try JournalCoding.line($0) + "\n" }.joined()
        if let old = FileManager.default.contents(atPath: path), old != Data(text.utf8), !old.isEmpty {
            try DurableFile.write(String(decoding: old, as: UTF8.self), to: path + ".previous")
        }
        try DurableFile.write(text, to: path)
    }
}

/// A journal that cannot be read.
public struct JournalError: Error, CustomStringConvertible {
    /// The file.
    public let path: String
    /// The line (1-based).
    public let line: Int
    /// The library's or the check's own words.
    public let message: String
    public var description: String { "\(path):\(line): unreadable journal record: \(message)" }
}
