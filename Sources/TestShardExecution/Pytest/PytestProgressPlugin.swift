/// TestShard's pytest plugin, written next to each shard and loaded through `PYTEST_PLUGINS`, so
/// the worker binary is self-contained and the user's command stays as configured.
///
/// It appends one JSON line per event to `$TESTSHARD_PROGRESS_FILE`:
///
/// | event           | fields                                                            |
/// |-----------------|-------------------------------------------------------------------|
/// | `session`       | `rootdir` (node ids are relative to it), `invocation_dir`, `pid`  |
/// | `collectstart`  | `nodeid` of a test file                                           |
/// | `collectreport` | `nodeid`, `outcome`, `crash`, `text` for a file's collection      |
/// | `start`         | `nodeid` of a test about to run                                   |
/// | `report`        | `nodeid`, `when` (setup/call/teardown), `outcome`, `duration`, `crash`, `text`, `xfail` |
/// | `finish`        | `nodeid` of a test whose teardown is done                          |
/// | `sessionfinish` | `exitstatus`                                                      |
///
/// Passed `report`s and passed `collectreport`s are not flushed on their own: the test's `finish`,
/// the next file's `collectstart` or the first test's `start` follows at once and flushes them (as
/// do `interrupted` when the process is stopped, and the session's end). Every other record is
/// flushed as it is written, so what is on disk when a shard is killed names the test or file that
/// was running, every test finished before it, and any failure reported so far. A test's usual
/// records (`start`, a passed `report` per phase, `finish`) and a file's are formatted directly
/// rather than through `json.dumps`; reports with a crash, an xfail or anything else unusual still
/// go through it. Measured with cProfile on 1000 three-test files: the plugin took 7.8–7.9 % of
/// the shard's pytest time with five `json.dumps` and five flushes per test, and 4.4 % after.
///
/// At the very end of the session (`pytest_unconfigure`, last) it calls `gc.freeze()`, so the
/// interpreter's final collection at exit skips every object the session built: measured on 2260
/// small files, the process took 2.4–2.8 s from `sessionfinish` to exit without it and 0.3–0.5 s
/// with it — time that grows with the files in a shard. Objects in reference cycles left at exit
/// are then not finalized by that last collection (Python never promised it; `atexit` handlers
/// and `weakref.finalize` still run). `TESTSHARD_PYTEST_GC_FREEZE=0` in the worker's environment
/// turns it off.
///
/// Only the outermost session in the process is the shard's. A session started inside it (pytester's
/// inline runs, in suites that test pytest plugins) gets none of this: no selection (it would
/// collect nothing), no progress records, no freeze.
///
/// With `--testshard-items=FILE` in the command it also selects the shard's items itself (folders
/// holding no listed file are not entered), which is how a shard is best handed to pytest: a few
/// folder arguments plus a list, rather than one argument per file (DESIGN.md, "How a shard is
/// handed to pytest").
enum PytestProgressPlugin {
    /// The module name to put in `PYTEST_PLUGINS`.
    static let moduleName = "testshard_progress"

    /// The plugin's Python source.
    static let source = #"""
        """TestShard's pytest plugin, loaded by the worker through PYTEST_PLUGINS.

        1. Progress: one JSON line per event, flushed at once, appended to $TESTSHARD_PROGRESS_FILE, so
           a shard killed in the middle still tells which test was running and which ones finished.
        2. Selection (only with --testshard-items=FILE): collect only the files and node ids listed in
           FILE, one per line, relative to the current folder. Folders without a listed file are not
           even entered, so a shard can be handed to pytest as a folder plus a list instead of thousands
           of arguments. A listed file is collected as if it were named on the command line. A listed
           file that is never collected is a usage error, never a silent pass.
        3. A quick exit: gc.freeze() at the very end, so the interpreter's last collection skips what
           the session built (seconds for thousands of files). TESTSHARD_PYTEST_GC_FREEZE=0 turns it off.
        """
        import gc
        import json
        import math
        import os
        import sys
        import time

        import pytest

        _MAX_TEXT = 4000
        # depth: sessions configured and not yet unconfigured in this process. Only the outermost (depth 1)
        # is the shard's; a session inside it (pytester's inline runs) belongs to the test that started it.
        _state = {"enabled": True, "out": None, "selection": None, "config": None, "nodeid": None, "interrupted": None, "depth": 0}


        def _active():
            """True in the shard's own session with the progress file open; every writer checks it first.
            The file is opened when the shard's session is configured, and only then."""
            return _state["out"] is not None and _state["depth"] == 1


        def _write(line, flush=True):
            try:
                _state["out"].write(line)
                if flush:
                    _state["out"].flush()
            except Exception:
                # Progress is best effort: it must never change the outcome of the run.
                pass


        def _emit(record, flush=True):
            record["t"] = round(time.time(), 6)
            try:
                line = json.dumps(record, ensure_ascii=True) + "\n"
            except Exception:
                return
            _write(line, flush)


        try:
            from json.encoder import encode_basestring_ascii as _quoted
        except ImportError:  # pragma: no cover - every CPython has it
            def _quoted(text):
                return json.dumps(text, ensure_ascii=True)


        def _formatted(template, texts, numbers=(), flush=True):
            """Writes `template` filled with the texts JSON-quoted, the numbers and the time, without
            json.dumps, and returns True; returns False, writing nothing, when a text is not a str (the
            caller then emits the record through json.dumps)."""
            for text in texts:
                if type(text) is not str:
                    return False
            _write(template % (*map(_quoted, texts), *numbers, time.time()), flush)
            return True


        def _bounded(text):
            text = str(text)
            if len(text) > 2 * _MAX_TEXT:
                return text[:_MAX_TEXT] + "\n[...]\n" + text[-_MAX_TEXT:]
            return text


        def _crash(report):
            longrepr = report.longrepr
            if longrepr is None:
                return None
            if isinstance(longrepr, tuple) and len(longrepr) == 3:
                return {"message": _bounded(longrepr[2]), "path": str(longrepr[0]), "line": longrepr[1]}
            crash = getattr(longrepr, "reprcrash", None)
            if crash is not None:
                return {"message": _bounded(crash.message), "path": str(crash.path), "line": crash.lineno}
            lines = str(longrepr).strip().splitlines()
            return {"message": _bounded(lines[-1] if lines else "")}


        def _text(report):
            try:
                return _bounded(report.longreprtext)
            except Exception:
                return ""


        class _Selection:
            def __init__(self, base, lines):
                self.files = set()
                self.folders = set()
                self.tests = {}
                self.whole = set()
                self.seen = set()
                for line in lines:
                    item = line.strip()
                    if not item:
                        continue
                    path, separator, test = item.partition("::")
                    absolute = os.path.normpath(os.path.join(base, path))
                    self.files.add(absolute)
                    if separator:
                        self.tests.setdefault(absolute, []).append(test)
                    else:
                        self.whole.add(absolute)
                    folder = os.path.dirname(absolute)
                    while folder and folder not in self.folders:
                        self.folders.add(folder)
                        parent = os.path.dirname(folder)
                        if parent == folder:
                            break
                        folder = parent

            def ignores(self, path):
                text = os.path.normpath(str(path))
                if text in self.files:
                    return False
                if os.path.isdir(text):
                    return text not in self.folders
                return True

            def keeps(self, item):
                path = os.path.normpath(str(item.path))
                if path in self.whole:
                    return True
                inside = item.nodeid.split("::", 1)[1] if "::" in item.nodeid else ""
                for test in self.tests.get(path, ()):
                    if inside == test or inside.startswith(test + "[") or inside.startswith(test + "::"):
                        return True
                return False


        def pytest_addoption(parser):
            group = parser.getgroup("testshard")
            group.addoption(
                "--testshard-items",
                dest="testshard_items",
                default=None,
                metavar="FILE",
                help="collect only the files and node ids listed in FILE (one per line, relative to the current folder)",
            )


        @pytest.hookimpl(tryfirst=True)
        def pytest_configure(config):
            _state["depth"] += 1
            if _state["depth"] > 1:
                return
            # Under pytest-xdist the controller reports every test; workers stay quiet.
            _state["enabled"] = not hasattr(config, "workerinput")
            listing = config.getoption("testshard_items", None)
            if listing:
                with open(listing, encoding="utf-8") as handle:
                    _state["selection"] = _Selection(str(config.invocation_params.dir), handle.read().splitlines())
            _state["config"] = config
            path = os.environ.get("TESTSHARD_PROGRESS_FILE")
            if path and _state["enabled"]:
                try:
                    _state["out"] = open(path, "a", encoding="utf-8")
                except Exception:
                    _state["out"] = None
            if _active():
                _emit({"event": "session", "rootdir": str(config.rootpath), "invocation_dir": str(config.invocation_params.dir), "pid": os.getpid()})


        @pytest.hookimpl(tryfirst=True)
        def pytest_ignore_collect(collection_path, config):
            # A listed file and the folders above it are treated like paths named on the command line,
            # which pytest never checks against norecursedirs, collect_ignore or --ignore: say "keep"
            # before any of those is asked. Everything else is off the shard.
            selection = _state["selection"]
            if selection is None or _state["depth"] != 1:
                return None
            return selection.ignores(collection_path)


        def pytest_collect_file(file_path, parent):
            # pytest collects a file named as an argument whatever `python_files` says; do the same for
            # a listed file that the pattern would skip (the python plugin collects the others).
            selection = _state["selection"]
            if selection is None or _state["depth"] != 1 or file_path.suffix != ".py":
                return None
            if os.path.normpath(str(file_path)) not in selection.files or parent.session.isinitpath(file_path):
                return None
            patterns = parent.config.getini("python_files")
            try:
                from _pytest.python import path_matches_patterns

                matches = path_matches_patterns(file_path, patterns)
            except Exception:
                import fnmatch

                matches = any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns)
            if matches:
                return None
            ihook = parent.session.gethookproxy(file_path)
            return ihook.pytest_pycollect_makemodule(module_path=file_path, parent=parent)


        def pytest_collectstart(collector):
            if isinstance(collector, pytest.File) and _state["depth"] == 1:
                if _state["selection"] is not None:
                    _state["selection"].seen.add(os.path.normpath(str(collector.path)))
                if _active() and not _formatted('{"event": "collectstart", "nodeid": %s, "t": %.6f}\n', (collector.nodeid,)):
                    _emit({"event": "collectstart", "nodeid": collector.nodeid})


        def pytest_collectreport(report):
            if "::" in report.nodeid or not report.nodeid.endswith(".py"):
                return
            if not _active():
                return
            # Not flushed when passed: the next file's collectstart or the first test's start follows.
            if report.outcome == "passed" and _formatted(
                '{"event": "collectreport", "nodeid": %s, "outcome": "passed", "t": %.6f}\n', (report.nodeid,), flush=False
            ):
                return
            record = {"event": "collectreport", "nodeid": report.nodeid, "outcome": report.outcome}
            if report.outcome != "passed":
                record["crash"] = _crash(report)
                record["text"] = _text(report)
            _emit(record)


        def _deselected(config, items):
            # $TESTSHARD_DESELECT_FILE lists tests (path::test, relative to the folder pytest runs in)
            # that run as items of their own elsewhere: a split file's whole-file item runs the rest.
            listing = os.environ.get("TESTSHARD_DESELECT_FILE")
            if not listing:
                return
            try:
                with open(listing, encoding="utf-8") as handle:
                    lines = [line for line in handle.read().splitlines() if "::" in line]
            except OSError:
                return
            base = str(config.invocation_params.dir)
            wanted = {}
            for line in lines:
                path, test = line.split("::", 1)
                wanted.setdefault(os.path.normpath(os.path.join(base, path)), []).append(test)
            def out(item):
                inside = item.nodeid.split("::", 1)[1] if "::" in item.nodeid else ""
                for test in wanted.get(os.path.normpath(str(item.path)), ()):
                    if inside == test or inside.startswith(test + "[") or inside.startswith(test + "::"):
                        return True
                return False
            dropped = [item for item in items if out(item)]
            if dropped:
                config.hook.pytest_deselected(items=dropped)
                items[:] = [item for item in items if not out(item)]


        def pytest_collection_modifyitems(session, config, items):
            if _state["depth"] != 1:
                return
            _deselected(config, items)
            selection = _state["selection"]
            if selection is None:
                return
            missing = sorted(selection.files - selection.seen)
            if missing:
                raise pytest.UsageError(
                    "testshard: listed items were not collected (not under the paths given to pytest, "
                    "or not test files): " + ", ".join(os.path.relpath(path) for path in missing[:20])
                )
            kept = [item for item in items if selection.keeps(item)]
            dropped = [item for item in items if not selection.keeps(item)]
            if dropped:
                config.hook.pytest_deselected(items=dropped)
                items[:] = kept


        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_protocol(item, nextitem):
            if _state["depth"] == 1:
                _state["item"] = item
            return None


        def pytest_runtest_logstart(nodeid, location):
            if _state["depth"] != 1:
                return
            _state["nodeid"] = nodeid
            if _active() and not _formatted('{"event": "start", "nodeid": %s, "file": %s, "t": %.6f}\n', (nodeid, location[0])):
                _emit({"event": "start", "nodeid": nodeid, "file": location[0]})


        def pytest_keyboard_interrupt(excinfo):
            # A shard past its timeout gets SIGINT. The running test's output is still in pytest's
            # capture buffer (it is only attached to a report when the test ends): keep it, so the
            # worker's log ends with what the test printed last ("Waiting for service backend...").
            if _state["depth"] != 1:
                return
            text = ""
            try:
                # pytest attaches the captured output to the item as the interrupted phase unwinds;
                # older versions leave it in the global capture buffer.
                item = _state.get("item")
                for _when, key, content in getattr(item, "_report_sections", []) if item is not None else []:
                    if key in ("stdout", "stderr"):
                        text += content
                if not text:
                    capture = _state["config"].pluginmanager.getplugin("capturemanager")
                    if capture is not None:
                        out, err = capture.read_global_capture()
                        text = (out or "") + (err or "")
            except Exception:
                pass
            lines = [line for line in text.splitlines() if line.strip()][-10:]
            _state["interrupted"] = lines
            if _active():
                _emit({"event": "interrupted", "nodeid": _state["nodeid"], "output": _bounded("\n".join(lines))})


        @pytest.hookimpl(trylast=True)
        def pytest_unconfigure(config):
            _state["depth"] -= 1
            if _state["depth"] != 0:
                return
            out = _state["out"]
            if out is not None:
                try:
                    out.flush()
                except Exception:
                    pass
            lines = _state.get("interrupted")
            if lines:
                try:
                    sys.stderr.write("testshard: output of %s before it was stopped:\n" % (_state["nodeid"] or "the running test"))
                    sys.stderr.write("\n".join(lines) + "\n")
                    sys.stderr.flush()
                except Exception:
                    pass
            if os.environ.get("TESTSHARD_PYTEST_GC_FREEZE", "1") != "0":
                gc.freeze()


        def pytest_runtest_logreport(report):
            if not _active():
                return
            # A passed phase is most of what a shard reports: format it directly. It is not flushed:
            # the test's finish follows at once and flushes it.
            duration = report.duration
            if (
                report.outcome == "passed"
                and type(duration) is float
                and math.isfinite(duration)
                and not hasattr(report, "wasxfail")
                and _formatted(
                    '{"event": "report", "nodeid": %s, "when": %s, "file": %s, "outcome": "passed", "duration": %r, "t": %.6f}\n',
                    (report.nodeid, report.when, report.location[0]),
                    (duration,),
                    flush=False,
                )
            ):
                return
            record = {
                "event": "report",
                "nodeid": report.nodeid,
                "when": report.when,
                "outcome": report.outcome,
                "duration": report.duration,
                "file": report.location[0],
            }
            if hasattr(report, "wasxfail"):
                record["xfail"] = str(report.wasxfail)
            if report.outcome != "passed":
                record["crash"] = _crash(report)
                record["text"] = _text(report)
            _emit(record)


        def pytest_runtest_logfinish(nodeid, location):
            if _active() and not _formatted('{"event": "finish", "nodeid": %s, "t": %.6f}\n', (nodeid,)):
                _emit({"event": "finish", "nodeid": nodeid})


        def pytest_sessionfinish(session, exitstatus):
            if _active():
                _emit({"event": "sessionfinish", "exitstatus": int(exitstatus)})
        """#
}
