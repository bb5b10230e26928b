/// The rule pack for Python test harnesses (report-anchors §9 item 7): what teams otherwise write
/// by hand as their first triage rules. Tried after the config's own rules; ids are reported as
/// `builtin:<id>`. `{last_line}` in an action becomes the cluster's last output line.
public enum BuiltinTriageRules {
    public static let all: [TriageRule] = [
        TriageRule(
            id: "docker.start",
            category: .infrastructure,
            message:
                #"Failed to start Docker services|Cannot connect to the Docker daemon|error during connect|Error response from daemon|docker(?:-compose| compose)?: (?:command )?not found"#,
            action:
                "Docker is not usable on the worker: check the daemon and compose there (`docker info`, `docker compose ps`), then rerun the affected shards",
            severityFloor: .high
        ),
        TriageRule(
            id: "compose.service_missing",
            category: .infrastructure,
            message: #"no such service: [\w.-]+"#,
            action:
                "The compose file has no such service: check the compose profile and version on the runner image against the service the fixture starts",
            severityFloor: .high
        ),
        TriageRule(
            id: "config_drift",
            category: .testInfrastructure,
            message: #"'\w*(?:Config|Settings)\w*' object has no attribute '\w+'"#,
            type: #"(?:[\w.]+\.)?AttributeError"#,
            action:
                "A test config class lacks an attribute the tests read (config/schema drift between fixtures and tests): add it to the config class or update the tests"
        ),
        TriageRule(
            id: "import.missing",
            category: .environment,
            type: #"ModuleNotFoundError|ImportError"#,
            action:
                "A module is missing where the tests run: add it to the runner image / requirements, or guard the import"
        ),
        TriageRule(
            id: "fixture.not_found",
            category: .testInfrastructure,
            message: #"fixture '[\w.\[\]-]+' not found"#,
            action: "The test asks for a fixture nobody defines: check conftest.py files and plugin loading"
        ),
        TriageRule(
            id: "net.port_in_use",
            category: .environment,
            message: #"Address already in use|EADDRINUSE|\[Errno 98\]|port is already allocated"#,
            action:
                "A port is already taken on the worker: look for leftover processes or containers, or let tests pick free ports"
        ),
        TriageRule(
            id: "net.connection_refused",
            category: .environment,
            message: #"Connection refused|ConnectionRefusedError|\[Errno 111\]"#,
            action:
                "A service the tests need is not listening: check that it starts and is healthy before the tests run"
        ),
        TriageRule(
            id: "collection.error",
            category: .testInfrastructure,
            phase: .collection,
            action: "The file does not even collect: fix the syntax or module-level error (the repro shows it)"
        ),
        TriageRule(
            id: "timeout.shard",
            category: .environment,
            exitKind: .timeout,
            action:
                "The shard hit its time limit; its last output was \"{last_line}\": find what it waits for, then split the file or raise shard_timeout"
        ),
        TriageRule(
            id: "timeout.test",
            category: .environment,
            type: #"(?:[\w.]+\.)?(?:TimeoutError|Timeout|ReadTimeout|ConnectTimeout|TimeoutExpired)"#,
            action: "Something the test waited for did not answer in time: check that service and its health checks"
        ),
    ]
}
