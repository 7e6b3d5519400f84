"""The `nngrade` command line: one subcommand per job, each delegating to its module."""
import argparse
import difflib
import os
import sys
from importlib import metadata


def _cmd_stubs(args):
    from grader.release.stubs import write_stubs

    from grader import PROJECT_ROOT

    print(f"kit: {PROJECT_ROOT}")
    changed = write_stubs()
    print("stubs up to date" if not changed else "wrote " + ", ".join(changed))
    return 0


def _cmd_grade(args):
    if args.nbgrader:
        from grader.nbgrader.grading import grade_nbgrader_command

        return grade_nbgrader_command(args)
    from grader.batch import grade_command

    return grade_command(args)


def _cmd_demo(args):
    from grader.devtools.demo import demo_command

    return demo_command(args)


def _cmd_bench(args):
    if args.similarity:
        from grader.similarity.bench import bench_command as similarity_bench

        return similarity_bench(args)
    if args.single:
        from grader.devtools.bench_single import bench_single_command

        return bench_single_command(args)
    from grader.devtools.bench import bench_command

    return bench_command(args)


def _cmd_release(args):
    from grader.kit_check import static_problems
    from grader.release.build import release_command

    from grader import PROJECT_ROOT

    print(f"kit: {PROJECT_ROOT}")
    problems = static_problems()  # an incomplete function is one line each here, not a traceback later
    if problems:
        print("\n".join([*problems, f"nngrade release: {len(problems)} problem(s) to fix first (see `nngrade check`)"]))
        return 1
    return release_command(args)


def _cmd_check(args):
    from grader.kit_check import check_command

    return check_command(args)


def _cmd_course(args):
    from grader.release.course import course_command

    return course_command(args)


def positive_int(text):
    """argparse type: a whole number of at least 1 (so `--jobs 0` is an error, not a hang)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def kit_version():
    try:
        return metadata.version("nngrade")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _cmd_adjust(args):
    from grader.batch import adjust_command

    return adjust_command(args)


def _cmd_export(args):
    from grader.outputs.lms_export import export_command

    return export_command(args)


def _cmd_gradescope(args):
    from grader.platforms.gradescope import gradescope_command

    return gradescope_command(args)


def _cmd_prairielearn(args):
    from grader.platforms.prairielearn import prairielearn_command

    return prairielearn_command(args)


def _cmd_similarity(args):
    from grader.similarity.run import similarity_command

    return similarity_command(args)


WHAT_IT_DOES = """\
Grade the neural-networks exercises in a sandbox and write every student's feedback.

Students: write your answers in the stubs of exercises/ and check them with `pytest exercises`
(`pytest exercises -k sigmoid` for one function); you need no nngrade command."""
FIRST_STEPS = """\
Instructors, the usual loop:
  nngrade demo                                          try it on a demo class (writes demo_out/)
  nngrade grade SUBMISSIONS --out OUT                   grade a class; read OUT/report.html first
  nngrade grade SUBMISSIONS --out OUT --student NAME    regrade one student
  nngrade export OUT --to canvas --roster roster.csv --out canvas.csv   grades for the LMS
Gradescope, PrairieLearn and nbgrader courses: the gradescope, prairielearn and course commands.
`nngrade COMMAND --help` explains each command."""


def build_parser():
    parser = argparse.ArgumentParser(prog="nngrade", description=WHAT_IT_DOES, epilog=FIRST_STEPS,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"nngrade {kit_version()}", help="print the kit's version and exit")
    parser.add_argument("--kit", metavar="DIR", help="the kit to act on (default: the kit holding the current folder, "
                                                    "else the installed one); commands that write into it say which")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    jobs = dict(type=positive_int, default=os.cpu_count() or 1, help="parallel workers, at least 1 (default: all cores)")

    stubs = sub.add_parser("stubs", help="(course authors) regenerate the exercise stubs from solutions/",
                           description="Regenerate the student stubs exercises/exNN_*.py from solutions/.")
    stubs.set_defaults(run=_cmd_stubs)

    grade = sub.add_parser("grade", help="grade a class's submissions: scores, feedback, the class report",
                           description="Grade a class (SUBMISSIONS/<student>/exNN_*.py, or an nbgrader course with "
                                       "--nbgrader) in the sandbox. OUT/grades.csv always lists every student graded "
                                       "into OUT; a student whose files, the rubric or the kit changed is graded again, "
                                       "the others are resumed.")
    grade.add_argument("submissions", help="folder with one sub-folder per student (or an nbgrader course with --nbgrader)")
    grade.add_argument("assignment", nargs="?", help="with --nbgrader: the assignment name")
    grade.add_argument("--out", help="output folder (grades.csv, <student>/results.json, feedback.md; default: graded, "
                                     "or COURSE/nngrade/ASSIGNMENT with --nbgrader)")
    grade.add_argument("--jobs", **jobs)
    grade.add_argument("--rubric", help="rubric TOML file (default: the bundled grader/rubric.toml)")
    grade.add_argument("--nbgrader", action="store_true", help="SUBMISSIONS is an nbgrader course directory")
    grade.add_argument("--student", action="append", metavar="NAME",
                       help="grade only this student (again, even if unchanged) and merge into OUT/grades.csv; repeatable")
    grade.add_argument("--submitted-times", metavar="TIMES.csv",
                       help="when each student handed in, for the rubric's [late] policy: a CSV with columns student, "
                            "submitted (ISO 8601 with a time zone); default: the newest modification time of their files")
    grade.add_argument("--no-progress", action="store_true", help="plain log lines instead of a progress bar")
    grade.add_argument("--insecure", action="store_true",
                       help="grade even where the sandbox lacks its file allow-list or network ban (trusted code only)")
    grade.set_defaults(run=_cmd_grade)

    demo = sub.add_parser("demo", help="grade the bundled demo class",
                          description="Write the demo class (the reference, the blank stubs, typical mistakes) and grade it.")
    demo.add_argument("--out", default="demo_out", help="output folder (default: demo_out)")
    demo.add_argument("--jobs", **jobs)
    demo.set_defaults(run=_cmd_demo)

    bench = sub.add_parser("bench", help="(maintainers) measure grading speed on a synthetic class",
                           description="Grade a synthetic class and compare with the in-process floor and nbgrader.")
    bench.add_argument("-n", "--submissions", type=positive_int, default=200, help="class size (default: 200)")
    bench.add_argument("--jobs", **jobs)
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--no-nbgrader", action="store_true", help="skip the nbgrader comparison")
    bench.add_argument("--single", action="store_true",
                       help="grade one submission from a cold start (as on Gradescope/PrairieLearn): peak memory and wall time")
    bench.add_argument("--cgroup", action="store_true",
                       help="with --single: inside a cgroup with a 768 MB memory limit and a 50%% CPU quota (root)")
    bench.add_argument("--similarity", action="store_true",
                       help="time nngrade similarity on a synthetic class instead (-n students, e.g. -n 300)")
    bench.set_defaults(run=_cmd_bench)

    check = sub.add_parser("check", help="(course authors) check the kit: every function complete, the reference full marks",
                           description="Check that every solution function has a spec, a probe, points, a visible test, "
                                       "a stub and its plot where declared, and that the reference gets full marks.")
    check.add_argument("--static", action="store_true", help="only the files, without grading the reference")
    check.set_defaults(run=_cmd_check)
    release = sub.add_parser("release", help="(course authors) rebuild release/: the students' notebooks and bundle",
                             description="Build release/: the nbgrader student notebooks and the student bundle.")
    release.add_argument("--check", action="store_true", help="fail if release/ is out of date instead of writing")
    release.add_argument("--rubric", help="rubric TOML file whose points the notebooks' grade cells get "
                                          "(default: the bundled grader/rubric.toml)")
    release.add_argument("--out", help="the folder to build (default: the kit's release/)")
    release.set_defaults(run=_cmd_release)

    course = sub.add_parser("course", help="write an nbgrader course directory (source notebooks, nbgrader_config.py)",
                            description="Write an nbgrader course: source notebooks (solutions, hidden tests) and "
                                        "nbgrader_config.py.")
    course.add_argument("dir", help="the course directory (created if missing)")
    course.add_argument("--force", action="store_true", help="replace an nbgrader_config.py not written by nngrade")
    course.add_argument("--rubric", help="rubric TOML file whose points the notebooks' grade cells get; grade with the "
                                         "same --rubric (default: the bundled grader/rubric.toml)")
    course.set_defaults(run=_cmd_course)

    export = sub.add_parser("export", help="write grades.csv in an LMS's import format (Canvas, Moodle)",
                            description="Map the graded students to the LMS's identifiers with a roster and write the "
                                        "LMS's grade import file. Students missing on either side are listed; the export "
                                        "fails unless --allow-missing.")
    export.add_argument("graded", metavar="OUT", help="the output folder of nngrade grade (holds grades.csv)")
    export.add_argument("--to", required=True, choices=sorted(("canvas", "moodle")), help="the LMS's import format")
    export.add_argument("--roster", required=True, metavar="ROSTER.csv",
                        help="CSV with a header: a `student` column (submission folder or nbgrader id) and the LMS's "
                             "identifiers among name, id, sis_user_id, sis_login_id, section, email, idnumber, participant")
    export.add_argument("--out", required=True, metavar="FILE", help="the import file to write")
    export.add_argument("--assignment", default="nngrade", help="the assignment's column name in the LMS (default: nngrade)")
    export.add_argument("--feedback-zip", metavar="ZIP",
                        help="also write every student's feedback.html in the layout of the LMS's bulk feedback upload "
                             "(Moodle: the roster needs a participant column; Canvas: its id column)")
    export.add_argument("--allow-missing", action="store_true",
                        help="export even when students are missing from the roster or roster entries have no grade")
    export.set_defaults(run=_cmd_export)

    adjust = sub.add_parser("adjust", help="add or take points from one graded student, with a reason",
                            description="Record a correction (a regrade request, a partial-credit decision) in "
                                        "OUT/adjustments.toml: kept across regrades, shown in the student's feedback, "
                                        "in grades.csv's adjustment column and in the export.")
    adjust.add_argument("graded", metavar="OUT", help="the output folder of nngrade grade")
    adjust.add_argument("student", help="the graded student's name (their submission folder)")
    adjust.add_argument("--points", type=float, required=True, help="points to add (negative to take away)")
    adjust.add_argument("--reason", required=True, help="why: the student reads it in their feedback")
    adjust.set_defaults(run=_cmd_adjust)

    gradescope = sub.add_parser("gradescope", help="write the autograder zip for Gradescope",
                                description="Write the zip Gradescope's autograder upload takes: setup.sh, run_autograder "
                                            "and the kit with the reference, readable by root only once installed.")
    gradescope.add_argument("--out", default="autograder.zip", help="the zip to write (default: autograder.zip)")
    gradescope.add_argument("--rubric", help="rubric TOML file (default: the bundled grader/rubric.toml)")
    _trial_options(gradescope, "the zip --out names")
    gradescope.set_defaults(run=_cmd_gradescope)

    similarity = sub.add_parser("similarity", help="find code shared between students (evidence to look at, not a verdict)",
                                description="Compare a class's submissions function by function (and with earlier terms' "
                                            "with --archive) and write OUT/similarity.html and similarity.json: pairs and "
                                            "groups sharing unusual code, ranked by evidence. No score changes.")
    similarity.add_argument("submissions", help="folder with one sub-folder per student, read as grading reads it")
    similarity.add_argument("--archive", action="append", metavar="DIR",
                            help="an earlier term's submissions (one sub-folder per student), reported apart; repeatable")
    similarity.add_argument("--out", required=True, help="output folder (e.g. the one nngrade grade wrote: report.html links to it)")
    similarity.add_argument("--jobs", **jobs)
    similarity.set_defaults(run=_cmd_similarity)

    prairielearn = sub.add_parser("prairielearn", help="write an externally graded PrairieLearn question",
                                  description="Write a PrairieLearn question graded by nngrade in an external grader "
                                              "container: info.json, question.html and tests/.")
    prairielearn.add_argument("--out", required=True, help="the question folder to write (under questions/ of the course)")
    prairielearn.add_argument("--rubric", help="rubric TOML file (default: the bundled grader/rubric.toml)")
    prairielearn.add_argument("--image", help="the grading image info.json names (default: nngrade's recipe, see README)")
    _trial_options(prairielearn, "the question --out names")
    prairielearn.set_defaults(run=_cmd_prairielearn)
    return parser


def parse(parser, argv):
    """parse_args, except that an unknown option is reported by its command, with the nearest valid
    spelling (`nngrade grade --rubrik` suggests --rubric, not the top-level usage)."""
    args, extra = parser.parse_known_args(argv)
    if extra:
        command = _subcommands(parser)[args.command]
        known = [o for action in command._actions for o in action.option_strings]
        guesses = [g for word in extra if word.startswith("-")
                   for g in difflib.get_close_matches(word.split("=", 1)[0], known, n=1)]
        command.error(f"unrecognized arguments: {' '.join(extra)}" + (f" (did you mean {', '.join(guesses)}?)" if guesses else ""))
    return args


def _subcommands(parser):
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def _trial_options(parser, bundle):
    parser.add_argument("--test", metavar="SUBMISSION",
                        help=f"instead of writing: run {bundle} (built before) on SUBMISSION (a folder or a file) as the "
                             "platform does, in Docker when it runs here, and print the results file")
    parser.add_argument("--no-docker", action="store_true", help="with --test: in a temporary root with this Python")


def main(argv=None):
    from grader import PROJECT_ROOT
    from grader.kit_location import KitError, chosen_kit, run_in

    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(build_parser(), argv)
    try:
        kit = chosen_kit(args.kit)
        if kit != PROJECT_ROOT:  # another kit's files: run its own grader on them
            return run_in(kit, argv)
    except KitError as exc:
        print(f"nngrade: {exc}", file=sys.stderr)
        return 2
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        print("interrupted; results written so far are kept, re-run to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
