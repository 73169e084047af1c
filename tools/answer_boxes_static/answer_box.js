// Answer boxes of the book's exercises (see tools/answer_boxes.py): each form carries, as JSON,
// what the exercise's Python checker worked out when the book was built: the right answer and its
// own message for each typical slip. The typed answer is read the way
// autograd_mini/course/exercises.py reads it (WebAnswer.typed and WebAnswer.matches).
(function () {
  "use strict";

  const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
  // torch's dtype aliases, as normalized_dtype reads them.
  const DTYPE_ALIASES = {
    float: "float32", double: "float64", half: "float16",
    int: "int32", long: "int64", short: "int16", bool: "bool",
  };

  function numbersIn(text) {
    return (text.match(NUMBER) || []).map(Number);
  }

  function normalizedPrintout(text) {
    let trimmed = text.trim();
    const first = trimmed[0];
    if (trimmed.length >= 2 && (first === "'" || first === '"') && trimmed.endsWith(first)) {
      trimmed = trimmed.slice(1, -1);
    }
    return trimmed.split(/\s+/).filter(Boolean).join(" ");
  }

  function normalizedDtype(text) {
    const name = text.trim().toLowerCase().split(".").pop();
    return DTYPE_ALIASES[name] || name;
  }

  // The typed answer as the checker's spec holds values, or {problem} saying what to type.
  function typed(spec, form) {
    if (spec.kind === "choice") {
      const picked = form.querySelector("input[type=radio]:checked");
      return picked ? { value: picked.value } : { problem: "Pick one of the answers first." };
    }
    const text = form.querySelector("input[type=text]").value;
    if (!text.trim()) return { problem: "Type your answer in the box first." };
    if (spec.kind === "printout") return { value: normalizedPrintout(text) };
    if (spec.kind === "dtype") return { value: normalizedDtype(text) };
    if (spec.kind === "expression") return { value: text.replace(/\s+/g, "").replace(/'/g, '"') };
    const numbers = numbersIn(text);
    if (spec.kind === "number") {
      return numbers.length === 1
        ? { value: numbers[0] }
        : { problem: "Type a single number, such as -2.5 (no letters or formulas)." };
    }
    if (spec.kind === "shape" && !numbers.every(Number.isInteger)) {
      return { problem: "A shape is made of whole numbers, such as (2, 3)." };
    }
    if (!numbers.length && spec.kind !== "shape") {
      return { problem: "Type the numbers, separated by commas." };
    }
    return { value: numbers };
  }

  function close(a, b, tolerance) {
    return Math.abs(a - b) <= Math.max(tolerance * Math.max(Math.abs(a), Math.abs(b)), tolerance);
  }

  function matches(spec, given, expected) {
    if (spec.kind === "number" || spec.kind === "numbers") {
      const left = [].concat(given);
      const right = [].concat(expected);
      return left.length === right.length &&
        left.every((value, index) => close(value, right[index], spec.tolerance));
    }
    if (spec.kind === "shape") {
      return given.length === expected.length &&
        given.every((value, index) => value === expected[index]);
    }
    return given === expected;
  }

  function show(verdict, lines, right) {
    verdict.replaceChildren(...lines.map((line) => {
      const paragraph = document.createElement("p");
      paragraph.textContent = line;
      return paragraph;
    }));
    verdict.classList.toggle("answer-box-right", right === true);
    verdict.classList.toggle("answer-box-wrong", right === false);
  }

  function check(form, spec) {
    const verdict = form.querySelector(".answer-box-verdict");
    const answer = typed(spec, form);
    if (answer.problem) {
      show(verdict, [answer.problem], null);
      return;
    }
    const right = [spec.correct].concat(spec.also);
    if (right.some((value) => matches(spec, answer.value, value))) {
      show(verdict, ["✓ Correct!"], true);
      return;
    }
    const slip = spec.slips.find((candidate) => matches(spec, answer.value, candidate.value));
    if (!slip && spec.kind === "expression") {
      show(verdict, [
        "? This page knows only a few ways to write it, and yours is not one of them, so it may " +
          "still be right: run it in Jupyter (the launch button, the rocket, at the top of the " +
          "page) and the checker will tell.",
        `Hint: ${spec.hint}`,
      ], null);
      return;
    }
    const problem = slip ? slip.message : "that is not what the checker works out";
    show(verdict, [`✗ ${problem}`, `Hint: ${spec.hint}`], false);
  }

  function setUp() {
    document.querySelectorAll("form.answer-box").forEach((form) => {
      const spec = JSON.parse(form.querySelector("script.answer-box-spec").textContent);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        check(form, spec);
      });
      form.hidden = false;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
