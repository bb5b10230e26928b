/// The warm start for pytest shards (`WarmPytestPool`): a Python module that imports pytest and its
/// built-in plugins once, then forks one child per shard that becomes `python -m pytest ARGS`.
///
/// Measured before it was built (`bench/warm/fork_probe.py`, docs/BENCHMARKS.md): a one-file shard
/// forked from a warm interpreter ends 0.31–0.45 s sooner than a fresh `python3 -m pytest`.
///
/// Installed plugins (entry points, `PYTEST_PLUGINS`) are not imported ahead: pytest rewrites the
/// asserts of a plugin as it imports it, and an imported plugin can no longer be rewritten (pytest
/// warns, which `-W error` turns into a failure). They cost little next to pytest itself (measured:
/// pytest with its built-in plugins 0.25–0.3 s over a bare interpreter, the five installed plugins
/// here under 0.1 s).
enum PytestWarmStart {
    /// The module name; the pool's folder is first on the interpreter's `PYTHONPATH`.
    static let moduleName = "testshard_warm"

    /// What follows the interpreter on its command line.
    static let bootstrapArguments = ["-c", "import \(moduleName); \(moduleName).main()"]

    /// The module's source.
    static let source = #"""
        """TestShard's warm pytest starter: imports pytest and its built-in plugins once, then forks one
        child per shard, so a shard pays for collection and its tests but not for starting Python and pytest.

        The worker starts it as `PYTHON -c "import testshard_warm; testshard_warm.main()"` in the suite
        root, with the shards' environment. Requests come on standard input and replies go to standard
        output, one JSON object per line:

            request  {"args": [...], "cwd": "...", "env": {...}, "log": "..."}
            replies  {"ready": PID} once the imports are done (or {"error": "..."} and an exit),
                     then per request {"started": PID} and {"exited": PID, "code": N} or
                     {"exited": PID, "signal": N}; {"error": "..."} when no child could be started.

        The child becomes what `python -m pytest ARGS` would have been: its own session and process
        group (so the worker's timeout and cancel reach it and everything it starts), standard input from
        /dev/null, standard output and error to the log, the request's folder and environment, sys.path[0]
        the folder and the plugin folder of the request's PYTHONPATH in place of this process's, SIGINT
        raising KeyboardInterrupt. It ends through pytest's own exit, atexit handlers included.

        The parent ignores SIGINT (a Ctrl-C meant for the worker's terminal is the worker's to handle) and
        ends when its standard input does.
        """
        import gc
        import json
        import os
        import signal
        import sys


        def _reply(message):
            data = (json.dumps(message) + "\n").encode()
            while data:
                data = data[os.write(1, data):]


        def _requests():
            pending = b""
            while True:
                try:
                    chunk = os.read(0, 65536)
                except InterruptedError:
                    continue
                if not chunk:
                    return
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if line.strip():
                        yield line


        def _warm_up():
            """Imports pytest and its built-in plugins, and reads the installed distributions once.

            Installed plugins (entry points, PYTEST_PLUGINS) are left to the child: pytest rewrites their
            asserts as it imports them, and warns about (and cannot rewrite) a plugin imported before."""
            import importlib
            from importlib.metadata import entry_points

            import pytest  # noqa: F401
            from _pytest.config import default_plugins

            for name in default_plugins:
                try:
                    importlib.import_module("_pytest." + name)
                except Exception:  # noqa: BLE001 - the child's pytest reports it
                    pass
            entry_points(group="pytest11")
            # Not gc.freeze(): the tests would see it (gc.get_freeze_count()), and a child of a cold start
            # has nothing frozen.
            gc.collect()


        def serve():
            """Returns only in a child, with its request; the parent loops until its input ends."""
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                _warm_up()
            except BaseException as error:  # noqa: BLE001 - any failure means: run the shards cold
                _reply({"error": f"cannot import pytest: {type(error).__name__}: {error}"})
                sys.exit(3)
            _reply({"ready": os.getpid()})
            for line in _requests():
                try:
                    request = json.loads(line)
                    request["args"], request["cwd"], request["env"], request["log"]  # noqa: B018
                except (ValueError, KeyError, TypeError) as error:
                    _reply({"error": f"unreadable request: {error}"})
                    continue
                try:
                    pid = os.fork()
                except OSError as error:
                    _reply({"error": f"cannot fork: {error}"})
                    continue
                if pid == 0:
                    return request
                _reply({"started": pid})
                while True:
                    try:
                        _, status = os.waitpid(pid, 0)
                        break
                    except InterruptedError:
                        continue
                if os.WIFSIGNALED(status):
                    _reply({"exited": pid, "signal": os.WTERMSIG(status)})
                else:
                    _reply({"exited": pid, "code": os.waitstatus_to_exitcode(status)})
            sys.exit(0)


        def _become(request):
            own_folder = os.path.dirname(os.path.abspath(__file__))
            os.setsid()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            os.close(null)
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.close(log)
            os.chdir(request["cwd"])
            os.environ.clear()
            os.environ.update(request["env"])
            sys.path[0] = os.getcwd()
            first = os.environ.get("PYTHONPATH", "").split(":")[0]
            if len(sys.path) > 1 and sys.path[1] == own_folder and first:
                sys.path[1] = os.path.abspath(first)
            import pytest

            sys.argv = [os.path.join(os.path.dirname(pytest.__file__), "__main__.py"), *request["args"]]


        def main():
            request = serve()
            try:
                _become(request)
                import pytest

                code = pytest.console_main()
            except SystemExit:
                raise
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
                code = 4
            raise SystemExit(code)
        """#
}
