#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where relative paths are anchored and how files are checked during one load.
struct PathResolver {
    /// The directory of the config file; relative paths in it are taken from there.
    let baseDirectory: String
    let fileSystem: FileSystemAccess

    func resolve(_ path: String) -> String {
        path.hasPrefix("/") || baseDirectory.isEmpty ? path : "\(baseDirectory)/\(path)"
    }

    /// A path to a readable regular file (a secret, a CA bundle, a zone).
    var existingFile: Conversion<String> {
        Conversion.nonEmptyString.map { path in
            let resolved = resolve(path)
            switch fileSystem.status(resolved) {
            case .readableFile: return .success(resolved)
            case .missing: return Conversion<String>.failure("file not found: \(resolved)")
            case .unreadable: return Conversion<String>.failure("file not readable by this user: \(resolved)")
            case .directory, .other: return Conversion<String>.failure("not a regular file: \(resolved)")
            }
        }
    }

    /// A path to an existing directory.
    var existingDirectory: Conversion<String> {
        Conversion.nonEmptyString.map { path in
            let resolved = resolve(path)
            switch fileSystem.status(resolved) {
            case .directory: return .success(resolved)
            case .missing: return Conversion<String>.failure("directory not found: \(resolved)")
            default: return Conversion<String>.failure("not a directory: \(resolved)")
            }
        }
    }

    /// A command (argument vector) whose program, when given as a path, must be executable.
    /// A bare program name is looked up in PATH when it runs.
    var command: Conversion<[String]> {
        Conversion<[String]>.command.map { argv in
            guard argv[0].contains("/") else { return .success(argv) }
            var resolved = argv
            resolved[0] = resolve(argv[0])
            return fileSystem.isExecutable(resolved[0])
                ? .success(resolved) : Conversion<[String]>.failure("program not found or not executable: \(resolved[0])")
        }
    }

    /// A file that Lifeboat will create: its directory must exist.
    var creatableFile: Conversion<String> {
        Conversion.nonEmptyString.map { path in
            let resolved = resolve(path)
            let directory = resolved.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                .joined(separator: "/")
            guard fileSystem.status(directory.isEmpty ? "/" : directory) == .directory else {
                return Conversion<String>.failure("directory not found for \(resolved): \(directory)")
            }
            return .success(resolved)
        }
    }
}
