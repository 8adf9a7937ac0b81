"""Synthetic township reports for the benchmark: places, number wording, sentences, whole reports."""
