"""source.parse's memory: a large config costs little more than its tree.

Every later pass reads the tree, so it lives as long as the translation;
what parsing needs besides it (a decoded copy of the input, libyaml's copy,
events) only adds to the process's peak (docs: bench huge.bu, 8x its size).
"""

from __future__ import annotations

import gc
import sys
import tracemalloc

from butane_py.source import Node, parse


def _config(files: int) -> bytes:
    """Many files with small literal contents holding a few wide characters
    (those make a decoded copy of the input two bytes a character)."""
    lines = ["variant: fcos", "version: 1.5.0", "storage:", "  files:"]
    for i in range(files):
        lines += [f"    - path: /etc/app/f{i}.conf", "      mode: 0644", "      contents:",
                  "        inline: |"]
        lines += [f"          line {k} of file {i}: ✓ naïve café" for k in range(20)]
    return ("\n".join(lines) + "\n").encode()


def _traced(data: bytes) -> tuple[Node | None, int, int]:
    """The tree, the memory it holds and the peak while parsing (caches warm)."""
    parse(data)
    gc.collect()
    tracemalloc.start()
    try:
        root = parse(data)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return root, held, peak


def _count(n: Node) -> int:
    return 1 + sum(_count(k) + _count(v) for k, v in n.pairs) + sum(_count(i) for i in n.items)


def test_parsing_keeps_no_copy_of_the_input() -> None:
    data = _config(1000)
    root, held, peak = _traced(data)
    assert root is not None and _count(root) == 4 + 1000 * 9 + 5
    # before: the decoded text (two bytes a character here) and libyaml's UTF-8 copy
    assert peak - held < len(data) // 8, (peak - held, len(data))


def test_nodes_are_small() -> None:
    """A scalar stores six fields (no children, anchor or target lists of its
    own), and repeated short scalars share one string."""
    data = ("items:\n" + "  - name: core\n    uid: 1000\n    shell: /bin/bash\n" * 3000).encode()
    root, held, _ = _traced(data)
    assert root is not None
    per_node = held / _count(root)
    assert per_node < 170, per_node  # before: about 227 bytes
    scalar = root.pairs[0][1].items[0].pairs[0][1]
    assert scalar.value == "core" and scalar.pairs == [] and scalar.items == []
    assert scalar.target is None and scalar.anchor is None
    assert sys.getsizeof(scalar) < sys.getsizeof(root)
