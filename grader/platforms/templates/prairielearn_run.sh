#!/usr/bin/env bash
# PrairieLearn's external grader runs this (info.json's entrypoint) once per submission, with the
# question's tests/ in /grade/tests and the student's files in /grade/student. The work is done in
# Python (grader/platforms/prairielearn.py); this only starts it and, should the interpreter itself
# fail, still leaves a results.json. Written by `nngrade prairielearn`.
root="${NNGRADE_PRAIRIELEARN_ROOT:-/grade}"
python="${NNGRADE_PYTHON:-python3}"

rm -f "$root/results/results.json"
cd "$root/tests" && PYTHONPATH="$root/tests" "$python" -m grader.platforms.prairielearn run
status=$?
if [ "$status" -ne 0 ] && [ ! -s "$root/results/results.json" ]; then
    mkdir -p "$root/results"
    printf '%s\n' '{"gradable": false, "score": 0.0, "message": "The autograder itself failed on this submission: please contact the course staff.", "output": "", "tests": [], "images": []}' > "$root/results/results.json"
fi
exit 0
