#!/usr/bin/env python3
"""Times Legend on a docs-scale book — 100 chapters of prose in folders, with a nested table of
contents — against `mkdocs build` on the same pages, in one sitting, interleaved.

Run from the checkout after `swift build -c release --product legend`, with mkdocs installed
(`pip install mkdocs`, outside the repository). Prints a Markdown table of medians.
    python3 Benchmarks/docs_benchmark.py [--runs N]
"""
import os, random, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEGEND = os.path.join(ROOT, ".build", "release", "legend")
RUNS = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
WORDS = ("gradient layer network weight activation chain rule depth signal training loss "
         "optimizer batch normalization residual memory gate cell state sequence").split()


def prose(rng, sentences):
    return " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
                    for _ in range(sentences))


def chapter(rng, title, links):
    parts = [f"# {title}\n"]
    for section in range(rng.randint(3, 6)):
        parts.append(f"## {title}, part {section + 1}\n")
        parts.append(prose(rng, rng.randint(4, 9)) + "\n")
        parts.append("- " + prose(rng, 1) + "\n- *" + prose(rng, 1) + "* and `code`\n- " + prose(rng, 1) + "\n")
        if section % 2 == 0:
            parts.append("| name | value |\n|---|---:|\n| depth | 50 |\n| norm | 1e-12 |\n")
        if section % 3 == 1:
            parts.append("```python\nfor layer in model:\n    x = layer(x)\n```\n")
        if links:
            parts.append(f"See [{links[0][0]}]({links[0][1]}).\n")
    return "\n".join(parts)


def write_books(work):
    rng = random.Random(7)
    legend_book = os.path.join(work, "legend-book")
    mkdocs_site = os.path.join(work, "mkdocs-site")
    docs = os.path.join(mkdocs_site, "docs")
    summary, nav = ["# Summary\n", "[Introduction](README.md)\n"], ["nav:", "  - Introduction: README.md"]
    pages = [("README.md", "Introduction")]
    for part in range(10):
        summary.append(f"\n# Part {part + 1}\n")
        nav.append(f"  - Part {part + 1}:")
        for index in range(10 if part < 9 else 9):
            path = f"part-{part + 1:02}/chapter-{index + 1:02}.md"
            title = f"Chapter {part + 1}.{index + 1}"
            pages.append((path, title))
            summary.append(f"- [{title}]({path})")
            nav.append(f"    - '{title}': {path}")
    for base in (legend_book, docs):
        for number, (path, title) in enumerate(pages):
            target = os.path.join(base, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            # A link to the next page, relative to this one.
            following = pages[(number + 1) % len(pages)][0]
            relative = os.path.relpath(following, os.path.dirname(path) or ".")
            with open(target, "w") as f:
                f.write(chapter(random.Random(number), title, [(pages[(number + 1) % len(pages)][1], relative)]))
    with open(os.path.join(legend_book, "SUMMARY.md"), "w") as f:
        f.write("\n".join(summary) + "\n")
    with open(os.path.join(legend_book, "book.yml"), "w") as f:
        f.write("title: Docs\noutput: ../legend-site\n")
    with open(os.path.join(mkdocs_site, "mkdocs.yml"), "w") as f:
        f.write("site_name: Docs\n" + "\n".join(nav) + "\n")
    return legend_book, mkdocs_site, len(pages), sum(os.path.getsize(os.path.join(legend_book, p)) for p, _ in pages)


def timed(arguments, cwd):
    start = time.perf_counter()
    subprocess.run(arguments, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    work = tempfile.mkdtemp(prefix="legend-docs-bench-")
    legend_book, mkdocs_site, count, size = write_books(work)
    print(f"{count} chapters, {size / 1024:.0f} KB of Markdown; runs per row: {RUNS} (median, range), interleaved.\n")
    cold, repeat, mkdocs = [], [], []
    for _ in range(RUNS):
        shutil.rmtree(os.path.join(work, "legend-site"), ignore_errors=True)
        shutil.rmtree(os.path.join(legend_book, ".legend-cache"), ignore_errors=True)
        cold.append(timed([LEGEND, "build", legend_book], work))
        repeat.append(timed([LEGEND, "build", legend_book], work))
        shutil.rmtree(os.path.join(mkdocs_site, "site"), ignore_errors=True)
        mkdocs.append(timed(["mkdocs", "build", "--quiet"], mkdocs_site))
    print("| what | median | range |\n|---|---|---|")
    for name, samples in [("`legend build`, a fresh output folder", cold), ("`legend build` again, nothing changed", repeat),
                          ("`mkdocs build`", mkdocs)]:
        print(f"| {name} | {statistics.median(samples) * 1000:.0f} ms | {min(samples) * 1000:.0f}–{max(samples) * 1000:.0f} ms |")
    print(f"\nlegend ÷ mkdocs = {statistics.median(cold) / statistics.median(mkdocs):.2f}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
