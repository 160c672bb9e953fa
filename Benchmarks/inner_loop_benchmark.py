#!/usr/bin/env python3
"""The author's inner loop: how long from saving a chapter to `legend serve` having rewritten its
page, for an edit of the last block of the legend's LSTM chapter (below its checkpointed training)
and of a one-block chapter. The same edit of the LSTM chapter without its checkpoint (its
`//| cache:` line taken out) is the row before checkpoints.

Run from the checkout after `swift build -c release --product legend` (and the chapter runtime).
Each row: `--runs` edits (default 7), each a new line at the end of the chapter's last block,
timed from the write to the page holding it; medians. Prints a Markdown table.
    python3 Benchmarks/inner_loop_benchmark.py [--runs N] [--only small]
"""
import os, shutil, socket, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEGEND = os.path.join(ROOT, ".build", "release", "legend")
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
# `--only small` times the one-block chapter alone (a minute, for a quiet moment).
ONLY = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
LSTM = "05-the-lstm-amulet.md"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_last_block(path, marker):
    """Adds `print("marker")` as the last line of the chapter's last swift-run block."""
    text = open(path, encoding="utf-8").read()
    start = text.rindex("```swift-run")
    end = text.index("\n```", start + 1)
    text = text[:end] + f'\nprint("{marker}")' + text[end:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def page_of(book, chapter):
    return os.path.join(book, "site", chapter[:-3] + ".html")


def time_edits(book, chapter, label):
    """Serves `book`, then edits `chapter` RUNS times; returns each edit's seconds to its page."""
    port = free_port()
    log = open(os.path.join(book, "..", f"serve-{label}.log"), "w")
    server = subprocess.Popen([LEGEND, "serve", book, "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        page = page_of(book, chapter)
        deadline = time.time() + 600
        while not (os.path.exists(page) and b"serve: http" in open(log.name, "rb").read()):
            if time.time() > deadline:
                raise SystemExit(f"{label}: serve did not start")
            time.sleep(0.05)
        times = []
        for run in range(RUNS + 1):
            marker = f"inner-loop-{label}-{run}-{time.time_ns()}"
            started = time.perf_counter()
            edit_last_block(os.path.join(book, chapter), marker)
            while True:
                try:
                    if marker in open(page, encoding="utf-8").read():
                        break
                except FileNotFoundError:
                    pass
                if time.perf_counter() - started > 300:
                    raise SystemExit(f"{label}: the page never showed the edit")
                time.sleep(0.005)
            if run > 0:  # the first edit warms the compiler's caches
                times.append(time.perf_counter() - started)
            time.sleep(0.3)
        return times
    finally:
        server.terminate()
        server.wait()
        log.close()


def legend_copy(work, name, checkpoints):
    book = os.path.join(work, name)
    shutil.copytree(os.path.join(ROOT, "legend"), book)
    with open(os.path.join(book, "book.yml"), encoding="utf-8") as f:
        config = [line for line in f if not line.startswith(("output:", "cache:"))]
    with open(os.path.join(book, "book.yml"), "w", encoding="utf-8") as f:
        f.writelines(config + ["output: site\n"])
    if not checkpoints:
        path = os.path.join(book, LSTM)
        text = open(path, encoding="utf-8").read()
        text = "\n".join(line for line in text.split("\n") if not line.startswith("//| cache:"))
        open(path, "w", encoding="utf-8").write(text)
    subprocess.run([LEGEND, "build", book], check=True, capture_output=True)
    return book


def main():
    work = tempfile.mkdtemp(prefix="legend-inner-loop-")
    try:
        rows = []
        if ONLY != "small":
            before = legend_copy(work, "legend-without-checkpoints", checkpoints=False)
            rows.append(("edit the last block of the LSTM chapter, without checkpoints", time_edits(before, LSTM, "before")))
            after = legend_copy(work, "legend", checkpoints=True)
            rows.append(("edit the last block of the LSTM chapter, training checkpointed", time_edits(after, LSTM, "after")))
        small = os.path.join(work, "small")
        os.makedirs(small)
        open(os.path.join(small, "book.yml"), "w").write("title: Small\noutput: site\n")
        open(os.path.join(small, "01-one.md"), "w").write("# One\n\n```swift-run\nlet x = Tensor.randn(3, 3)\nprint(x.sum().item)\n```\n")
        subprocess.run([LEGEND, "build", small], check=True, capture_output=True)
        rows.append(("edit a one-block chapter", time_edits(small, "01-one.md", "small")))
        print("| save → page rewritten by `legend serve` | median | range |")
        print("|---|---:|---:|")
        for label, times in rows:
            print(f"| {label} | {statistics.median(times):.2f} s | {min(times):.2f}–{max(times):.2f} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
