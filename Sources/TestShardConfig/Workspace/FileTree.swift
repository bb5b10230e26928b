import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Low-level listing of the suite root with `lstat`/`readdir`: symlinks are seen as symlinks and
/// never followed (a symlinked folder could loop or leave the suite).
struct FileTree {
    enum Kind: Equatable {
        case file
        case directory
        case symlink
        case other
        case missing
    }

    let root: String
    /// Folder (relative path) → whether it is a real folder (not a symlink), cached across lookups.
    private var realFolders: [String: Bool] = [:]

    init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    static func kind(of path: String, followingSymlink: Bool = false) -> Kind {
        var info = stat()
        let status = followingSymlink ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    func absolute(_ relative: String) -> String {
        relative.isEmpty ? root : (root == "/" ? "/" + relative : root + "/" + relative)
    }

    /// Whether `relative` is a regular file and every folder on its way down from the root is a real
    /// folder (no symlink in between).
    mutating func isRegularFileWithoutSymlinkedFolders(_ relative: String) -> Bool {
        guard Self.kind(of: absolute(relative)) == .file else { return false }
        var folder = relative
        while let slash = folder.lastIndex(of: "/") {
            folder = String(folder[..<slash])
            if let known = realFolders[folder] {
                if !known { return false }
                // Known real, and so are its ancestors (they were checked when it was).
                return true
            }
            let real = Self.kind(of: absolute(folder)) == .directory
            realFolders[folder] = real
            if !real { return false }
        }
        return true
    }

    /// Appends every regular file under the folder `prefix` (relative; empty for the root) to `found`,
    /// as root-relative paths. Skips `.git`, symlinks and special files; a missing prefix (or one
    /// reached through a symlink) adds nothing. Throws when a folder cannot be listed.
    mutating func walk(_ prefix: String, into found: inout [String]) throws(WorkspaceError) {
        if !prefix.isEmpty {
            // The prefix itself must be reached through real folders only.
            var probe = ""
            for part in prefix.split(separator: "/") {
                probe = probe.isEmpty ? String(part) : probe + "/" + part
                guard Self.kind(of: absolute(probe)) == .directory else { return }
            }
        }
        var pending = [prefix]
        while let folder = pending.popLast() {
            let path = absolute(folder)
            guard let directory = opendir(path) else {
                let reason = String(cString: strerror(errno))
                throw WorkspaceError(
                    code: .unreadableFolder,
                    message: "cannot list the folder \(path): \(reason); fix its permissions or exclude it"
                )
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) {
                        String(validatingCString: $0)
                    }
                }
                // Names that are not UTF-8 cannot be matched by a glob or passed on reliably.
                guard let name, name != ".", name != "..", name != ".git" else { continue }
                let relative = folder.isEmpty ? name : folder + "/" + name
                var kind: Kind
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_REG): kind = .file
                case Int32(DT_DIR): kind = .directory
                case Int32(DT_LNK): kind = .symlink
                case Int32(DT_UNKNOWN): kind = Self.kind(of: absolute(relative))
                default: kind = .other
                }
                switch kind {
                case .file: found.append(relative)
                case .directory: pending.append(relative)
                case .symlink, .other, .missing: continue
                }
            }
        }
    }
}
