#!/bin/sh
# The sample corpus in examples/ agrees with its truth file: every body line,
# record id, copy and story reference, and the promised corpus size.
# Needs python3; without it the check is skipped (exit 0).
if ! command -v python3 >/dev/null 2>&1; then
    echo "examples_truth: python3 not found, skipped"
    exit 0
fi
python3 examples/check_truth.py examples/corpus
