"""tests/sanitize.cfg replaces what changes from run to run, and only that.

nbval reads the file's regex/replace pairs with `get_sanitize_patterns` into an ordered dict and
applies them one after another with re.sub, to the stored and to the new output alike; `sanitize`
below does the same.
"""

import re
from collections import OrderedDict
from pathlib import Path

import pytest
from nbval.plugin import get_sanitize_patterns

from publishing.notebooks import chapters, read

ROOT = Path(__file__).resolve().parent.parent
RULES = list(
    OrderedDict(
        get_sanitize_patterns((ROOT / "tests" / "sanitize.cfg").read_text())
    ).items()
)


def sanitize(text, rules=RULES):
    for regex, replace in rules:
        text = re.sub(regex, replace, text)
    return text


EXAMPLES = {
    "<Figure size 1100x440 with 2 Axes>": "<Figure>",
    "<Figure size 700x400 with 1 Axes>": "<Figure>",
    "<Figure size 640.5x480 with 10 Axes>": "<Figure>",
    "<matplotlib.lines.Line2D object at 0x7f3a2c1b9d50>": "<matplotlib object>",
    "[<matplotlib.lines.Line2D object at 0x7f3a2c1b9d50>, "
    "<matplotlib.patches.Rectangle object at 0x7F3A2C1B9E10>]": (
        "[<matplotlib object>, <matplotlib object>]"
    ),
    "0x7f3a2c1b9d50": "0xADDRESS",
    "<function sigmoid at 0x7f3a2c1b9d50>": "<function sigmoid at 0xADDRESS>",
    "<bp_lib.network.Network object at 0x10a2b3c4d>": "<bp_lib.network.Network object at 0xADDRESS>",
    "(0x7f01, 0x7f02)": "(0xADDRESS, 0xADDRESS)",
    # sizes and products are not addresses
    "a 1100x440 image": "a 1100x440 image",
    "1100x440": "1100x440",
    "the 30x10 weight matrix, 1.5x0 and 2x0.5": "the 30x10 weight matrix, 1.5x0 and 2x0.5",
    "index0x1f and 0x1fz": "index0x1f and 0x1fz",
    "Figure size 1100x440": "Figure size 1100x440",
}


def test_the_file_holds_the_three_rules():
    assert len(RULES) == 3, RULES


@pytest.mark.parametrize("text", sorted(EXAMPLES))
def test_each_rule_replaces_only_what_it_names(text):
    assert sanitize(text) == EXAMPLES[text]


@pytest.mark.parametrize("text", sorted(EXAMPLES))
def test_the_order_of_the_rules_does_not_matter_and_twice_is_once(text):
    assert sanitize(text, RULES[::-1]) == EXAMPLES[text]
    assert sanitize(sanitize(text)) == EXAMPLES[text]


def test_every_stored_figure_repr_of_the_chapters_is_replaced():
    seen = 0
    for path in chapters(ROOT):
        for cell in read(path).cells:
            for output in cell.get("outputs", []):
                text = (
                    output.get("data", {}).get("text/plain", "")
                    if "data" in output
                    else output.get("text", "")
                )
                if "<Figure size" in text:
                    seen += 1
                    assert "Figure size" not in sanitize(text), (
                        f"{path.name}: {text!r} -> {sanitize(text)!r}"
                    )
    assert seen, "no chapter stores a figure repr: the check above checked nothing"
