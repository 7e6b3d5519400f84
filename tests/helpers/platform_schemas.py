"""Validators for the results files the platforms read, written from their documentation:
Gradescope's autograder specification and PrairieLearn's external grading results. Each returns
the list of problems found (empty: valid)."""
import json
import numbers

VISIBILITY = {"visible", "hidden", "after_due_date", "after_published"}
OUTPUT_FORMATS = {"text", "html", "simple_format", "md", "ansi"}
GRADESCOPE_KEYS = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                   "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}
GRADESCOPE_TEST_KEYS = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format",
                        "tags", "visibility", "extra_data"}
PL_KEYS = {"gradable", "score", "message", "output", "tests", "images", "format_errors"}
PL_TEST_KEYS = {"name", "description", "points", "max_points", "message", "output", "images"}
MAX_PL_BYTES = 1_000_000


def _number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _strict_json(results, problems):
    try:
        json.dumps(results, allow_nan=False)
    except (TypeError, ValueError) as exc:
        problems.append(f"not strict JSON: {exc}")


def gradescope_problems(results):
    problems = []
    if not isinstance(results, dict):
        return ["results.json is not an object"]
    _strict_json(results, problems)
    problems += [f"unknown field {k!r}" for k in set(results) - GRADESCOPE_KEYS]
    for key in ("score", "execution_time"):
        if key in results and not _number(results[key]):
            problems.append(f"{key} is not a number")
    for key in ("output",):
        if key in results and not isinstance(results[key], str):
            problems.append(f"{key} is not text")
    for key in ("output_format", "test_output_format"):
        if key in results and results[key] not in OUTPUT_FORMATS:
            problems.append(f"{key} {results[key]!r} is not one of {sorted(OUTPUT_FORMATS)}")
    for key in ("visibility", "stdout_visibility"):
        if key in results and results[key] not in VISIBILITY:
            problems.append(f"{key} {results[key]!r} is not one of {sorted(VISIBILITY)}")
    if "extra_data" in results and not isinstance(results["extra_data"], dict):
        problems.append("extra_data is not an object")
    tests = results.get("tests", [])
    if not isinstance(tests, list):
        return problems + ["tests is not a list"]
    for i, test in enumerate(tests):
        problems += [f"tests[{i}]: {p}" for p in _gradescope_test_problems(test)]
    if "score" not in results and not all(isinstance(t, dict) and "score" in t for t in tests):
        problems.append("no score: neither at the top nor on every test")
    return problems


def _gradescope_test_problems(test):
    if not isinstance(test, dict):
        return ["not an object"]
    problems = [f"unknown field {k!r}" for k in set(test) - GRADESCOPE_TEST_KEYS]
    for key in ("score", "max_score", "number"):
        if key in test and not _number(test[key]):
            problems.append(f"{key} is not a number")
    for key in ("name", "output"):
        if key in test and not isinstance(test[key], str):
            problems.append(f"{key} is not text")
    if "status" in test and test["status"] not in ("passed", "failed"):
        problems.append(f"status {test['status']!r} is not passed or failed")
    if "output_format" in test and test["output_format"] not in OUTPUT_FORMATS:
        problems.append(f"output_format {test['output_format']!r}")
    if "visibility" in test and test["visibility"] not in VISIBILITY:
        problems.append(f"visibility {test['visibility']!r}")
    if "tags" in test and not (isinstance(test["tags"], list) and all(isinstance(t, str) for t in test["tags"])):
        problems.append("tags is not a list of text")
    return problems


def prairielearn_problems(results):
    if not isinstance(results, dict):
        return ["results.json is not an object"]
    problems = []
    _strict_json(results, problems)
    if len(json.dumps(results).encode()) > MAX_PL_BYTES:
        problems.append("over PrairieLearn's 1 MB limit")
    problems += [f"unknown field {k!r}" for k in set(results) - PL_KEYS]
    if "gradable" in results and not isinstance(results["gradable"], bool):
        problems.append("gradable is not a boolean")
    if results.get("gradable", True):
        if not _number(results.get("score")) or not 0.0 <= results["score"] <= 1.0:
            problems.append("a gradable result needs a score in [0, 1]")
    elif "score" in results and not _number(results["score"]):
        problems.append("score is not a number")
    for key in ("message", "output"):
        if key in results and not isinstance(results[key], str):
            problems.append(f"{key} is not text")
    errors = results.get("format_errors", [])
    if not (isinstance(errors, str) or (isinstance(errors, list) and all(isinstance(e, str) for e in errors))):
        problems.append("format_errors is not text or a list of text")
    problems += _images_problems(results.get("images", []), "images")
    tests = results.get("tests", [])
    if not isinstance(tests, list):
        return problems + ["tests is not a list"]
    for i, test in enumerate(tests):
        if not isinstance(test, dict):
            problems.append(f"tests[{i}] is not an object")
            continue
        problems += [f"tests[{i}]: unknown field {k!r}" for k in set(test) - PL_TEST_KEYS]
        problems += [f"tests[{i}]: {k} is not text" for k in ("name", "description", "message", "output")
                     if k in test and not isinstance(test[k], str)]
        problems += [f"tests[{i}]: {k} is not a number" for k in ("points", "max_points") if not _number(test.get(k))]
        problems += _images_problems(test.get("images", []), f"tests[{i}].images")
    return problems


def _images_problems(images, where):
    if not isinstance(images, list):
        return [f"{where} is not a list"]
    problems = []
    for image in images:
        url = image if isinstance(image, str) else image.get("url") if isinstance(image, dict) else None
        if not isinstance(url, str) or not url.startswith("data:"):
            problems.append(f"{where}: an image without a data: URL")
        if isinstance(image, dict) and not isinstance(image.get("label", ""), str):
            problems.append(f"{where}: a label that is not text")
    return problems
