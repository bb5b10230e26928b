# The suite root is on sys.path (pytest inserts the rootdir of this conftest), so `import chatapp` works.
