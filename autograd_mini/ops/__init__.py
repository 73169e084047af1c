"""The differentiable operations, one class per op, grouped by kind."""
