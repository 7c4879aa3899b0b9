import LifeboatConfig
import LifeboatTestSupport

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/LifeboatConfigTests/FakeFileSystem.swift
    return parts.joined(separator: "/")
}()
