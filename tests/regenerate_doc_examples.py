"""Write what every console example of README.md and docs/ prints now into the files
(``python -m tests.regenerate_doc_examples``); review the diff like code."""

from __future__ import annotations

from tests.doc_examples import DOCUMENTS, examples, run, with_outputs


def main() -> None:
    """Rewrite each documented example's outputs, last block first so spans stay valid."""
    for path in DOCUMENTS:
        text = path.read_text("utf-8")
        for example in reversed(examples(path)):
            text = with_outputs(text, example, run(example))
        path.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
