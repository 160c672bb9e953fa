"""Writes reference.safetensors: PyTorch's outputs and gradients for small recurrent layers, an MLP
with BatchNorm1d and cross-entropy, and LayerNorm, all in float64. TensorForge's tests load the
same weights and inputs and compare (ReferenceTests.swift). Run from this folder:

    python make_reference.py        # needs torch and safetensors
"""
import torch
from safetensors.torch import save_file

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
out = {}


def record(prefix, module, inputs, outputs_and_weights):
    """Stores parameters, inputs, outputs, and gradients of sum(output * weight)."""
    for name, p in module.state_dict().items():
        out[f"{prefix}.initial.{name}"] = p.clone()
    loss = 0
    for name, value in outputs_and_weights(module):
        w = torch.randn_like(value)
        out[f"{prefix}.w.{name}"] = w
        out[f"{prefix}.out.{name}"] = value.detach().clone()
        loss = loss + (value * w).sum()
    loss.backward()
    for name, t in inputs.items():
        out[f"{prefix}.in.{name}"] = t.detach().clone()
        out[f"{prefix}.grad.{name}"] = t.grad.clone()
    for name, p in module.named_parameters():
        out[f"{prefix}.grad.{name}"] = p.grad.clone()
    for name, p in module.state_dict().items():
        out[f"{prefix}.after.{name}"] = p.clone()


x = torch.randn(5, 2, 3, requires_grad=True)
h0 = torch.randn(2, 2, 4, requires_grad=True)
c0 = torch.randn(2, 2, 4, requires_grad=True)
lstm = torch.nn.LSTM(3, 4, num_layers=2)
def run_lstm(m):
    o, (h, c) = m(x, (h0, c0))
    return [("output", o), ("h", h), ("c", c)]
record("lstm", lstm, {"x": x, "h0": h0, "c0": c0}, run_lstm)

x = torch.randn(5, 2, 3, requires_grad=True)
h0 = torch.randn(2, 2, 4, requires_grad=True)
rnn = torch.nn.RNN(3, 4, num_layers=2)
def run_rnn(m):
    o, h = m(x, h0)
    return [("output", o), ("h", h)]
record("rnn", rnn, {"x": x, "h0": h0}, run_rnn)

x = torch.randn(5, 2, 3, requires_grad=True)
h0 = torch.randn(2, 2, 4, requires_grad=True)
gru = torch.nn.GRU(3, 4, num_layers=2)
def run_gru(m):
    o, h = m(x, h0)
    return [("output", o), ("h", h)]
record("gru", gru, {"x": x, "h0": h0}, run_gru)

x = torch.randn(6, 3, requires_grad=True)
targets = torch.tensor([0, 2, 1, 2, 0, 1])
mlp = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.BatchNorm1d(5), torch.nn.Sigmoid(), torch.nn.Linear(5, 3))
def run_mlp(m):
    logits = m(x)
    return [("logits", logits), ("loss", torch.nn.functional.cross_entropy(logits, targets).reshape(1))]
record("mlp", mlp, {"x": x}, run_mlp)
out["mlp.targets"] = targets  # int64, read back as Double

x = torch.randn(3, 4, requires_grad=True)
norm = torch.nn.LayerNorm(4)
with torch.no_grad():
    norm.weight.copy_(torch.randn(4)); norm.bias.copy_(torch.randn(4))
record("layernorm", norm, {"x": x}, lambda m: [("y", m(x))])

save_file({k: v.contiguous() for k, v in out.items()}, "reference.safetensors")
print(f"wrote {len(out)} tensors")
