"""Writes nn_reference.safetensors: PyTorch's outputs and gradients for the convolution, pooling,
embedding, activation, attention and Transformer layers and the losses, and the parameters and
learning rates of a few optimiser and scheduler steps, all in float64. TensorForge's tests load
the same weights and inputs and compare (NNReferenceTests.swift). Run from this folder:

    python make_nn_reference.py        # needs torch and safetensors

Key layout per case (as make_reference.py): `<case>.initial.<key>` the module's state dict,
`<case>.in.<name>` inputs, `<case>.out.<name>` outputs, `<case>.w.<name>` the weights of the loss
Σ output ⊙ w, `<case>.grad.<name>` gradients of inputs and parameters.
"""
import math

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
nn = torch.nn
out = {}


def record(prefix, module, inputs, outputs):
    """Stores parameters, inputs, outputs, and gradients of sum(output * weight)."""
    for name, p in module.state_dict().items():
        out[f"{prefix}.initial.{name}"] = p.clone()
    loss = 0
    for name, value in outputs(module):
        w = torch.randn_like(value)
        out[f"{prefix}.w.{name}"] = w
        out[f"{prefix}.out.{name}"] = value.detach().clone()
        loss = loss + (value * w).sum()
    loss.backward()
    for name, t in inputs.items():
        out[f"{prefix}.in.{name}"] = t.detach().clone()
        if t.requires_grad:
            out[f"{prefix}.grad.{name}"] = t.grad.clone()
    for name, p in module.named_parameters():
        out[f"{prefix}.grad.{name}"] = p.grad.clone()


def leaf(*shape, scale=1.0):
    return (torch.randn(*shape) * scale).requires_grad_()


def randomize(module, scale=0.5):
    """Non-default values everywhere (zero biases and unit norms would hide mistakes)."""
    with torch.no_grad():
        for p in module.parameters():
            p.uniform_(-scale, scale)
    return module


none = nn.Sequential()  # a module without parameters, for functions

# Convolutions: strides, padding, dilation and groups in each direction, with and without bias.
x = leaf(2, 4, 7, 6)
conv = nn.Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2)
record("conv2d", conv, {"x": x}, lambda m: [("y", m(x))])

x = leaf(3, 3, 5, 5)
conv = nn.Conv2d(3, 5, 3, padding=1, bias=False)
record("conv2d_nobias", conv, {"x": x}, lambda m: [("y", m(x))])

x = leaf(2, 4, 11)
conv = nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2)
record("conv1d", conv, {"x": x}, lambda m: [("y", m(x))])

x = leaf(4, 9)
conv = nn.Conv1d(4, 2, 4, stride=1, padding=1)
record("conv1d_unbatched", conv, {"x": x}, lambda m: [("y", m(x))])

# Pooling.
x = leaf(2, 3, 7, 8)
record("maxpool", none, {"x": x}, lambda m: [
    ("padded", F.max_pool2d(x, 3, stride=2, padding=1)),
    ("ceil", F.max_pool2d(x, 2, stride=2, ceil_mode=True)),
    ("dilated", F.max_pool2d(x, 2, stride=1, dilation=2)),
])
x = leaf(2, 3, 7, 8)
record("avgpool", none, {"x": x}, lambda m: [
    ("padded", F.avg_pool2d(x, 3, stride=2, padding=1)),
    ("exclude_pad_ceil", F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    ("ceil", F.avg_pool2d(x, 2, ceil_mode=True)),
    ("divisor", F.avg_pool2d(x, (2, 3), stride=(1, 2), divisor_override=5)),
])
x = leaf(2, 3, 7, 5)
record("adaptive", none, {"x": x}, lambda m: [
    ("y32", F.adaptive_avg_pool2d(x, (3, 2))),
    ("y1", F.adaptive_avg_pool2d(x, 1)),
    ("y45", F.adaptive_avg_pool2d(x, (4, 5))),
])

# A small CNN end to end, with cross-entropy.
x = leaf(3, 1, 8, 8)
cnn_targets = torch.tensor([2, 0, 1])
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(),
                    nn.AvgPool2d(2), nn.Flatten(), nn.Linear(32, 3))
def run_cnn(m):
    logits = m(x)
    return [("logits", logits), ("loss", F.cross_entropy(logits, cnn_targets).reshape(1))]
record("cnn", cnn, {"x": x}, run_cnn)
out["cnn.targets"] = cnn_targets

# Embedding with a padding row; index 1 and 2 repeat, so gradients accumulate (and skip row 2).
indices = torch.tensor([[1, 2, 3], [2, 9, 1]])
embedding = nn.Embedding(10, 4, padding_idx=2)
record("embedding", embedding, {"indices": indices}, lambda m: [("y", m(indices))])

# Activations.
x = leaf(4, 5, scale=2.0)
record("activations", none, {"x": x}, lambda m: [
    ("elu", F.elu(x, alpha=0.7)), ("selu", F.selu(x)), ("silu", F.silu(x)),
    ("gelu", F.gelu(x)), ("gelu_tanh", F.gelu(x, approximate="tanh")),
    ("softplus", F.softplus(x, beta=2, threshold=5)), ("softmax", F.softmax(x, dim=1)),
    ("log_softmax", F.log_softmax(x, dim=0)),
])

# Multi-head attention: self-attention with key padding (batch first), cross-attention with a
# boolean mask and per-head weights (sequence first), and the causal mask as −∞.
x = leaf(3, 5, 8)
padding = torch.tensor([[False] * 5, [False, False, False, True, True], [False, True, False, False, True]])
attention = randomize(nn.MultiheadAttention(8, 2, batch_first=True))
def run_self_attention(m):
    y, weights = m(x, x, x, key_padding_mask=padding)
    return [("y", y), ("weights", weights)]
record("mha_self", attention, {"x": x}, run_self_attention)
out["mha_self.padding"] = padding

q, k, v = leaf(4, 3, 8), leaf(6, 3, 8), leaf(6, 3, 8)
mask = torch.rand(4, 6) < 0.3
mask[:, 0] = False  # no query loses every key
attention = randomize(nn.MultiheadAttention(8, 4))
def run_cross_attention(m):
    y, weights = m(q, k, v, attn_mask=mask, average_attn_weights=False)
    return [("y", y), ("weights", weights)]
record("mha_cross", attention, {"q": q, "k": k, "v": v}, run_cross_attention)
out["mha_cross.mask"] = mask

x = leaf(2, 5, 8)
attention = randomize(nn.MultiheadAttention(8, 2, batch_first=True))
causal = nn.Transformer.generate_square_subsequent_mask(5)
record("mha_causal", attention, {"x": x}, lambda m: [("y", m(x, x, x, attn_mask=causal, is_causal=True, need_weights=False)[0])])

# Transformer encoder layers: Post-LN ReLU batch first with padding; Pre-LN GELU sequence first
# with a causal mask; a two-layer encoder with a final norm.
x = leaf(3, 5, 8)
layer = randomize(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True))
record("encoder_postln", layer, {"x": x}, lambda m: [("y", m(x, src_key_padding_mask=padding))])

x = leaf(5, 3, 8)
layer = randomize(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation="gelu", norm_first=True))
record("encoder_preln", layer, {"x": x}, lambda m: [("y", m(x, src_mask=causal, is_causal=True))])

x = leaf(3, 5, 8)
layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
encoder = randomize(nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False))
record("encoder_stack", encoder, {"x": x}, lambda m: [("y", m(x, src_key_padding_mask=padding))])

# Losses, each with every reduction.
logits = leaf(5, 4)
targets = torch.tensor([0, 3, -100, 1, 3])
class_weight = torch.rand(4) + 0.5
log_probabilities = logits.log_softmax(1)
probabilities = torch.rand(5, 4).softmax(1)
logits3 = leaf(3, 4, 2)
targets3 = torch.tensor([[0, 3], [2, -100], [1, 1]])
def run_classification(m):
    results = []
    for reduction in ["mean", "sum", "none"]:
        results += [
            (f"nll_{reduction}", F.nll_loss(log_probabilities, targets, weight=class_weight, reduction=reduction)),
            (f"nll3_{reduction}", F.nll_loss(logits3.log_softmax(1), targets3, reduction=reduction)),
            (f"ce_{reduction}", F.cross_entropy(logits, targets, weight=class_weight, reduction=reduction, label_smoothing=0.1)),
            (f"ce_plain_{reduction}", F.cross_entropy(logits, targets, reduction=reduction)),
            (f"ce_soft_{reduction}", F.cross_entropy(logits, probabilities, weight=class_weight, reduction=reduction, label_smoothing=0.2)),
        ]
    return [(name, value.reshape(-1)) for name, value in results]
record("classification", none, {"logits": logits, "logits3": logits3}, run_classification)
out["classification.targets"] = targets
out["classification.targets3"] = targets3
out["classification.class_weight"] = class_weight
out["classification.probabilities"] = probabilities

x, t = leaf(3, 4), leaf(3, 4)
p, pt = torch.rand(3, 4).requires_grad_(), torch.rand(3, 4).requires_grad_()
element_weight = torch.rand(3, 4)
def run_regression(m):
    results = []
    for reduction in ["mean", "sum", "none"]:
        results += [
            (f"l1_{reduction}", F.l1_loss(x, t, reduction=reduction)),
            (f"smooth_l1_{reduction}", F.smooth_l1_loss(x, t, reduction=reduction, beta=0.5)),
            (f"huber_{reduction}", F.huber_loss(x, t, reduction=reduction, delta=1.5)),
            (f"bce_{reduction}", F.binary_cross_entropy(p, pt, weight=element_weight, reduction=reduction)),
            (f"bce_plain_{reduction}", F.binary_cross_entropy(p, pt, reduction=reduction)),
        ]
    return [(name, value.reshape(-1)) for name, value in results]
record("regression", none, {"x": x, "t": t, "p": p, "pt": pt}, run_regression)
out["regression.element_weight"] = element_weight

# Optimisers: five steps from the same start with a fixed sequence of gradients.
start = [torch.randn(3, 4), torch.randn(4)]
gradients = [[torch.randn(3, 4), torch.randn(4)] for _ in range(5)]
for i, s in enumerate(start):
    out[f"optim.start.{i}"] = s
for step, gs in enumerate(gradients):
    for i, g in enumerate(gs):
        out[f"optim.grad.{step}.{i}"] = g
optimizers = {
    "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=0.01),
    "rmsprop_full": lambda ps: torch.optim.RMSprop(ps, lr=0.02, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.8, centered=True),
    "adagrad": lambda ps: torch.optim.Adagrad(ps, lr=0.1),
    "adagrad_full": lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.05, weight_decay=0.2, initial_accumulator_value=0.3, eps=1e-8),
}
for name, make in optimizers.items():
    params = [s.clone().requires_grad_() for s in start]
    optimizer = make(params)
    for step, gs in enumerate(gradients):
        for p_, g in zip(params, gs):
            p_.grad = g.clone()
        optimizer.step()
        for i, p_ in enumerate(params):
            out[f"optim.{name}.{step}.{i}"] = p_.detach().clone()

# Schedulers: the learning rate (and cycled momentum) after building and after each step.
def schedule(name, make_optimizer, make_scheduler, steps, momentum_key=None):
    optimizer = make_optimizer([torch.zeros(1, requires_grad=True)])
    scheduler = make_scheduler(optimizer)
    lrs, momenta = [scheduler.get_last_lr()[0]], []
    def momentum():
        group = optimizer.param_groups[0]
        return group["betas"][0] if momentum_key == "betas" else group["momentum"]
    if momentum_key:
        momenta.append(momentum())
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
        if momentum_key:
            momenta.append(momentum())
    out[f"sched.{name}.lr"] = torch.tensor(lrs)
    if momentum_key:
        out[f"sched.{name}.momentum"] = torch.tensor(momenta)

sgd = lambda ps: torch.optim.SGD(ps, lr=0.1)
schedule("step", sgd, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 10)
schedule("linear", sgd, lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4), 7)
schedule("linear_down", sgd, lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=5), 7)
schedule("cosine", sgd, lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01), 12)
schedule("onecycle_sgd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
         lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=10), 10, "momentum")
schedule("onecycle_adam", lambda ps: torch.optim.Adam(ps, lr=0.1),
         lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=12, pct_start=0.25, anneal_strategy="linear",
                                                        three_phase=True, div_factor=10, final_div_factor=100), 12, "betas")

# Gradient clipping.
for name, clip in {"value": lambda ps: torch.nn.utils.clip_grad_value_(ps, 0.5),
                   "norm3": lambda ps: torch.nn.utils.clip_grad_norm_(ps, 1.0, norm_type=3),
                   "norm_inf": lambda ps: torch.nn.utils.clip_grad_norm_(ps, 0.5, norm_type=math.inf),
                   "norm2": lambda ps: torch.nn.utils.clip_grad_norm_(ps, 1.0)}.items():
    params = [s.clone().requires_grad_() for s in start]
    for p_, g in zip(params, gradients[0]):
        p_.grad = g.clone()
    norm = clip(params)
    if norm is not None:
        out[f"clip.{name}.norm"] = norm.reshape(1).detach().clone()
    for i, p_ in enumerate(params):
        out[f"clip.{name}.{i}"] = p_.grad.clone()

save_file({k: v.contiguous() for k, v in out.items()}, "nn_reference.safetensors")
print(f"wrote {len(out)} tensors")
