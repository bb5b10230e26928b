/// Real progress logs written by the embedded plugin, with the JUnit of the same run.
enum ProgressFixtures {
    /// The files of the suite the fixtures ran over.
    static let mixedSuiteFiles = ["tests/test_mix.py", "tests/test_bad.py", "tests/sub/test_modskip.py"]

    /// pytest 9.0.3 with the plugin, `--continue-on-collection-errors -o junit_family=xunit1
    /// tests/test_mix.py tests/test_bad.py tests/sub/test_modskip.py -k "fail or skip or xfail or
    /// fixture or teardown or test_y or bad or modskip"` (the suite of the JUnit reader's tests); the
    /// last two lines are added by hand to stand for a kill: a test that started, and a line cut in
    /// the middle.
    static let mixedSuite = #"""
        {"event": "session", "rootdir": "/tmp/pyjx", "invocation_dir": "/tmp/pyjx", "pid": 30509, "t": 1795665388.560877}
        {"event": "collectstart", "nodeid": "tests/test_mix.py", "t": 1795665388.630967}
        {"event": "collectreport", "nodeid": "tests/test_mix.py", "outcome": "passed", "t": 1795665388.65257}
        {"event": "collectstart", "nodeid": "tests/test_bad.py", "t": 1795665388.652665}
        {"event": "collectreport", "nodeid": "tests/test_bad.py", "outcome": "failed", "crash": {"message": "E   ModuleNotFoundError: No module named 'nonexistent_module_xyz'"}, "text": "ImportError while importing test module '/tmp/pyjx/tests/test_bad.py'.\nHint: make sure your test modules/packages have valid Python names.\nTraceback:\n/root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module\n    return _bootstrap._gcd_import(name[level:], package, level)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\ntests/test_bad.py:1: in <module>\n    import nonexistent_module_xyz\nE   ModuleNotFoundError: No module named 'nonexistent_module_xyz'", "t": 1795665388.750101}
        {"event": "collectstart", "nodeid": "tests/sub/test_modskip.py", "t": 1795665388.750294}
        {"event": "collectreport", "nodeid": "tests/sub/test_modskip.py", "outcome": "skipped", "crash": {"message": "Skipped: whole module skipped", "path": "/tmp/pyjx/tests/sub/test_modskip.py", "line": 2}, "text": "('/tmp/pyjx/tests/sub/test_modskip.py', 2, 'Skipped: whole module skipped')", "t": 1795665388.760521}
        {"event": "start", "nodeid": "tests/test_mix.py::test_fail", "file": "tests/test_mix.py", "t": 1795665388.770811}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fail", "when": "setup", "outcome": "passed", "duration": 0.00031764499999553664, "file": "tests/test_mix.py", "t": 1795665388.771468}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fail", "when": "call", "outcome": "failed", "duration": 0.00039706300049147103, "file": "tests/test_mix.py", "crash": {"message": "AssertionError: math is broken\nassert (1 + 1) == 3", "path": "/tmp/pyjx/tests/test_mix.py", "line": 8}, "text": "def test_fail():\n>       assert 1 + 1 == 3, \"math is broken\"\nE       AssertionError: math is broken\nE       assert (1 + 1) == 3\n\ntests/test_mix.py:8: AssertionError", "t": 1795665388.782734}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fail", "when": "teardown", "outcome": "passed", "duration": 0.00028698799997073365, "file": "tests/test_mix.py", "t": 1795665388.78346}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_fail", "t": 1795665388.783508}
        {"event": "start", "nodeid": "tests/test_mix.py::test_skip", "file": "tests/test_mix.py", "t": 1795665388.783825}
        {"event": "report", "nodeid": "tests/test_mix.py::test_skip", "when": "setup", "outcome": "skipped", "duration": 0.0001557019995743758, "file": "tests/test_mix.py", "crash": {"message": "Skipped: not today", "path": "/tmp/pyjx/tests/test_mix.py", "line": 14}, "text": "('/tmp/pyjx/tests/test_mix.py', 14, 'Skipped: not today')", "t": 1795665388.784383}
        {"event": "report", "nodeid": "tests/test_mix.py::test_skip", "when": "teardown", "outcome": "passed", "duration": 0.00013579400001617614, "file": "tests/test_mix.py", "t": 1795665388.784682}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_skip", "t": 1795665388.784721}
        {"event": "start", "nodeid": "tests/test_mix.py::test_skip_inside", "file": "tests/test_mix.py", "t": 1795665388.784893}
        {"event": "report", "nodeid": "tests/test_mix.py::test_skip_inside", "when": "setup", "outcome": "passed", "duration": 0.00013644499995280057, "file": "tests/test_mix.py", "t": 1795665388.785127}
        {"event": "report", "nodeid": "tests/test_mix.py::test_skip_inside", "when": "call", "outcome": "skipped", "duration": 0.0002035609995800769, "file": "tests/test_mix.py", "crash": {"message": "Skipped: runtime skip", "path": "/tmp/pyjx/tests/test_mix.py", "line": 19}, "text": "('/tmp/pyjx/tests/test_mix.py', 19, 'Skipped: runtime skip')", "t": 1795665388.785652}
        {"event": "report", "nodeid": "tests/test_mix.py::test_skip_inside", "when": "teardown", "outcome": "passed", "duration": 0.00011682900003506802, "file": "tests/test_mix.py", "t": 1795665388.78594}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_skip_inside", "t": 1795665388.785999}
        {"event": "start", "nodeid": "tests/test_mix.py::test_xfail", "file": "tests/test_mix.py", "t": 1795665388.786209}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xfail", "when": "setup", "outcome": "passed", "duration": 0.01251327299996774, "file": "tests/test_mix.py", "t": 1795665388.798968}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xfail", "when": "call", "outcome": "skipped", "duration": 0.0003425819995754864, "file": "tests/test_mix.py", "xfail": "known bug", "crash": {"message": "assert 0", "path": "/tmp/pyjx/tests/test_mix.py", "line": 23}, "text": "@pytest.mark.xfail(reason=\"known bug\")\n    def test_xfail():\n>       assert 0\nE       assert 0\n\ntests/test_mix.py:23: AssertionError", "t": 1795665388.802154}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xfail", "when": "teardown", "outcome": "passed", "duration": 0.0044964359994992265, "file": "tests/test_mix.py", "t": 1795665388.807016}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_xfail", "t": 1795665388.807095}
        {"event": "start", "nodeid": "tests/test_mix.py::test_xpass_strict", "file": "tests/test_mix.py", "t": 1795665388.807481}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xpass_strict", "when": "setup", "outcome": "passed", "duration": 0.0001913980004246696, "file": "tests/test_mix.py", "t": 1795665388.80781}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xpass_strict", "when": "call", "outcome": "failed", "duration": 0.00014510200071526924, "file": "tests/test_mix.py", "crash": {"message": "[XPASS(strict)] should fail"}, "text": "[XPASS(strict)] should fail", "t": 1795665388.808175}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xpass_strict", "when": "teardown", "outcome": "passed", "duration": 0.00014619400008086814, "file": "tests/test_mix.py", "t": 1795665388.808463}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_xpass_strict", "t": 1795665388.808499}
        {"event": "start", "nodeid": "tests/test_mix.py::test_xpass", "file": "tests/test_mix.py", "t": 1795665388.808683}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xpass", "when": "setup", "outcome": "passed", "duration": 0.0001247529999091057, "file": "tests/test_mix.py", "t": 1795665388.808899}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xpass", "when": "call", "outcome": "passed", "duration": 0.0001206560000355239, "file": "tests/test_mix.py", "xfail": "may pass", "t": 1795665388.809162}
        {"event": "report", "nodeid": "tests/test_mix.py::test_xpass", "when": "teardown", "outcome": "passed", "duration": 0.00010326400024496252, "file": "tests/test_mix.py", "t": 1795665388.809414}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_xpass", "t": 1795665388.809448}
        {"event": "start", "nodeid": "tests/test_mix.py::test_fixture_error", "file": "tests/test_mix.py", "t": 1795665388.809602}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fixture_error", "when": "setup", "outcome": "failed", "duration": 0.0002598669998405967, "file": "tests/test_mix.py", "crash": {"message": "RuntimeError: Failed to start Docker services", "path": "/tmp/pyjx/tests/test_mix.py", "line": 35}, "text": "@pytest.fixture\n    def broken():\n>       raise RuntimeError(\"Failed to start Docker services\")\nE       RuntimeError: Failed to start Docker services\n\ntests/test_mix.py:35: RuntimeError", "t": 1795665388.825265}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fixture_error", "when": "teardown", "outcome": "passed", "duration": 0.00028074500005459413, "file": "tests/test_mix.py", "t": 1795665388.825869}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_fixture_error", "t": 1795665388.82591}
        {"event": "start", "nodeid": "tests/test_mix.py::test_teardown_error", "file": "tests/test_mix.py", "t": 1795665388.826144}
        {"event": "report", "nodeid": "tests/test_mix.py::test_teardown_error", "when": "setup", "outcome": "passed", "duration": 0.008611388999270275, "file": "tests/test_mix.py", "t": 1795665388.834987}
        {"event": "report", "nodeid": "tests/test_mix.py::test_teardown_error", "when": "call", "outcome": "passed", "duration": 0.00025305400049546733, "file": "tests/test_mix.py", "t": 1795665388.835572}
        {"event": "report", "nodeid": "tests/test_mix.py::test_teardown_error", "when": "teardown", "outcome": "failed", "duration": 0.00018057800025417237, "file": "tests/test_mix.py", "crash": {"message": "ValueError: teardown exploded", "path": "/tmp/pyjx/tests/test_mix.py", "line": 43}, "text": "@pytest.fixture\n    def bad_teardown():\n        yield 1\n>       raise ValueError(\"teardown exploded\")\nE       ValueError: teardown exploded\n\ntests/test_mix.py:43: ValueError", "t": 1795665388.847369}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_teardown_error", "t": 1795665388.847525}
        {"event": "start", "nodeid": "tests/test_mix.py::test_fail_and_teardown_error", "file": "tests/test_mix.py", "t": 1795665388.84791}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fail_and_teardown_error", "when": "setup", "outcome": "passed", "duration": 0.0004062200005137129, "file": "tests/test_mix.py", "t": 1795665388.848481}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fail_and_teardown_error", "when": "call", "outcome": "failed", "duration": 0.00023563100057799602, "file": "tests/test_mix.py", "crash": {"message": "assert False", "path": "/tmp/pyjx/tests/test_mix.py", "line": 49}, "text": "bad_teardown = 1\n\n    def test_fail_and_teardown_error(bad_teardown):\n>       assert False\nE       assert False\n\ntests/test_mix.py:49: AssertionError", "t": 1795665388.859685}
        {"event": "report", "nodeid": "tests/test_mix.py::test_fail_and_teardown_error", "when": "teardown", "outcome": "failed", "duration": 0.0002857649997167755, "file": "tests/test_mix.py", "crash": {"message": "ValueError: teardown exploded", "path": "/tmp/pyjx/tests/test_mix.py", "line": 43}, "text": "@pytest.fixture\n    def bad_teardown():\n        yield 1\n>       raise ValueError(\"teardown exploded\")\nE       ValueError: teardown exploded\n\ntests/test_mix.py:43: ValueError", "t": 1795665388.870975}
        {"event": "finish", "nodeid": "tests/test_mix.py::test_fail_and_teardown_error", "t": 1795665388.871126}
        {"event": "start", "nodeid": "tests/test_mix.py::TestX::test_y", "file": "tests/test_mix.py", "t": 1795665388.871589}
        {"event": "report", "nodeid": "tests/test_mix.py::TestX::test_y", "when": "setup", "outcome": "passed", "duration": 0.00026763000005303184, "file": "tests/test_mix.py", "t": 1795665388.872045}
        {"event": "report", "nodeid": "tests/test_mix.py::TestX::test_y", "when": "call", "outcome": "passed", "duration": 0.00018049799928121502, "file": "tests/test_mix.py", "t": 1795665388.872404}
        {"event": "report", "nodeid": "tests/test_mix.py::TestX::test_y", "when": "teardown", "outcome": "passed", "duration": 0.00012098600018362049, "file": "tests/test_mix.py", "t": 1795665388.872665}
        {"event": "finish", "nodeid": "tests/test_mix.py::TestX::test_y", "t": 1795665388.872703}
        {"event": "sessionfinish", "exitstatus": 1, "t": 1795665388.87355}
        {"event": "start", "nodeid": "tests/test_mix.py::test_hang", "file": "tests/test_mix.py", "t": 1795664800.0}
        {"event": "report", "nodeid": "tests/test_mix.py::test_ha
        """#

    /// The `--junitxml` of the same run.
    static let mixedSuiteJUnit = #"""
        <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="4" failures="3" skipped="4" tests="13" time="0.277" timestamp="2026-11-26T03:56:28.596557+00:00" hostname="vm"><testcase classname="" name="tests.test_bad" file="tests/test_bad.py" time="0.000"><error message="collection failure">ImportError while importing test module '/tmp/pyjx/tests/test_bad.py'.
        Hint: make sure your test modules/packages have valid Python names.
        Traceback:
        /root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module
            return _bootstrap._gcd_import(name[level:], package, level)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        tests/test_bad.py:1: in &lt;module&gt;
            import nonexistent_module_xyz
        E   ModuleNotFoundError: No module named 'nonexistent_module_xyz'</error></testcase><testcase classname="" name="tests.sub.test_modskip" file="tests/sub/test_modskip.py" time="0.000"><skipped message="collection skipped">('/tmp/pyjx/tests/sub/test_modskip.py', 2, 'Skipped: whole module skipped')</skipped></testcase><testcase classname="tests.test_mix" name="test_fail" file="tests/test_mix.py" line="6" time="0.001"><failure message="AssertionError: math is broken&#10;assert (1 + 1) == 3">def test_fail():
        &gt;       assert 1 + 1 == 3, "math is broken"
        E       AssertionError: math is broken
        E       assert (1 + 1) == 3

        tests/test_mix.py:8: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_skip" file="tests/test_mix.py" line="13" time="0.000"><skipped type="pytest.skip" message="not today">/tmp/pyjx/tests/test_mix.py:14: not today</skipped></testcase><testcase classname="tests.test_mix" name="test_skip_inside" file="tests/test_mix.py" line="17" time="0.000"><skipped type="pytest.skip" message="runtime skip">/tmp/pyjx/tests/test_mix.py:19: runtime skip</skipped></testcase><testcase classname="tests.test_mix" name="test_xfail" file="tests/test_mix.py" line="20" time="0.017"><skipped type="pytest.xfail" message="known bug" /></testcase><testcase classname="tests.test_mix" name="test_xpass_strict" file="tests/test_mix.py" line="24" time="0.000"><failure message="[XPASS(strict)] should fail">[XPASS(strict)] should fail</failure></testcase><testcase classname="tests.test_mix" name="test_xpass" file="tests/test_mix.py" line="28" time="0.000" /><testcase classname="tests.test_mix" name="test_fixture_error" file="tests/test_mix.py" line="36" time="0.001"><error message="failed on setup with &quot;RuntimeError: Failed to start Docker services&quot;">@pytest.fixture
            def broken():
        &gt;       raise RuntimeError("Failed to start Docker services")
        E       RuntimeError: Failed to start Docker services

        tests/test_mix.py:35: RuntimeError</error></testcase><testcase classname="tests.test_mix" name="test_teardown_error" file="tests/test_mix.py" line="44" time="0.009"><error message="failed on teardown with &quot;ValueError: teardown exploded&quot;">@pytest.fixture
            def bad_teardown():
                yield 1
        &gt;       raise ValueError("teardown exploded")
        E       ValueError: teardown exploded

        tests/test_mix.py:43: ValueError</error></testcase><testcase classname="tests.test_mix" name="test_fail_and_teardown_error" file="tests/test_mix.py" line="47" time="0.001"><failure message="assert False">bad_teardown = 1

            def test_fail_and_teardown_error(bad_teardown):
        &gt;       assert False
        E       assert False

        tests/test_mix.py:49: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_fail_and_teardown_error" file="tests/test_mix.py" line="47" time="0.000"><error message="failed on teardown with &quot;ValueError: teardown exploded&quot;">@pytest.fixture
            def bad_teardown():
                yield 1
        &gt;       raise ValueError("teardown exploded")
        E       ValueError: teardown exploded

        tests/test_mix.py:43: ValueError</error></testcase><testcase classname="tests.test_mix.TestX" name="test_y" file="tests/test_mix.py" line="55" time="0.001" /></testsuite></testsuites>
        """#
}
