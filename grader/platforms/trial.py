"""`nngrade gradescope --test SUBMISSION` and `nngrade prairielearn --test SUBMISSION`: a built
bundle (the zip, the question folder) run on one submission as its platform runs it, and the
results file it wrote.

With a Docker engine: the platform's image is built from the bundle's own recipe (Gradescope: its
setup.sh on Ubuntu 22.04; PrairieLearn: tests/image/Dockerfile), once per content (the tag is its
digest), and the submission graded in a fresh container with the platform's limits and Docker's
default security. Without one: the bundle unpacked into a temporary root and its entry point run
with this Python (NNGRADE_AUTOGRADER_ROOT / NNGRADE_PRAIRIELEARN_ROOT and NNGRADE_PYTHON).
NNGRADE_GRADESCOPE_BASE replaces Ubuntu 22.04; NNGRADE_TORCH_FIND_LINKS is passed to the builds.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from grader.platforms import kit
from grader.sandbox.client import UIDS_VARIABLE

GRADESCOPE_BASE = "ubuntu:22.04"  # Gradescope's base image for a zip upload
LIMITS = ["--memory", "768m", "--cpus", "0.5"]  # Gradescope's defaults
GRADESCOPE_OPTIONS = [*LIMITS]  # its default network, seccomp profile and capabilities
PRAIRIELEARN_OPTIONS = ["--network", "none", "--ipc", "private", "--pids-limit", "1024", *LIMITS]  # its grader host's
BUILD_TIMEOUT_S, RUN_TIMEOUT_S = 3600, 600


class TrialError(RuntimeError):
    pass


def docker_available():
    return bool(shutil.which("docker")) and subprocess.run(["docker", "info"], capture_output=True).returncode == 0


def docker(*args, timeout=RUN_TIMEOUT_S):
    done = subprocess.run(["docker", *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise TrialError(f"docker {args[0]} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-4000:]}")
    return done


def build_image(name, context, dockerfile, build_args=()):
    """The image of this context and Dockerfile text, built unless an image of the same digest exists."""
    context = Path(context)
    # The build arguments' names only: a wheel server's address may change between runs, not what it serves.
    digest = hashlib.sha256(dockerfile.encode() + repr(sorted(a.split("=", 1)[0] for a in build_args)).encode())
    for path in sorted(p for p in context.rglob("*") if p.is_file() and p.name != "Dockerfile.nngrade"):
        digest.update(path.relative_to(context).as_posix().encode() + b"\0" + path.read_bytes())
    tag = f"{name}:{digest.hexdigest()[:12]}"
    if subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode != 0:
        (context / "Dockerfile.nngrade").write_text(dockerfile)
        args = [a for arg in build_args for a in ("--build-arg", arg)]
        docker("build", "-q", "-t", tag, "-f", context / "Dockerfile.nngrade", *args, context, timeout=BUILD_TIMEOUT_S)
        _remove_older(name, tag)
    return tag


def _remove_older(name, keep):
    """Earlier builds of this image (another kit): ~1.5 GB each, of no further use."""
    listed = subprocess.run(["docker", "image", "ls", name, "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True,
                            text=True).stdout.split()
    for old in (t for t in listed if t != keep):
        subprocess.run(["docker", "rmi", old], capture_output=True)


def torch_build_args():
    links = os.environ.get("NNGRADE_TORCH_FIND_LINKS")
    return [f"NNGRADE_TORCH_FIND_LINKS={links}"] if links else []


def unpack_gradescope(bundle, source):

    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(source)
    for script in kit.GRADESCOPE_SCRIPTS:
        (Path(source) / script).chmod(0o755)


def gradescope_image(bundle, base=None, build_args=None):
    """Gradescope's image build: the zip in /autograder/source, its setup.sh run as root,
    run_autograder copied to /autograder/run_autograder."""
    base = base or os.environ.get("NNGRADE_GRADESCOPE_BASE") or GRADESCOPE_BASE
    with tempfile.TemporaryDirectory(prefix="nngrade-gradescope-image-") as context:
        unpack_gradescope(bundle, Path(context) / "source")
        dockerfile = (f"FROM {base}\nCOPY source /autograder/source\nARG NNGRADE_TORCH_FIND_LINKS=\n"
                      "RUN mkdir -p /autograder/submission /autograder/results && bash /autograder/source/setup.sh"
                      " && cp /autograder/source/run_autograder /autograder/run_autograder\n")
        return build_image("nngrade-gradescope", context, dockerfile, torch_build_args() if build_args is None else build_args)


def prairielearn_image(question, build_args=None):
    image_dir = Path(question) / "tests" / "image"
    return build_image("nngrade-prairielearn", image_dir, (image_dir / "Dockerfile").read_text(),
                       torch_build_args() if build_args is None else build_args)


def in_container(image, options, mounts, command, measure=""):
    """stdout and stderr of `command` in a fresh container (sh -c; `measure` appended to it)."""
    volumes = [a for host, inside in mounts for a in ("-v", f"{host}:{inside}")]
    # The sandbox uids this machine's graders were given, as the run without Docker inherits them: a
    # container shares the host's uids, and a host grader sweeping every process of its uid (the host
    # sees the container's) would kill a child the container runs as that uid.
    uids = os.environ.get(UIDS_VARIABLE)
    uids_env = ["--env", f"{UIDS_VARIABLE}={uids}"] if uids else []
    done = docker("run", "--rm", *options, *uids_env, *volumes, image, "sh", "-c", command + measure)
    return done.stdout, done.stderr


def copy_submission(submission, dest):
    """The submission (a folder's contents, or one file) into `dest`, as the platform hands it over."""
    submission, dest = Path(submission), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if submission.is_dir():
        shutil.copytree(submission, dest, dirs_exist_ok=True, symlinks=True)
    elif submission.is_file():
        shutil.copy2(submission, dest / submission.name)
    else:
        raise TrialError(f"{submission}: no such file or folder")


def try_gradescope(bundle, submission, use_docker=None):
    """(results.json text, the autograder's stdout) for one submission."""
    bundle = Path(bundle)
    if not zipfile.is_zipfile(bundle):
        raise TrialError(f"{bundle}: not an autograder zip (build it with `nngrade gradescope --out {bundle}`)")
    with tempfile.TemporaryDirectory(prefix="nngrade-gradescope-") as work:
        root = Path(work)
        copy_submission(submission, root / "submission")
        (root / "results").mkdir()
        if docker_available() if use_docker is None else use_docker:
            out, err = in_container(gradescope_image(bundle), GRADESCOPE_OPTIONS,
                                    [(root / "submission", "/autograder/submission"), (root / "results", "/autograder/results")],
                                    "/autograder/run_autograder")
        else:
            unpack_gradescope(bundle, root / "source")
            env = _local_env("NNGRADE_AUTOGRADER_ROOT", root)
            subprocess.run([sys.executable, "-m", "grader.platforms.gradescope", "setup"], cwd=root / "source",
                           env={**env, "PYTHONPATH": str(root / "source")}, check=True, capture_output=True)
            done = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True,
                                  text=True, timeout=RUN_TIMEOUT_S)
            out, err = done.stdout, done.stderr
        return (root / "results" / "results.json").read_text(), out + err


def try_prairielearn(question, submission, use_docker=None):
    """(results.json text, the grader's output) for one submission."""
    question = Path(question)
    if not (question / "tests" / "run.sh").is_file():
        raise TrialError(f"{question}: not a question folder written by `nngrade prairielearn --out {question}`")
    with tempfile.TemporaryDirectory(prefix="nngrade-prairielearn-") as work:
        root = Path(work)
        shutil.copytree(question / "tests", root / "tests")
        copy_submission(submission, root / "student")
        (root / "results").mkdir()
        if docker_available() if use_docker is None else use_docker:

            out, err = in_container(prairielearn_image(question), PRAIRIELEARN_OPTIONS, [(root, "/grade")], kit.PRAIRIELEARN_ENTRYPOINT)
        else:
            done = subprocess.run(["bash", str(root / "tests" / "run.sh")], env=_local_env("NNGRADE_PRAIRIELEARN_ROOT", root),
                                  capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
            out, err = done.stdout, done.stderr
        return (root / "results" / "results.json").read_text(), out + err


def _local_env(root_variable, root):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({root_variable: str(root), "NNGRADE_PYTHON": sys.executable})
    return env


def trial_command(platform, args):
    """The --test option of `nngrade gradescope` / `nngrade prairielearn`: prints the results file."""
    try:
        if platform == "gradescope":
            results, log = try_gradescope(args.out, args.test, use_docker=None if not args.no_docker else False)
        else:
            results, log = try_prairielearn(args.out, args.test, use_docker=None if not args.no_docker else False)
    except (TrialError, OSError, subprocess.SubprocessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(log.rstrip(), file=sys.stderr)  # the staff's details: timings, layers, any failure
    print(results.rstrip())
    return 0
