#!/usr/bin/env bash
# Peak resident memory of each engine workload, TensorForge and PyTorch: one process per
# workload (`--only TAG --quick`), measured by /usr/bin/time. Prints a Markdown table.
#
#   Benchmarks/engine_peak_memory.sh [PYTHON]     PYTHON has torch (default: ../venv-torch/bin/python)
#
# Run from the checkout after `swift build -c release --product engine-benchmark`. A peak
# includes each side's baseline: the Swift runtime and OpenBLAS, or the Python interpreter
# with torch loaded; the script prints those too (tag `none` runs no workload).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-../venv-torch/bin/python}
engine=.build/release/engine-benchmark
[[ -x $engine ]] || { echo "build it first: swift build -c release --product engine-benchmark" >&2; exit 2; }
"$python" -c "import torch" 2>/dev/null || { echo "$python cannot import torch; pass a Python that can" >&2; exit 2; }

peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
echo "| workload | PyTorch peak | TensorForge peak |"
echo "|---|---|---|"
for tag in none width32 width128 width512 lstm rnn matmul; do
    ours=$(peak "$engine" --quick --only "$tag")
    theirs=$(peak "$python" Benchmarks/pytorch_benchmark.py --quick --only "$tag")
    printf "| %s | %d MB | %d MB |\n" "$tag" $((theirs / 1024)) $((ours / 1024))
done
