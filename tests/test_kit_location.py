"""Commands act on the kit they are run in (the current folder's, or --kit DIR) and say which."""
import os
import subprocess
import sys

import pytest

from grader import PROJECT_ROOT
from grader.kit_location import KitError, chosen_kit, find_kit


def _fake_kit(root):
    for name in ("solutions", "exercises", "grader"):
        (root / name).mkdir(parents=True)
    (root / "grader" / "__init__.py").write_text("")
    return root


def test_the_kit_is_the_folder_holding_the_current_one(tmp_path):
    kit = _fake_kit(tmp_path / "kit")
    (kit / "exercises" / "deep").mkdir()
    assert find_kit(kit / "exercises" / "deep") == kit.resolve()
    assert chosen_kit(cwd=kit / "exercises" / "deep") == kit.resolve()
    assert find_kit(tmp_path) is None and chosen_kit(cwd=tmp_path) == PROJECT_ROOT  # no kit here: the installed one


def test_kit_option_names_a_kit_or_is_a_clear_error(tmp_path):
    kit = _fake_kit(tmp_path / "kit")
    assert chosen_kit(str(kit), cwd=tmp_path) == kit.resolve()
    with pytest.raises(KitError, match="not a kit"):
        chosen_kit(str(tmp_path / "nothing"))


@pytest.mark.slow
def test_stubs_in_a_copy_write_the_copy_not_the_installed_kit(tmp_path):
    from test_authoring import _copy_kit

    copy = tmp_path / "copy"
    copy.mkdir()
    _copy_kit(copy)
    with open(copy / "solutions" / "ex03_activations.py", "a") as handle:
        handle.write('\n\ndef softsign(z):\n    """z / (1 + |z|)."""\n    ### BEGIN SOLUTION\n'
                     '    return z / (1 + np.abs(z))\n    ### END SOLUTION\n')
    installed = (PROJECT_ROOT / "exercises" / "ex03_activations.py").read_text()
    # The installed package (first on the path, not the current folder: python -P), run in the copy.
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    for cwd, argv in ((copy / "exercises", ["stubs"]), (tmp_path, ["--kit", str(copy), "stubs"])):
        proc = subprocess.run([sys.executable, "-P", "-m", "grader.cli", *argv], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert f"kit: {copy.resolve()}" in proc.stdout
    assert "def softsign(z)" in (copy / "exercises" / "ex03_activations.py").read_text()
    assert (PROJECT_ROOT / "exercises" / "ex03_activations.py").read_text() == installed
