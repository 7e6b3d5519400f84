"""The `nngrade` command line: one subcommand per job, each delegating to its module."""
import argparse
import os
import sys


def _cmd_stubs(args):
    from grader.release.stubs import write_stubs

    changed = write_stubs()
    print("stubs up to date" if not changed else "wrote " + ", ".join(changed))
    return 0


def _cmd_grade(args):
    from grader.batch import grade_command

    return grade_command(args)


def _cmd_demo(args):
    from grader.demo import demo_command

    return demo_command(args)


def _cmd_bench(args):
    from grader.bench import bench_command

    return bench_command(args)


def _cmd_release(args):
    from grader.release.build import release_command

    return release_command(args)


def _cmd_course(args):
    from grader.release.course import course_command

    return course_command(args)


def build_parser():
    parser = argparse.ArgumentParser(prog="nngrade", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("stubs", help="regenerate exercises/exNN_*.py from solutions/").set_defaults(run=_cmd_stubs)

    grade = sub.add_parser("grade", help="grade a class of submissions against the reference")
    grade.add_argument("submissions", help="folder with one sub-folder per student (or an nbgrader course with --nbgrader)")
    grade.add_argument("assignment", nargs="?", help="with --nbgrader: the assignment name")
    grade.add_argument("--out", help="output folder (grades.csv, <student>/results.json, feedback.md)")
    grade.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel workers (default: all cores)")
    grade.add_argument("--rubric", help="rubric TOML file (default: the bundled grader/rubric.toml)")
    grade.add_argument("--nbgrader", action="store_true", help="SUBMISSIONS is an nbgrader course directory")
    grade.add_argument("--no-progress", action="store_true", help="plain log lines instead of a progress bar")
    grade.add_argument("--insecure", action="store_true",
                       help="grade even where the sandbox lacks its file allow-list or network ban (trusted code only)")
    grade.set_defaults(run=_cmd_grade)

    demo = sub.add_parser("demo", help="grade the bundled demo class")
    demo.add_argument("--out", default="demo_out", help="output folder (default: demo_out)")
    demo.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    demo.set_defaults(run=_cmd_demo)

    bench = sub.add_parser("bench", help="measure grading speed on a synthetic class")
    bench.add_argument("-n", "--submissions", type=int, default=200)
    bench.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--no-nbgrader", action="store_true", help="skip the nbgrader comparison")
    bench.set_defaults(run=_cmd_bench)

    release = sub.add_parser("release", help="build release/ (nbgrader notebooks and the student bundle)")
    release.add_argument("--check", action="store_true", help="fail if release/ is out of date instead of writing")
    release.set_defaults(run=_cmd_release)

    course = sub.add_parser("course", help="write an nbgrader course directory (source notebooks, nbgrader_config.py)")
    course.add_argument("dir", help="the course directory (created if missing)")
    course.add_argument("--force", action="store_true", help="replace an nbgrader_config.py not written by nngrade")
    course.set_defaults(run=_cmd_course)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except KeyboardInterrupt:
        print("interrupted; results written so far are kept, re-run to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
