import Foundation

/// A new empty folder under the system's temporary folder, named `testshard-<label>-<random>`;
/// the caller removes it.
func makeScratchFolder(_ label: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "testshard-\(label)-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}
