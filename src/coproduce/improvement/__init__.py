"""Tests of change, run charts and the stop-doing register."""
