"""The checkers of the exercises added with chapter 4's pages (derivatives, graph, practice).

Each checker must accept the book's reference answers, in either library, and reject typical
wrong answers with the hint that names the mistake. Expected values come from torch inside the
checkers; here the wrong answers are the ones a reader plausibly gives.
"""

import pytest
import torch

import autograd_mini as am
from autograd_mini.course import ReferenceSolutionError
from autograd_mini.course import exercises_ch4_derivatives as derivatives
from autograd_mini.course import exercises_ch4_graph as graph
from autograd_mini.course import exercises_ch4_practice as practice


def _rejects(exercise, answer, message):
    problem = exercise._problem(answer)
    assert problem is not None, f"{exercise.title} accepted a wrong answer: {answer!r}"
    assert message in problem, problem
    with pytest.raises(ReferenceSolutionError):
        exercise.check_solution(answer)


def _accepts(exercise, answer):
    assert exercise._problem(answer) is None, exercise._problem(answer)
    exercise.check_solution(answer)


# --- Derivatives with autograd --------------------------------------------------------------


def test_kinks():
    exercise = derivatives.EXERCISE_KINKS
    _accepts(exercise, [0.0, 0.0, 1.5, 1.5])
    _accepts(exercise, am.tensor([0.0, 0.0, 1.5, 1.5]))
    _rejects(exercise, ..., "not answered yet")
    _rejects(exercise, [0.0, 1.0, 1.5, 1.5], "slope of 0, not 1")
    _rejects(exercise, [0.0, 0.0, 2.0, 1.0], "whole gradient to one of the tied")
    _rejects(exercise, [1.0, 1.0, 2.0, 2.0], "only to the entries that are the maximum")
    _rejects(exercise, [0.0, 0.0, 1.0], "four numbers")
    _rejects(exercise, [0.0, 0.0, 1.0, 1.0], "is not right yet")


# --- The graph and the chain rule -----------------------------------------------------------


def test_predict_the_chain_rule():
    exercise = graph.EXERCISE_PREDICT_CHAIN
    _accepts(exercise, "tensor(24.)")
    _accepts(exercise, "  tensor( 24. ) ")
    _rejects(exercise, "tensor(8.)", "MulBackward0 still multiplies by 3")
    _rejects(exercise, "tensor(6.)", "not 2x")
    _rejects(exercise, "tensor(25.)", "does not print 'tensor(25.)'")
    _rejects(exercise, 24.0, "in quotes")


def test_predict_next_functions():
    exercise = graph.EXERCISE_PREDICT_NEXT_FUNCTIONS
    _accepts(exercise, "MulBackward0 None")
    _rejects(exercise, "AddBackward0 None", "z's own node")
    _rejects(exercise, "MulBackward0 AccumulateGrad", "no node stands for it")
    _rejects(exercise, "AccumulateGrad None", "made by a node")


def test_predict_a_broadcast_gradient():
    exercise = graph.EXERCISE_PREDICT_UNBROADCAST
    _accepts(exercise, "tensor([5., 7., 9.])")
    _rejects(exercise, "tensor([2., 2., 2.])", "not by 1")
    _rejects(exercise, "tensor([6., 15.])", "row sums")
    _rejects(exercise, "tensor([[1., 2., 3.],\n        [4., 5., 6.]])", "its gradient does too")


def test_a_loop_decides_the_slope():
    exercise = graph.EXERCISE_HALVING
    _accepts(exercise, (0.125, 1.0))
    _accepts(exercise, [torch.tensor(0.125), am.tensor(1.0)])
    _rejects(exercise, (0.125, 0.0), "never runs")
    _rejects(exercise, (0.25, 1.0), "count the halvings")
    _rejects(exercise, (0.5, 1.0), "is not right yet")
    _rejects(exercise, 0.125, "pair")


def test_the_gradient_of_a_tensor_in_the_middle():
    exercise = graph.EXERCISE_MIDDLE_GRADIENT
    x = am.tensor(1.0, requires_grad=True)
    h = am.sin(x)
    h.retain_grad()
    (h**3).backward()
    _accepts(exercise, h.grad)
    _rejects(exercise, x.grad, "that is x.grad")
    _rejects(exercise, 1.0, "is not right yet")
    _rejects(exercise, "2.12", "a tensor or a number")


# --- Autograd in practice -------------------------------------------------------------------


def test_which_graphs_can_be_walked_twice():
    exercise = practice.EXERCISE_SECOND_WALK
    _accepts(exercise, "ac")
    _accepts(exercise, "C, a")
    _rejects(exercise, "abc", "(b) fails the second time")
    _rejects(exercise, "a", "(c) works twice")
    _rejects(exercise, "ae", "only the letters")
    _rejects(exercise, ["a", "c"], "as a string")


def test_predict_writing_into_a_detached_tensor():
    exercise = practice.EXERCISE_PREDICT_DETACH
    _accepts(exercise, "tensor([5., 2.], requires_grad=True)")
    _rejects(exercise, "tensor([1., 2.], requires_grad=True)", "share their memory")
    _rejects(exercise, "tensor([5., 2.])", "still requires grad")


def test_one_step_of_sgd_by_hand():
    exercise = practice.EXERCISE_SGD_STEP
    weight = am.tensor([[1.0]], requires_grad=True)
    bias = am.tensor([0.0], requires_grad=True)
    x, y = am.tensor([[1.0], [2.0], [3.0]]), am.tensor([[2.0], [4.0], [6.0]])
    ((x @ weight.T + bias - y) ** 2).mean().backward()
    with am.no_grad():
        weight -= 0.1 * weight.grad
        bias -= 0.1 * bias.grad
    _accepts(exercise, (weight, bias))
    _rejects(exercise, (am.tensor([[1.0]]), am.tensor([0.0])), "have not moved")
    # The gradient of the sum instead of the mean: three times too big a step.
    _rejects(exercise, (am.tensor([[3.8]]), am.tensor([1.2])), "The weight")
    _rejects(exercise, (weight, am.tensor([0.0])), "The bias")
    _rejects(exercise, (1.9333, 0.4), "the two tensors")


def test_an_in_place_step_that_autograd_accepts():
    exercise = practice.EXERCISE_IN_PLACE_STEP
    for library in (torch, am):
        w = library.tensor(practice.IN_PLACE_START, requires_grad=True)
        (w**2).sum().backward()
        with library.no_grad():
            w -= practice.IN_PLACE_LEARNING_RATE * w.grad
        _accepts(exercise, w)
    start = torch.tensor(practice.IN_PLACE_START, requires_grad=True)
    _rejects(exercise, start, "still holds its starting values")
    (start**2).sum().backward()
    _rejects(exercise, start - 0.1 * start.grad, "grad_fn")
    _rejects(exercise, (start - 0.1 * start.grad).detach(), "no longer requires grad")
    _rejects(exercise, (start - start.grad).detach().requires_grad_(), "is not right yet")
    _rejects(exercise, [0.8, -1.6, 2.4], "expected the tensor w")
