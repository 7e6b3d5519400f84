#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image (base: Ubuntu 22.04),
# with the zip unpacked in /autograder/source. Written by `nngrade gradescope`.
set -euo pipefail

source_dir=/autograder/source
venv=/opt/nngrade

# Ubuntu 22.04's python3 is 3.10; the kit needs 3.11. Ubuntu's own python3.11 packages (universe)
# are used, not a third-party PPA; python3.11-venv brings pip into the virtual environment.
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3.11 python3.11-venv
python3.11 -m venv "$venv"
"$venv/bin/python" -m pip install --no-cache-dir --upgrade pip
# The CPU-only build of torch, alone (no CUDA libraries to download or map); then the kit's libraries
# at the versions of its constraints.txt (requirements.txt names it), torch's own included.
# NNGRADE_TORCH_FIND_LINKS (a folder or web page of wheels) replaces the CPU index, for tests.
if [ -n "${NNGRADE_TORCH_FIND_LINKS:-}" ]; then
    links_host="${NNGRADE_TORCH_FIND_LINKS#*://}"
    torch_source=(--no-index --find-links "$NNGRADE_TORCH_FIND_LINKS" --trusted-host "${links_host%%[:/]*}")
else
    torch_source=(--index-url __TORCH_INDEX__)
fi
"$venv/bin/python" -m pip install --no-cache-dir --no-deps "torch==__TORCH_VERSION__" "${torch_source[@]}"
"$venv/bin/python" -m pip install --no-cache-dir -r "$source_dir/requirements.txt" "torch==__TORCH_VERSION__"

# The class's cases and the reference's outputs, computed once here so that every submission
# pays only for itself; then the kit (reference, cache) becomes readable by root only.
cd "$source_dir"
PYTHONPATH="$source_dir" "$venv/bin/python" -m grader.platforms.gradescope setup
