/// Where a value sits in the config, rendered the way the error messages name it: `suite.shard_timeout`,
/// `area[2].globs[0]`, `profile."odd.name".env`.
struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component] = []

    static let root = ConfigKeyPath()

    func key(_ key: String) -> ConfigKeyPath {
        var copy = self
        copy.components.append(.key(key))
        return copy
    }

    func index(_ index: Int) -> ConfigKeyPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    var description: String {
        var out = ""
        for component in components {
            switch component {
            case .key(let key):
                if !out.isEmpty { out += "." }
                out += Self.render(key: key)
            case .index(let index):
                out += "[\(index)]"
            }
        }
        return out
    }

    /// A bare TOML key when it can be one, else a quoted key.
    static func render(key: String) -> String {
        let bare =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
                        || scalar == "-")
            }
        return bare ? key : ConfigValueText.quoted(key)
    }
}
