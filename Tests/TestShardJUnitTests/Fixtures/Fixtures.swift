/// Real JUnit files written by the runners TestShard reads, kept verbatim (see each comment for the
/// command that produced it).
enum Fixtures {
    /// pytest 9.0.3, `-o junit_family=xunit1 --continue-on-collection-errors --junitxml=… tests` over
    /// tests/test_mix.py (pass, fail, control characters, skips, xfail, xpass, fixture setup and teardown
    /// errors, parametrize, nested classes), tests/test_bad.py (import error) and tests/sub (module skip,
    /// empty file, one passing test).
    static let pytestXunit1 = #"""
        <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="4" failures="7" skipped="4" tests="22" time="0.165" timestamp="2026-11-26T02:54:23.081604+00:00" hostname="vm"><testcase classname="" name="tests.sub.test_modskip" file="tests/sub/test_modskip.py" time="0.000"><skipped message="collection skipped">('/tmp/pyjx/tests/sub/test_modskip.py', 2, 'Skipped: whole module skipped')</skipped></testcase><testcase classname="" name="tests.test_bad" file="tests/test_bad.py" time="0.000"><error message="collection failure">ImportError while importing test module '/tmp/pyjx/tests/test_bad.py'.
        Hint: make sure your test modules/packages have valid Python names.
        Traceback:
        /root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module
            return _bootstrap._gcd_import(name[level:], package, level)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        tests/test_bad.py:1: in &lt;module&gt;
            import nonexistent_module_xyz
        E   ModuleNotFoundError: No module named 'nonexistent_module_xyz'</error></testcase><testcase classname="tests.sub.test_ok" name="test_one" file="tests/sub/test_ok.py" line="0" time="0.001" /><testcase classname="tests.test_mix" name="test_pass" file="tests/test_mix.py" line="2" time="0.001" /><testcase classname="tests.test_mix" name="test_fail" file="tests/test_mix.py" line="6" time="0.001"><failure message="AssertionError: math is broken&#10;assert (1 + 1) == 3">def test_fail():
        &gt;       assert 1 + 1 == 3, "math is broken"
        E       AssertionError: math is broken
        E       assert (1 + 1) == 3

        tests/test_mix.py:8: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_ctrl" file="tests/test_mix.py" line="9" time="0.001"><failure message="AssertionError: bad #x02 char &lt;&amp;&gt;&quot;&#10;assert False">def test_ctrl():
                print("bell \x07 and esc \x1b[31mred\x1b[0m and nul-ish \x01")
        &gt;       assert False, "bad \x02 char &lt;&amp;&gt;\""
        E       AssertionError: bad #x02 char &lt;&amp;&gt;"
        E       assert False

        tests/test_mix.py:12: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_skip" file="tests/test_mix.py" line="13" time="0.000"><skipped type="pytest.skip" message="not today">/tmp/pyjx/tests/test_mix.py:14: not today</skipped></testcase><testcase classname="tests.test_mix" name="test_skip_inside" file="tests/test_mix.py" line="17" time="0.001"><skipped type="pytest.skip" message="runtime skip">/tmp/pyjx/tests/test_mix.py:19: runtime skip</skipped></testcase><testcase classname="tests.test_mix" name="test_xfail" file="tests/test_mix.py" line="20" time="0.001"><skipped type="pytest.xfail" message="known bug" /></testcase><testcase classname="tests.test_mix" name="test_xpass_strict" file="tests/test_mix.py" line="24" time="0.000"><failure message="[XPASS(strict)] should fail">[XPASS(strict)] should fail</failure></testcase><testcase classname="tests.test_mix" name="test_xpass" file="tests/test_mix.py" line="28" time="0.000" /><testcase classname="tests.test_mix" name="test_fixture_error" file="tests/test_mix.py" line="36" time="0.001"><error message="failed on setup with &quot;RuntimeError: Failed to start Docker services&quot;">@pytest.fixture
            def broken():
        &gt;       raise RuntimeError("Failed to start Docker services")
        E       RuntimeError: Failed to start Docker services

        tests/test_mix.py:35: RuntimeError</error></testcase><testcase classname="tests.test_mix" name="test_teardown_error" file="tests/test_mix.py" line="44" time="0.001"><error message="failed on teardown with &quot;ValueError: teardown exploded&quot;">@pytest.fixture
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

        tests/test_mix.py:43: ValueError</error></testcase><testcase classname="tests.test_mix" name="test_param[1]" file="tests/test_mix.py" line="50" time="0.001"><failure message="assert 1 != 1">x = 1

            @pytest.mark.parametrize("x", [1, "a::b", "c.d", "ü"])
            def test_param(x):
        &gt;       assert x != 1
        E       assert 1 != 1

        tests/test_mix.py:53: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_param[a::b]" file="tests/test_mix.py" line="50" time="0.001" /><testcase classname="tests.test_mix" name="test_param[c.d]" file="tests/test_mix.py" line="50" time="0.001" /><testcase classname="tests.test_mix" name="test_param[\xfc]" file="tests/test_mix.py" line="50" time="0.001" /><testcase classname="tests.test_mix.TestX" name="test_y" file="tests/test_mix.py" line="55" time="0.001" /><testcase classname="tests.test_mix.TestX.TestInner" name="test_z" file="tests/test_mix.py" line="58" time="0.001"><failure message="KeyError: 'k'">self = &lt;test_mix.TestX.TestInner object at 0x7f0382c1e750&gt;

            def test_z(self):
        &gt;       raise KeyError("k")
        E       KeyError: 'k'

        tests/test_mix.py:60: KeyError</failure></testcase><testcase classname="tests.test_mix" name="test_unicode" file="tests/test_mix.py" line="61" time="0.001"><failure message="AssertionError: ünïcödé&#10;assert 'é' == 'e'&#10;  &#10;  - e&#10;  + é">def test_unicode():
        &gt;       assert "é" == "e", "ünïcödé"
        E       AssertionError: ünïcödé
        E       assert 'é' == 'e'
        E         
        E         - e
        E         + é

        tests/test_mix.py:63: AssertionError</failure></testcase></testsuite></testsuites>
        """#

    /// The same suite with pytest's default `xunit2` family: no `file` or `line` attributes.
    static let pytestXunit2 = #"""
        <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="4" failures="7" skipped="4" tests="22" time="0.091" timestamp="2026-11-26T02:54:25.137405+00:00" hostname="vm"><testcase classname="" name="tests.sub.test_modskip" time="0.000"><skipped message="collection skipped">('/tmp/pyjx/tests/sub/test_modskip.py', 2, 'Skipped: whole module skipped')</skipped></testcase><testcase classname="" name="tests.test_bad" time="0.000"><error message="collection failure">ImportError while importing test module '/tmp/pyjx/tests/test_bad.py'.
        Hint: make sure your test modules/packages have valid Python names.
        Traceback:
        /root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module
            return _bootstrap._gcd_import(name[level:], package, level)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        tests/test_bad.py:1: in &lt;module&gt;
            import nonexistent_module_xyz
        E   ModuleNotFoundError: No module named 'nonexistent_module_xyz'</error></testcase><testcase classname="tests.sub.test_ok" name="test_one" time="0.001" /><testcase classname="tests.test_mix" name="test_pass" time="0.000" /><testcase classname="tests.test_mix" name="test_fail" time="0.001"><failure message="AssertionError: math is broken&#10;assert (1 + 1) == 3">def test_fail():
        &gt;       assert 1 + 1 == 3, "math is broken"
        E       AssertionError: math is broken
        E       assert (1 + 1) == 3

        tests/test_mix.py:8: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_ctrl" time="0.001"><failure message="AssertionError: bad #x02 char &lt;&amp;&gt;&quot;&#10;assert False">def test_ctrl():
                print("bell \x07 and esc \x1b[31mred\x1b[0m and nul-ish \x01")
        &gt;       assert False, "bad \x02 char &lt;&amp;&gt;\""
        E       AssertionError: bad #x02 char &lt;&amp;&gt;"
        E       assert False

        tests/test_mix.py:12: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_skip" time="0.000"><skipped type="pytest.skip" message="not today">/tmp/pyjx/tests/test_mix.py:14: not today</skipped></testcase><testcase classname="tests.test_mix" name="test_skip_inside" time="0.000"><skipped type="pytest.skip" message="runtime skip">/tmp/pyjx/tests/test_mix.py:19: runtime skip</skipped></testcase><testcase classname="tests.test_mix" name="test_xfail" time="0.001"><skipped type="pytest.xfail" message="known bug" /></testcase><testcase classname="tests.test_mix" name="test_xpass_strict" time="0.000"><failure message="[XPASS(strict)] should fail">[XPASS(strict)] should fail</failure></testcase><testcase classname="tests.test_mix" name="test_xpass" time="0.000" /><testcase classname="tests.test_mix" name="test_fixture_error" time="0.000"><error message="failed on setup with &quot;RuntimeError: Failed to start Docker services&quot;">@pytest.fixture
            def broken():
        &gt;       raise RuntimeError("Failed to start Docker services")
        E       RuntimeError: Failed to start Docker services

        tests/test_mix.py:35: RuntimeError</error></testcase><testcase classname="tests.test_mix" name="test_teardown_error" time="0.000"><error message="failed on teardown with &quot;ValueError: teardown exploded&quot;">@pytest.fixture
            def bad_teardown():
                yield 1
        &gt;       raise ValueError("teardown exploded")
        E       ValueError: teardown exploded

        tests/test_mix.py:43: ValueError</error></testcase><testcase classname="tests.test_mix" name="test_fail_and_teardown_error" time="0.001"><failure message="assert False">bad_teardown = 1

            def test_fail_and_teardown_error(bad_teardown):
        &gt;       assert False
        E       assert False

        tests/test_mix.py:49: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_fail_and_teardown_error" time="0.000"><error message="failed on teardown with &quot;ValueError: teardown exploded&quot;">@pytest.fixture
            def bad_teardown():
                yield 1
        &gt;       raise ValueError("teardown exploded")
        E       ValueError: teardown exploded

        tests/test_mix.py:43: ValueError</error></testcase><testcase classname="tests.test_mix" name="test_param[1]" time="0.001"><failure message="assert 1 != 1">x = 1

            @pytest.mark.parametrize("x", [1, "a::b", "c.d", "ü"])
            def test_param(x):
        &gt;       assert x != 1
        E       assert 1 != 1

        tests/test_mix.py:53: AssertionError</failure></testcase><testcase classname="tests.test_mix" name="test_param[a::b]" time="0.001" /><testcase classname="tests.test_mix" name="test_param[c.d]" time="0.000" /><testcase classname="tests.test_mix" name="test_param[\xfc]" time="0.000" /><testcase classname="tests.test_mix.TestX" name="test_y" time="0.000" /><testcase classname="tests.test_mix.TestX.TestInner" name="test_z" time="0.000"><failure message="KeyError: 'k'">self = &lt;test_mix.TestX.TestInner object at 0x7fb5b4d49890&gt;

            def test_z(self):
        &gt;       raise KeyError("k")
        E       KeyError: 'k'

        tests/test_mix.py:60: KeyError</failure></testcase><testcase classname="tests.test_mix" name="test_unicode" time="0.001"><failure message="AssertionError: ünïcödé&#10;assert 'é' == 'e'&#10;  &#10;  - e&#10;  + é">def test_unicode():
        &gt;       assert "é" == "e", "ünïcödé"
        E       AssertionError: ünïcödé
        E       assert 'é' == 'e'
        E         
        E         - e
        E         + é

        tests/test_mix.py:63: AssertionError</failure></testcase></testsuite></testsuites>
        """#

    /// pytest 9.0.3 interrupted by SIGINT while `test_b.py::test_hang` slept: the interrupted test is a
    /// nameless `<testcase time="0.000" />`.
    static let pytestInterrupted = #"""
        <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2" time="2.349" timestamp="2026-11-26T02:59:53.244374+00:00" hostname="vm"><testcase classname="test_a" name="test_1" time="0.001" /><testcase classname="test_a" name="test_2" time="0.001"><failure message="assert 0">&gt;   def test_2(): assert 0
                          ^^^^^^^^
        E   assert 0

        test_a.py:2: AssertionError</failure></testcase><testcase time="0.000" /></testsuite></testsuites>
        """#

    /// pytest 9.0.3 collection errors: a module raising at import, and a syntax error (rootdir = the folder).
    static let pytestCollectionErrors = #"""
        <?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="2" failures="0" skipped="0" tests="2" time="0.463" timestamp="2026-11-26T03:01:28.967891+00:00" hostname="vm"><testcase classname="" name="test_rt" time="0.000"><error message="collection failure">test_rt.py:1: in &lt;module&gt;
            raise RuntimeError("boom at import")
        E   RuntimeError: boom at import</error></testcase><testcase classname="" name="test_syn" time="0.000"><error message="collection failure">/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/_pytest/python.py:507: in importtestmodule
            mod = import_path(
        /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/_pytest/pathlib.py:587: in import_path
            importlib.import_module(module_name)
        /root/.pyenv/versions/3.11.7/lib/python3.11/importlib/__init__.py:126: in import_module
            return _bootstrap._gcd_import(name[level:], package, level)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        &lt;frozen importlib._bootstrap&gt;:1204: in _gcd_import
            ???
        &lt;frozen importlib._bootstrap&gt;:1176: in _find_and_load
            ???
        &lt;frozen importlib._bootstrap&gt;:1147: in _find_and_load_unlocked
            ???
        &lt;frozen importlib._bootstrap&gt;:690: in _load_unlocked
            ???
        /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/_pytest/assertion/rewrite.py:188: in exec_module
            source_stat, co = _rewrite_test(fn, self.config)
                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        /root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/_pytest/assertion/rewrite.py:357: in _rewrite_test
            tree = ast.parse(source, filename=strfn)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        /root/.pyenv/versions/3.11.7/lib/python3.11/ast.py:50: in parse
            return compile(source, filename, mode, flags,
        E     File "/tmp/pysyn/test_syn.py", line 1
        E       def test_x(:
        E                  ^
        E   SyntaxError: invalid syntax</error></testcase></testsuite></testsuites>
        """#

    /// node v20.20.2 `node --test --test-reporter=junit test/a.test.mjs test/b.test.mjs`.
    static let nodeTest = #"""
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites>
        	<testcase name="adds" time="0.002484" classname="test"/>
        	<testcase name="fails" time="0.002689" classname="test" failure="math &lt;broken> &amp; &amp;quot;quoted&amp;quot;2 !== 3">
        		<failure type="testCodeFailure" message="math &lt;broken> &amp; &amp;quot;quoted&amp;quot;2 !== 3">
        [Error [ERR_TEST_FAILURE]: math &lt;broken> &amp; "quoted"

        2 !== 3
        ] {
          code: 'ERR_TEST_FAILURE',
          failureType: 'testCodeFailure',
          cause: AssertionError [ERR_ASSERTION]: math &lt;broken> &amp; "quoted"
          
          2 !== 3
          
              at TestContext.&lt;anonymous> (file:///tmp/nodej/test/a.test.mjs:4:30)
              at Test.runInAsyncScope (node:async_hooks:206:9)
              at Test.run (node:internal/test_runner/test:796:25)
              at Test.processPendingSubtests (node:internal/test_runner/test:526:18)
              at Test.postRun (node:internal/test_runner/test:889:19)
              at Test.run (node:internal/test_runner/test:835:12)
              at async Test.processPendingSubtests (node:internal/test_runner/test:526:7) {
            generatedMessage: false,
            code: 'ERR_ASSERTION',
            actual: 2,
            expected: 3,
            operator: 'strictEqual'
          }
        }
        		</failure>
        	</testcase>
        	<testcase name="skipped" time="0.000234" classname="test">
        		<skipped type="skipped" message="not now"/>
        	</testcase>
        	<testcase name="todo" time="0.000203" classname="test">
        		<skipped type="todo" message="true"/>
        	</testcase>
        	<testsuite name="group" time="0.003614" disabled="0" errors="0" tests="2" failures="1" skipped="0" hostname="vm">
        		<testcase name="inner ok" time="0.000386" classname="test"/>
        		<testcase name="inner throws" time="0.000301" classname="test" failure="bad type">
        			<failure type="testCodeFailure" message="bad type">
        Error [ERR_TEST_FAILURE]: bad type
            at async Promise.all (index 0) {
          code: 'ERR_TEST_FAILURE',
          failureType: 'testCodeFailure',
          cause: TypeError [Error]: bad type
              at TestContext.&lt;anonymous> (file:///tmp/nodej/test/a.test.mjs:9:38)
              at Test.runInAsyncScope (node:async_hooks:206:9)
              at Test.run (node:internal/test_runner/test:796:25)
              at Suite.processPendingSubtests (node:internal/test_runner/test:526:18)
              at Test.postRun (node:internal/test_runner/test:889:19)
              at Test.run (node:internal/test_runner/test:835:12)
              at async Promise.all (index 0)
              at async Suite.run (node:internal/test_runner/test:1135:7)
              at async Test.processPendingSubtests (node:internal/test_runner/test:526:7)
        }
        			</failure>
        		</testcase>
        	</testsuite>
        	<testcase name="b one" time="0.002614" classname="test"/>
        	<!-- tests 7 -->
        	<!-- suites 1 -->
        	<!-- pass 3 -->
        	<!-- fail 2 -->
        	<!-- cancelled 0 -->
        	<!-- skipped 1 -->
        	<!-- todo 1 -->
        	<!-- duration_ms 718.55469 -->
        </testsuites>
        """#

    /// `swift test --xunit-output` (Swift 6.3.1), the swift-testing half.
    static let swiftTesting = #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites>
          <testsuite name="TestResults" errors="0" tests="4" failures="2" skipped="1" time="0.004370661">
            <testcase classname="LibTests" name="freeFunction()" time="0.000999912" />
            <testcase classname="LibTests.MathSuite" name="adds()" time="0.002357824" />
            <testcase classname="LibTests.MathSuite" name="disabled()" >
              <skipped>off</skipped>
            </testcase>
            <testcase classname="LibTests.MathSuite" name="fails()" time="0.002838985" >
              <failure message="Expectation failed: (add(1, 2) &#8594; 3) == 4 (error): nope" />
            </testcase>
            <testcase classname="LibTests.MathSuite" name="param(x:)" time="0.002375897" >
              <failure message="Expectation failed: (x &#8594; 2) == 1 (error)" />
            </testcase>
          </testsuite>
        </testsuites>
        """#

    /// `swift test --parallel --xunit-output` (Swift 6.3.1), the XCTest half.
    static let swiftXCTest = #"""
        <?xml version="1.0" encoding="UTF-8"?>

        <testsuites>
        <testsuite name="TestResults" errors="0" tests="3" failures="1" time="0.176613003">
        <testcase classname="LibTests.MathXCTests" name="testAdd" time="0.06359688">
        </testcase>
        <testcase classname="LibTests.MathXCTests" name="testFail" time="0.06668453">
        <failure message="failure"></failure>
        </testcase>
        <testcase classname="LibTests.MathXCTests" name="testSkip" time="0.046331593">
        </testcase>
        </testsuite>
        </testsuites>
        """#
}
