#!/usr/bin/env python3
"""Times Legend's pipeline: compile overhead per chapter, cold / repeated / one-edit builds of a
sample book and of the legend, and the Markdown path on 20 MB of prose against the cmark program.

Run from the checkout after `swift build -c release --product legend` (the chapter runtime must
be built: any `legend build` builds it). Prints a Markdown table of medians.
    python3 Benchmarks/pipeline_benchmark.py [--runs N]
"""
import os, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEGEND = os.path.join(ROOT, ".build", "release", "legend")
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5


def timed(arguments, cwd):
    """Wall seconds, peak resident KB, and stderr of one command."""
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "%M"] + arguments, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = int(run.stderr.strip().splitlines()[-1]) if run.stderr.strip() else 0
    return seconds, peak, run.stderr


def median(values):
    return statistics.median(values)


def row(name, samples, peaks=None, note=""):
    text = f"| {name} | {median(samples) * 1000:.0f} ms | {min(samples) * 1000:.0f}–{max(samples) * 1000:.0f} ms |"
    text += f" {max(peaks) / 1024:.0f} MB |" if peaks else " |"
    print(text + f" {note} |")


def main():
    work = tempfile.mkdtemp(prefix="legend-bench-")
    print(f"Runs per row: {RUNS} (median, range). Machine: {os.cpu_count()} cores.\n")
    print("| what | median | range | peak memory | note |\n|---|---|---|---|---|")

    # 1. Compile overhead: a one-block chapter, no cache.
    small = os.path.join(work, "small")
    os.makedirs(small)
    with open(os.path.join(small, "01-one.md"), "w") as f:
        f.write("# One\n\n```swift-run\nprint(6 * 7)\n```\n")
    compiles, totals, total_peak = [], [], []
    for _ in range(RUNS):
        seconds, peak, err = timed([LEGEND, "build", small, "-o", os.path.join(work, "small-out"), "--no-cache"], work)
        compiles.append(float(re.search(r"compiled in ([0-9.]+) s", err).group(1)))
        totals.append(seconds); total_peak.append(peak)
    row("compile + link of a one-block chapter (swiftc against the prebuilt runtime)", compiles)
    row("whole `legend build --no-cache` of that chapter", totals, total_peak)

    # 2. The legend: cold, repeated, prose edit, block edit — on a copy, with its own cache.
    book = os.path.join(work, "legend")
    shutil.copytree(os.path.join(ROOT, "legend"), book)
    out = os.path.join(work, "legend-out")
    cold, cold_peak = [], []
    for _ in range(max(1, RUNS // 2)):
        seconds, peak, _ = timed([LEGEND, "build", book, "-o", out, "--no-cache"], work)
        cold.append(seconds); cold_peak.append(peak)
    row("legend, cold (`--no-cache`: every chapter compiled and run)", cold, cold_peak)
    warm, warm_peak = [], []
    for _ in range(RUNS):
        seconds, peak, _ = timed([LEGEND, "build", book, "-o", out], work)
        warm.append(seconds); warm_peak.append(peak)
    row("legend, repeat build, nothing changed", warm, warm_peak)
    chapter = os.path.join(book, "03-the-great-rnn-failure.md")
    original = open(chapter).read()
    prose, prose_peak = [], []
    for i in range(RUNS):
        with open(chapter, "w") as f:
            f.write(original.replace("\n\n", f"\n\nA prose edit, number {i}.\n\n", 1))
        seconds, peak, err = timed([LEGEND, "build", book, "-o", out], work)
        assert "0 ran" in err, err
        prose.append(seconds); prose_peak.append(peak)
    row("legend, after a prose edit (nothing runs)", prose, prose_peak)
    blocks, blocks_peak = [], []
    for i in range(RUNS):
        with open(chapter, "w") as f:
            f.write(original.replace("```swift-run\n", f"```swift-run\nlet edit{i} = {i}\n", 1))
        seconds, peak, err = timed([LEGEND, "build", book, "-o", out], work)
        assert "1 ran" in err, err
        blocks.append(seconds); blocks_peak.append(peak)
    row("legend, after a block edit (that chapter runs again)", blocks, blocks_peak)
    with open(chapter, "w") as f:
        f.write(original)

    # 3. 20 MB of prose: legend (parse, weave HTML and Markdown, write both) against cmark.
    prose_book = os.path.join(work, "prose")
    os.makedirs(prose_book)
    paragraph = "The curse of depth struck the realm, and *gradients* vanished into the `abyss`. " * 12 + "\n\n"
    text = "# Prose\n\n" + paragraph * (20_000_000 // len(paragraph))
    with open(os.path.join(prose_book, "01-prose.md"), "w") as f:
        f.write(text)
    ours, ours_peak, theirs, theirs_peak = [], [], [], []
    for _ in range(RUNS):
        seconds, peak, _ = timed([LEGEND, "build", prose_book, "-o", os.path.join(work, "prose-out")], work)
        ours.append(seconds); ours_peak.append(peak)
        seconds, peak, _ = timed(["sh", "-c", "cmark 01-prose.md > /dev/null"], prose_book)
        theirs.append(seconds); theirs_peak.append(peak)
    row("20 MB of prose: `legend build` (HTML and Markdown written)", ours, ours_peak)
    row("20 MB of prose: `cmark` 0.30 to /dev/null", theirs, theirs_peak, f"legend ÷ cmark = {median(ours) / median(theirs):.1f}×")
    checks, checks_peak = [], []
    for _ in range(RUNS):
        seconds, peak, err = timed([LEGEND, "check", prose_book, "-o", os.path.join(work, "prose-out")], work)
        assert "ready to publish" in err, err
        checks.append(seconds); checks_peak.append(peak)
    row("20 MB of prose: `legend check` (a build in memory, compared with the output)", checks, checks_peak)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
