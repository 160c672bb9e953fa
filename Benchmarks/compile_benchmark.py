#!/usr/bin/env python3
"""How long a chapter program takes to compile, against the floor the compiler allows: swiftc with
the flags `ChapterCompiler` uses, on (1) an empty program, (2) an empty program importing what
every chapter imports (Foundation, TensorForge, Notebook), (3) a one-block chapter as `legend
tangle` writes it; each with the module cache that swiftc uses by default (under $HOME, shared by
every run) and with a cold one (a new folder each run, as a fresh machine has). Medians.

Run from the checkout after the chapter runtime is built (`scripts/test` or any `legend build`):
    python3 Benchmarks/compile_benchmark.py [--runs N]
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNTIME = os.path.join(ROOT, ".build-runtime", "release")
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
SWIFTC = shutil.which("swiftc")

PROGRAMS = {
    "empty program": "",
    "empty program importing Foundation, TensorForge, Notebook": "import Foundation\nimport TensorForge\nimport Notebook\n",
    "one-block chapter, as tangled": None,
}


def chapter_program(work):
    book = os.path.join(work, "book")
    os.makedirs(book)
    open(os.path.join(book, "book.yml"), "w").write("title: One\n")
    path = os.path.join(book, "01-one.md")
    open(path, "w").write("# One\n\n```swift-run\nlet x = Tensor.randn(3, 3)\nprint(x.sum().item)\n```\n")
    legend = os.path.join(ROOT, ".build", "release", "legend")
    if not os.path.exists(legend):
        legend = os.path.join(ROOT, ".build", "debug", "legend")
    return subprocess.run([legend, "tangle", path], check=True, capture_output=True, text=True).stdout


def arguments(source, binary, module_cache):
    lld = os.path.exists(os.path.join(os.path.dirname(os.path.realpath(SWIFTC)), "ld.lld"))
    args = [SWIFTC, "-Onone", "-gline-tables-only", "-swift-version", "5", "-module-name", "Chapter",
            "-diagnostic-style=llvm", "-I", RUNTIME + "/Modules", "-I", os.path.join(ROOT, "Sources", "COpenBLAS")]
    if lld:
        args.append("-use-ld=lld")
    if module_cache:
        args += ["-module-cache-path", module_cache]
    return args + ["-L", RUNTIME, "-lLegendRuntime", "-Xlinker", "-rpath", "-Xlinker", RUNTIME, source, "-o", binary]


def main():
    work = tempfile.mkdtemp(prefix="legend-compile-")
    try:
        PROGRAMS["one-block chapter, as tangled"] = chapter_program(work)
        print("| swiftc, chapter flags | warm module cache | cold module cache |")
        print("|---|---:|---:|")
        for label, text in PROGRAMS.items():
            source = os.path.join(work, "main.swift")
            open(source, "w").write(text)
            warm, cold = [], []
            subprocess.run(arguments(source, os.path.join(work, "chapter"), None), check=True)  # warms the default cache
            for run in range(RUNS):
                started = time.perf_counter()
                subprocess.run(arguments(source, os.path.join(work, "chapter"), None), check=True)
                warm.append(time.perf_counter() - started)
                cache = os.path.join(work, f"cache-{len(PROGRAMS)}-{label[:5]}-{run}")
                started = time.perf_counter()
                subprocess.run(arguments(source, os.path.join(work, "chapter"), cache), check=True)
                cold.append(time.perf_counter() - started)
            print(f"| {label} | {statistics.median(warm):.2f} s | {statistics.median(cold):.2f} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
