"""codeaug.compare.canonical_order: set elements sorted at any depth, nothing else moved."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from codeaug.compare import canonical_order, values_equal
from codeaug.typesys import parse_type


def test_sets_are_sorted_at_every_depth_and_lists_keep_their_order() -> None:
    t = parse_type("list[tuple[set[str],list[int]]]")
    value = [[["b", "a"], [3, 1]], [["日", "c"], [2]]]
    assert canonical_order(value, t) == [[["a", "b"], [3, 1]], [["c", "日"], [2]]]
    assert canonical_order({"k": [2, 1]}, parse_type("dict[str,set[int]]")) == {"k": [1, 2]}
    assert canonical_order(None, parse_type("optional[set[int]]")) is None


@given(st.lists(st.integers(), unique=True), st.randoms())
def test_any_order_of_a_set_gives_the_same_text(items: list[int], rnd) -> None:  # type: ignore[no-untyped-def]
    t = parse_type("set[int]")
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert canonical_order(shuffled, t) == canonical_order(items, t)
    assert values_equal(canonical_order(shuffled, t), items, t)
