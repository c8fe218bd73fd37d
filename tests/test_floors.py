"""The floors check (tests/floors/run) installs what pyproject.toml really allows.

tests/floors/requirements.txt pins each of bp_lib's dependencies at its lower bound in
pyproject.toml, so that the check runs the book on exactly the oldest versions a user may get
(`pip install bp_lib`, Colab); its other lines are the book's test tools at their pins in
requirements.txt. Raising a floor in one file and not the other fails here.
"""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "tests" / "floors" / "requirements.txt"


def pins(path):
    """{canonical name: version} of the `name==version` lines of a requirements file."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", line)
        assert match, f"{path.name}: {line!r} is not of the form name==version"
        found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def lower_bounds():
    """{canonical name: X} of pyproject.toml's dependencies, each of which must say `>=X`."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds = {}
    for text in project["dependencies"]:
        requirement = Requirement(text)
        floors = [s.version for s in requirement.specifier if s.operator == ">="]
        assert len(floors) == 1, (
            f"pyproject.toml: {text!r} must have one lower bound, name>=X"
        )
        bounds[canonicalize_name(requirement.name)] = floors[0]
    return bounds


def test_every_dependency_is_pinned_at_its_lower_bound():
    bounds, floors = lower_bounds(), pins(FLOORS)
    assert bounds, "pyproject.toml lists no dependencies"
    for name, bound in bounds.items():
        assert name in floors, (
            f"tests/floors/requirements.txt does not pin {name} (pyproject.toml: >={bound})"
        )
        assert floors[name] == bound, (
            f"tests/floors/requirements.txt pins {name}=={floors[name]} but pyproject.toml says {name}>={bound}: "
            "the two must name the same version"
        )


def test_the_other_pins_are_the_books():
    book, floors = pins(ROOT / "requirements.txt"), pins(FLOORS)
    for name in set(floors) - set(lower_bounds()):
        assert name in book, (
            f"tests/floors/requirements.txt pins {name}, which is neither a dependency nor in requirements.txt"
        )
        assert floors[name] == book[name], (
            f"tests/floors/requirements.txt pins {name}=={floors[name]}, requirements.txt {name}=={book[name]}"
        )


def test_the_books_pins_lie_above_the_floors():
    """requirements.txt's exact versions are themselves allowed by pyproject.toml."""
    book = pins(ROOT / "requirements.txt")
    for name, bound in lower_bounds().items():
        assert name in book, f"requirements.txt does not pin {name}"
        assert Version(book[name]) >= Version(bound), (
            f"requirements.txt pins {name}=={book[name]}, below pyproject.toml's >={bound}"
        )
