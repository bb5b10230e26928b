import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A minimal DOM of the writer's output, built with the same XMLParser, to inspect structure.
struct XMLDocumentTree {
    struct Suite {
        var name: String
        var attributes: [String: String]
    }

    struct Case {
        var attributes: [String: String]
        var children: [String]
        var id: String {
            let file = attributes["file"] ?? ""
            let classname = attributes["classname"] ?? ""
            let name = attributes["name"] ?? ""
            if classname.isEmpty { return file }
            let module = String(file.dropLast(3)).replacingOccurrences(of: "/", with: ".")
            let classes = classname.dropFirst(module.count).split(separator: ".").map(String.init)
            return ([file] + classes + [name]).joined(separator: "::")
        }
    }

    var rootAttributes: [String: String] = [:]
    var suites: [Suite] = []
    var testCases: [Case] = []

    init(_ xml: String) throws {
        final class Delegate: NSObject, XMLParserDelegate {
            var tree = XMLDocumentTree(empty: ())
            var depth = 0
            func parser(
                _ parser: XMLParser,
                didStartElement elementName: String,
                namespaceURI: String?,
                qualifiedName qName: String?,
                attributes attributeDict: [String: String] = [:]
            ) {
                depth += 1
                switch (depth, elementName) {
                case (1, _): tree.rootAttributes = attributeDict
                case (2, "testsuite"):
                    tree.suites.append(Suite(name: attributeDict["name"] ?? "", attributes: attributeDict))
                case (3, "testcase"): tree.testCases.append(Case(attributes: attributeDict, children: []))
                case (4, _): tree.testCases[tree.testCases.count - 1].children.append(elementName)
                default: break
                }
            }
            func parser(
                _ parser: XMLParser,
                didEndElement elementName: String,
                namespaceURI: String?,
                qualifiedName qName: String?
            ) {
                depth -= 1
            }
        }
        let delegate = Delegate()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = delegate
        guard parser.parse(), parser.parserError == nil else {
            throw ParseFailure(description: "\(String(describing: parser.parserError))")
        }
        self = delegate.tree
    }

    private init(empty: Void) {}

    struct ParseFailure: Error, CustomStringConvertible {
        var description: String
    }
}
