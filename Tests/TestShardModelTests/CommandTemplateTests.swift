import Testing

@testable import TestShardModel

@Suite struct CommandTemplateTests {
    @Test func splitsLikeAShell() throws {
        let t = try CommandTemplate(#"python3 -m pytest -m "not docker" -k 'a b' --x=\" {files}"#)
        #expect(t.words == ["python3", "-m", "pytest", "-m", "not docker", "-k", "a b", "--x=\"", "{files}"])
    }

    @Test func expandsFilesAsSeparateArgumentsAndJunitInsideAWord() throws {
        let t = try CommandTemplate("python3 -m pytest -q --junitxml={junit} {files}")
        let argv = t.expand(items: ["a.py", "b.py::t x"], junitPath: "/tmp/r.xml", itemsFile: "/tmp/i")
        #expect(argv == ["python3", "-m", "pytest", "-q", "--junitxml=/tmp/r.xml", "a.py", "b.py::t x"])
    }

    @Test func optionsGoBeforeTheItemsUnlessPlaced() throws {
        let plain = try CommandTemplate("pytest --junitxml={junit} {files}")
        #expect(
            plain.expand(items: ["a.py"], junitPath: "j", itemsFile: "i", options: ["-m", "not docker"])
                == ["pytest", "--junitxml=j", "-m", "not docker", "a.py"]
        )
        let placed = try CommandTemplate("pytest {options} -p x --from={items_file}")
        #expect(placed.usesItemsFile)
        #expect(
            placed.expand(items: ["a.py"], junitPath: "j", itemsFile: "/i", options: ["-x"])
                == ["pytest", "-x", "-p", "x", "--from=/i"]
        )
    }

    @Test(arguments: [
        ("pytest tests/", "{files}"),
        ("pytest {file}", "unknown placeholder {file}"),
        ("pytest --f={files}", "word of its own"),
        ("pytest 'x {files}", "single quote"),
        ("pytest \"x {files}", "double quote"),
        ("", "empty"),
        ("{files}", "program name"),
    ])
    func rejects(command: String, fragment: String) {
        #expect {
            try CommandTemplate(command)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }
}
