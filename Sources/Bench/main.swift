print("testshard-bench: no benchmarks yet")
