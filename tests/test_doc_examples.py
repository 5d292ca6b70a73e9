"""Every console example in README.md and docs/ prints what it says it prints: a changed
output fails here instead of leaving the documentation wrong."""

from __future__ import annotations

import pytest

from tests.doc_examples import DOCUMENTS, Example, examples, run

EXAMPLES = [example for path in DOCUMENTS for example in examples(path)]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_a_documented_example_prints_what_it_says(example: Example) -> None:
    assert run(example) == [output for _, output in example.steps]


def test_the_readme_has_examples() -> None:
    assert any(e.path.name == "README.md" for e in EXAMPLES)
