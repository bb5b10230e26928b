"""A tiny chat application: the code under test of TestShard's example suite."""
