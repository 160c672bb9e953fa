import TensorForge
print("engine benchmark: not yet")
