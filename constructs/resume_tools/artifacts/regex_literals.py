"""The text a regex cannot match without: one literal per alternative, lower-cased.

    required_literals(r"Ahrefs(Bot|SiteAudit)")  # "ahrefsbot", "ahrefssiteaudit"
    required_literals(r"^curl")                   # "curl", at the start

A small reader of the syntax crawler lists use: characters, escapes, classes, groups,
alternation, anchors and quantifiers. Anything else raises Unsupported, and the caller keeps
that pattern as a regex. Lower-cased because the rules built from it compare lower-cased text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final

# A literal shorter than this says too little to stand for a pattern.
MIN_LITERAL_CHARS: Final = 3
# Past this many alternatives ((a|b)(c|d)… multiplies them) a pattern stays a regex.
MAX_ALTERNATIVES: Final = 16
_SPECIAL: Final = frozenset("\\.^$*+?()[]{}|")
# Escapes that stand for a class of characters or a zero-width test: never one character.
_CLASS_ESCAPES: Final = frozenset("dDsSwWbB")


class Unsupported(ValueError):
    """A regex this reader cannot reduce to literals."""


@dataclass(frozen=True, order=True)
class Literal:
    """Text a pattern cannot match without, and whether it must start or end the subject."""

    text: str
    at_start: bool = False
    at_end: bool = False


class _Mark(Enum):
    """A regex item that is not one literal character."""

    START = "^"
    END = "$"
    GAP = "anything else"


_Item = str | _Mark


def required_literals(pattern: str) -> list[Literal]:
    """One literal per alternative of `pattern`: its longest run of plain characters.

    Raises Unsupported when the pattern is beyond the reader, or an alternative has no run
    of MIN_LITERAL_CHARS.
    """
    if _SPECIAL.isdisjoint(pattern):  # most of a crawler list: plain text
        alternatives: list[list[_Item]] = [list(pattern.lower())]
    else:
        reader = _Reader(pattern)
        alternatives = reader.alternatives()
        if reader.at != len(pattern):
            raise Unsupported("unbalanced group")
    return sorted({_longest_run(items) for items in alternatives})


def _longest_run(items: list[_Item]) -> Literal:
    best = Literal("")
    run: list[str] = []
    after_start = False
    for index, item in enumerate([*items, _Mark.GAP]):
        if isinstance(item, str):
            if not run:
                after_start = index > 0 and items[index - 1] is _Mark.START
            run.append(item)
            continue
        if len(run) > len(best.text):
            best = Literal("".join(run), at_start=after_start, at_end=item is _Mark.END)
        run = []
    if len(best.text) < MIN_LITERAL_CHARS:
        raise Unsupported("no literal long enough")
    return best


class _Reader:
    """Reads a regex into its alternatives, each a list of items."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0

    def alternatives(self) -> list[list[_Item]]:
        found = self._sequence()
        while self._peek() == "|":
            self.at += 1
            found += self._sequence()
        return found

    def _peek(self) -> str:
        return self.pattern[self.at] if self.at < len(self.pattern) else ""

    def _take(self) -> str:
        char = self._peek()
        if not char:
            raise Unsupported("unexpected end")
        self.at += 1
        return char

    def _sequence(self) -> list[list[_Item]]:
        found: list[list[_Item]] = [[]]
        while self._peek() not in ("", "|", ")"):
            atom = self._quantified(self._atom())
            found = [head + tail for head in found for tail in atom]
            if len(found) > MAX_ALTERNATIVES:
                raise Unsupported("too many alternatives")
        return found

    def _atom(self) -> list[list[_Item]]:
        char = self._take()
        if char == "(":
            if self._peek() == "?":
                if self.pattern[self.at : self.at + 2] != "?:":
                    raise Unsupported("group flags or look-around")
                self.at += 2
            inner = self.alternatives()
            if self._take() != ")":
                raise Unsupported("unbalanced group")
            return inner
        if char == "[":
            return [[self._class()]]
        if char == "\\":
            escaped = self._take()
            if escaped in _CLASS_ESCAPES:
                return [[_Mark.GAP]]
            if escaped.isalnum():  # \1, \n, \A…: not worth reading
                raise Unsupported(f"escape \\{escaped}")
            return [[escaped.lower()]]
        if char in "^$":
            return [[_Mark.START if char == "^" else _Mark.END]]
        if char == ".":
            return [[_Mark.GAP]]
        if char in "*+?{":
            raise Unsupported("quantifier without an atom")
        return [[char.lower()]]

    def _class(self) -> _Item:
        """One character when the class only spells a letter's two cases ([wW]), else a gap."""
        negated = self._peek() == "^"
        if negated:
            self.at += 1
        members: set[str] = set()
        wide = negated  # more than one character, whatever the members
        while True:
            char = self._take()
            if char == "]" and (members or wide):
                break
            if char == "\\":
                escaped = self._take()
                wide = wide or escaped in _CLASS_ESCAPES
                members.add(escaped.lower())
            elif char == "-" and members and self._peek() != "]":
                wide = True  # a range
                self._take()
            else:
                members.add(char.lower())
        return members.pop() if len(members) == 1 and not wide else _Mark.GAP

    def _quantified(self, atom: list[list[_Item]]) -> list[list[_Item]]:
        char = self._peek()
        if char in ("*", "?", "+"):
            self.at += 1
            least = 1 if char == "+" else 0
        elif char == "{":
            close = self.pattern.find("}", self.at)
            bounds = self.pattern[self.at + 1 : close].split(",")
            if close < 0 or not bounds[0].isdigit():
                raise Unsupported("bad repetition")
            self.at = close + 1
            least = int(bounds[0])
        else:
            return atom
        if self._peek() == "?":  # lazy: the same text must still be there
            self.at += 1
        # Present at least once: its text, then whatever more repeats add.
        return [[*alternative, _Mark.GAP] for alternative in atom] if least else [[_Mark.GAP]]
