"""Honest capture figures: the line classifier retrained per fold (sites grouped, nothing
saved) and scored only on sites it never saw. The `captures` section scores the shipped
model on the pages it was trained on, which flatters it."""
from __future__ import annotations

from bench import train_capture


def main() -> None:
    train_capture.main(["--no-save"])


if __name__ == "__main__":
    main()
