"""The stages of one submission's grading, in order, each a function over its SubmissionState
(grader.judging.stages.state): run, settle, shrink, record, plot (grader.judging.grading lists them)."""
