"""Tests of the report renderers (a package so its test modules do not clash with tests/scanners)."""
