"""PyTorch's side of the engine benchmark: the same workloads as Benchmarks/engine-benchmark,
timed the same way (median of forward + backward + zero_grad, float64, 2 threads, eager mode).

    python3 -m venv venv && venv/bin/pip install torch numpy
    venv/bin/python Benchmarks/pytorch_benchmark.py [--quick] [--only TAG]

`--only width128` (or width32, width512, lstm, rnn, cnn, transformer, matmul) runs one workload, as
`engine-benchmark --only` does; Benchmarks/engine_peak_memory.sh uses it.
"""
import statistics
import sys
import time

import torch

torch.set_num_threads(2)
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
quick = "--quick" in sys.argv
scale = 0.2 if quick else 1.0
only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None


def selected(tag):
    return only is None or only in tag


def runs(n):
    return max(3, int(n * scale))


def median_ms(count, body, warmup=3):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


rows = []


def report(name, value):
    rows.append((name, value))
    print(f"{name}: {value}", flush=True)


for width, count in [(32, 300), (128, 100), (512, 20)]:
    if not selected(f"width{width}"):
        continue
    layers = []
    for _ in range(20):
        layers += [torch.nn.Linear(width, width), torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers)
    x = torch.randn(64, width)

    def step():
        model(x).sum().backward()
        model.zero_grad()

    report(f"MLP depth 20 width {width} batch 64", f"{median_ms(runs(count), step):.3f} ms")

x = torch.randn(100, 16, 64)
if selected("lstm"):
    lstm = torch.nn.LSTM(64, 64, num_layers=2)
    def lstm_step():
        lstm(x)[0].sum().backward()
        lstm.zero_grad()
    report("LSTM(64, 64, 2 layers) seq 100 batch 16", f"{median_ms(runs(30), lstm_step):.3f} ms")

if selected("rnn"):
    rnn = torch.nn.RNN(64, 64)
    def rnn_step():
        rnn(x)[0].sum().backward()
        rnn.zero_grad()
    report("RNN(64, 64) seq 100 batch 16", f"{median_ms(runs(100), rnn_step):.3f} ms")

if selected("cnn"):
    cnn = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(32 * 7 * 7, 10))
    images = torch.randn(64, 1, 28, 28)
    def cnn_step():
        cnn(images).sum().backward()
        cnn.zero_grad()
    report("CNN (2 Conv2d + MaxPool2d + Linear), batch 64, 1×28×28", f"{median_ms(runs(30), cnn_step):.3f} ms")

if selected("transformer"):
    layer = torch.nn.TransformerEncoderLayer(64, 4, dim_feedforward=256, batch_first=True)
    tokens = torch.randn(16, 32, 64)
    def transformer_step():
        layer(tokens).sum().backward()
        layer.zero_grad()
    report("TransformerEncoderLayer(64, 4 heads, ff 256), seq 32, batch 16", f"{median_ms(runs(100), transformer_step):.3f} ms")

if selected("matmul"):
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)
    ms = median_ms(runs(15), lambda: a @ b, warmup=2)
    report("matmul 1024x1024x1024", f"{2 * 1024 ** 3 / (ms / 1000) / 1e9:.1f} GFLOP/s ({ms:.2f} ms)")

print("\n| workload | PyTorch |\n|---|---|")
for name, value in rows:
    print(f"| {name} | {value} |")
