"""Stage 3, pre-tokenization: the regular expressions a tokenizer may split text with.

A tokenizer's pattern runs in two engines: Python's ``regex`` module (in
:class:`~llmprep.bpe.BPETokenizer`) and the Rust engine inside tiktoken (in
``to_tiktoken()`` and ``llmprep prepare``). Some constructs mean something else there
(POSIX classes such as ``[[:alpha:]]`` are ASCII-only in Rust, ``$`` also matches before
a final newline in Python), and characters no alternative matches are dropped by both.
:func:`parse` accepts only the constructs both read alike and that let a text be cut
(no lookbehind, no ``^``, no ``\\b``, no capturing group, no empty match); it returns the
facts :mod:`llmprep.cuts` needs to cut any text where the pieces do not change.
:mod:`llmprep.pattern_check` then runs both engines side by side.

>>> facts = parse(r"\\p{L}+|\\s")
>>> facts.inside_one_piece("a", "b"), facts.inside_one_piece("a", " ")
(True, False)
>>> parse("[[:alpha:]]+|.")
Traceback (most recent call last):
...
ValueError: pattern '[[:alpha:]]+|.' uses the POSIX class '[:' at 1: ...
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

__all__ = ["PatternFacts", "parse"]

_CLASS_ESCAPES = "sSdDwW"
_CONTROL = "tnrfv"  # \t, \n, \r, \f, \v
_WHY = {
    "b": "\\b looks behind the piece (a cut would change it)",
    "B": "\\B looks behind the piece (a cut would change it)",
    "A": "\\A means the start of the text, which every block of a corpus seems to be",
    "z": "\\z is not the same in both engines (use (?![\\s\\S]) for the end of the text)",
    "Z": "\\Z is not the same in both engines (use (?![\\s\\S]) for the end of the text)",
    "G": "\\G depends on where the previous match ended",
}


@dataclass(frozen=True)
class _Node:
    """One construct: ``kind`` is atom, seq, alt, repeat, look or end; ``source`` is an
    atom's single-character regex (flags applied)."""

    kind: str
    items: tuple[_Node, ...] = ()
    source: str = ""
    low: int = 1
    high: int | None = 1  # None: unbounded
    greedy_back: bool = True  # a repeat that may give characters back (not possessive)


@dataclass
class PatternFacts:
    """What a checked pattern says about cutting text (see :mod:`llmprep.cuts`).

    - ``pairs``: (left, right) single-character regexes of two characters that may stand
      side by side inside one piece; between any other two, every piece ends.
    - ``runs``: single-character regexes whose runs one step of a match may read through;
      ``hops``: how many such steps a match attempt takes at most. Together they bound how
      far past a position the engine may look.
    - ``covering``: atoms that match a character wherever it stands (no text is lost if
      every character is in one of them).
    """

    pattern: str
    atoms: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    runs: frozenset[str]
    hops: int
    covering: frozenset[str]

    @functools.cached_property
    def piece_ends(self) -> regex.Pattern[str]:
        """Matches from any position up to the next place where every piece ends."""
        inner = "|".join(f"(?:{a})(?={b})" for a, b in sorted(self.pairs))
        return regex.compile(f"(?:{inner})*+[\\s\\S]" if inner else "[\\s\\S]")

    @functools.cached_property
    def run_regexes(self) -> list[regex.Pattern[str]]:
        """For each repeated class, the run of its characters from a position."""
        return [regex.compile(f"(?:{run})*+") for run in sorted(self.runs)]

    def inside_one_piece(self, left: str, right: str) -> bool:
        """Whether the characters ``left`` then ``right`` may both lie inside one piece."""
        return self.piece_ends.match(left + right).end() == 2


@functools.cache
def _compiled(source: str) -> regex.Pattern[str]:
    return regex.compile(source)


def parse(pattern: str) -> PatternFacts:
    """The facts of a pattern made only of constructs both engines read alike; a
    ValueError naming the construct and the fix for anything else."""
    return _facts(pattern, _Parser(pattern).parse())


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.text, self.i = pattern, 0

    def fail(self, what: str, why: str) -> ValueError:
        return ValueError(
            f"pattern {self.text!r} uses {what} at {self.i}: {why}. A tokenizer's pattern must "
            f"mean the same in Python's regex module and in tiktoken's engine (prepare and "
            f"to_tiktoken use it), so llmprep accepts only the constructs both read alike"
        )

    def parse(self) -> _Node:
        node = self.alternation(flags="")
        if self.i < len(self.text):
            raise self.fail(f"an unmatched {self.text[self.i]!r}", "escape it")
        return node

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def alternation(self, flags: str) -> _Node:
        options = [self.sequence(flags)]
        while self.peek() == "|":
            self.i += 1
            options.append(self.sequence(flags))
        return options[0] if len(options) == 1 else _Node("alt", tuple(options))

    def sequence(self, flags: str) -> _Node:
        items: list[_Node] = []
        while self.i < len(self.text) and self.peek() not in "|)":
            item = self.quantified(self.primary(flags, items))
            items.append(item)
        return _Node("seq", tuple(items))

    def quantified(self, item: _Node) -> _Node:
        found = regex.match(r"\?|\*|\+|\{(\d+)(,(\d*))?\}", self.text, pos=self.i)
        if not found:
            if self.peek() == "{":
                raise self.fail("a '{' that is not a quantifier", "write \\{ for the character")
            return item
        if item.kind in ("look", "end"):
            raise self.fail("a quantifier on a zero-width construct", "remove the quantifier")
        self.i = found.end()
        q = found.group()
        low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}.get(q, (0, 0))
        if q.startswith("{"):
            low, most = int(found.group(1)), found.group(3)
            high = low if found.group(2) is None else (int(most) if most else None)
            if high is not None and high < low:
                raise self.fail(f"the quantifier {q}", "the larger number must come second")
        back = True
        if self.peek() in ("?", "+"):
            back = self.peek() == "?"  # lazy gives back; possessive does not
            self.i += 1
        return _Node("repeat", (item,), low=low, high=high, greedy_back=back)

    def primary(self, flags: str, before: list[_Node]) -> _Node:
        c = self.peek()
        if c == "(":
            return self.group(flags)
        if c == "[":
            return self.atom(self.char_class(), flags)
        if c == "\\":
            return self.escape(flags)
        if c == ".":
            self.i += 1
            return self.atom(".", flags)
        if c == "$":
            self.end_rule(before)
            self.i += 1
            return _Node("end")
        if c == "^":
            raise self.fail("'^'", "the start of the text: every block of a corpus seems to be one")
        if c in "*+?{":
            raise self.fail(f"a {c!r} with nothing to repeat before it", "escape it")
        self.i += 1
        return self.atom(regex.escape(c), flags)

    def end_rule(self, before: list[_Node]) -> None:
        last = before[-1] if before else None
        if not (
            last is not None
            and last.kind == "repeat"
            and not last.greedy_back
            and last.high is None
            and last.items[0].kind == "atom"
            and _compiled(last.items[0].source).fullmatch("\n")
        ):
            raise self.fail(
                "'$'",
                "in Python's regex it also matches before a final newline, in tiktoken's only "
                "at the very end. It is accepted right after a possessive run that takes "
                "newlines (GPT-2's \\s++$); elsewhere write (?![\\s\\S]) for the end",
            )

    def group(self, flags: str) -> _Node:
        head = regex.match(r"\((\?(?::|[=!>]|(-?i):)?)?", self.text, pos=self.i)
        kind = head.group(1) if head else None
        if kind is None:
            raise self.fail("a capturing group", "write (?:...) (findall would return the group)")
        if kind == "?":
            rest = self.text[self.i + 2 : self.i + 4]
            why = "lookbehind sees text before a cut" if rest[:1] == "<" else "only (?:, (?=, (?!"
            raise self.fail(f"the group '(?{rest}'", f"{why}, (?> and (?i: are accepted")
        self.i = head.end()
        inner_flags = flags
        if head.group(2):
            inner_flags = "i" if head.group(2) == "i" else ""
        body = self.alternation(inner_flags)
        if self.peek() != ")":
            raise self.fail("an unclosed group", "close it with ')'")
        self.i += 1
        if kind in ("?=", "?!"):
            return _Node("look", (body,))
        if kind == "?>":
            return _Node("repeat", (body,), low=1, high=1, greedy_back=False)
        return body

    def escape(self, flags: str) -> _Node:
        c = self.text[self.i + 1 : self.i + 2]
        if c in ("p", "P"):
            found = regex.match(r"\\[pP](\{\^?[A-Za-z_ =&.-]+\}|[A-Za-z])", self.text, pos=self.i)
            if not found:
                raise self.fail(f"\\{c} without a property name", "write e.g. \\p{L}")
            return self.atom(found.group(), flags, end=found.end())
        if c in _CLASS_ESCAPES or c in _CONTROL:
            return self.atom("\\" + c, flags, end=self.i + 2)
        found = regex.match(
            r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})", self.text, pos=self.i
        )
        if found:
            return self.atom(found.group(), flags, end=found.end())
        if c and not c.isalnum() and c.isascii():
            return self.atom("\\" + c, flags, end=self.i + 2)
        raise self.fail(f"the escape \\{c}", _WHY.get(c, "write the character itself instead"))

    def char_class(self) -> str:
        start = self.i
        self.i += 1
        if self.peek() == "^":
            self.i += 1
        if self.peek() == "]":
            raise self.fail("a class starting with ']'", "write \\] for the character")
        while self.i < len(self.text) and self.peek() != "]":
            two = self.peek(2)
            if two == "[:":
                raise self.fail(
                    "the POSIX class '[:'",
                    "it is ASCII-only in tiktoken's engine; write \\p{L} (letters), \\p{N} "
                    "(numbers) or \\s instead",
                )
            if self.peek() == "[":
                raise self.fail("a '[' inside a class", "write \\[ for the character")
            if two in ("&&", "--", "~~", "||"):
                raise self.fail(f"the set operation {two!r}", "write the class out in full")
            if self.peek() == "\\":
                self.escape("")  # checks it and steps over it
                continue
            self.i += 1
        if self.i >= len(self.text):
            raise self.fail("an unclosed class", "close it with ']'")
        self.i += 1
        return self.text[start : self.i]

    def atom(self, source: str, flags: str, *, end: int | None = None) -> _Node:
        if end is not None:
            self.i = end
        return _Node("atom", source=f"(?i:{source})" if flags == "i" else source)


# ---- facts ----------------------------------------------------------------------


def _facts(pattern: str, root: _Node) -> PatternFacts:
    atoms: set[str] = set()
    runs: set[str] = set()

    def walk(node: _Node) -> tuple[frozenset[str], frozenset[str], frozenset, bool, int]:
        """(first atoms, last atoms, inner pairs, nullable, hops) of a node."""
        if node.kind == "atom":
            atoms.add(node.source)
            one = frozenset([node.source])
            return one, one, frozenset(), False, 1
        if node.kind in ("look", "end"):
            hops = walk(node.items[0])[4] if node.items else 1
            return frozenset(), frozenset(), frozenset(), True, hops
        parts = [walk(item) for item in node.items]
        if node.kind == "alt":
            return (
                frozenset().union(*(p[0] for p in parts)),
                frozenset().union(*(p[1] for p in parts)),
                frozenset().union(*(p[2] for p in parts)),
                any(p[3] for p in parts),
                max(p[4] for p in parts),
            )
        if node.kind == "seq":
            first: frozenset[str] = frozenset()
            last: frozenset[str] = frozenset()
            pairs: frozenset = frozenset()
            nullable, hops = True, 0
            for f, la, pa, nu, ho in parts:
                pairs |= pa | {(a, b) for a in last for b in f}
                first = first | f if nullable else first
                last = last | la if nu else la
                nullable, hops = nullable and nu, hops + ho
            return first, last, pairs, nullable, hops
        # a repeat
        f, la, pa, nu, ho = parts[0]
        if node.high is None or node.high > 1:
            pa = pa | {(a, b) for a in la for b in f}
        if node.high is None:  # one step reads a run of any of its characters
            inside = _atoms_of(node.items[0])
            runs.add(inside[0] if len(inside) == 1 else _union(inside))
            hops = 1
        else:
            hops = ho * node.high
        return f, la, pa, nu or node.low == 0, hops

    _, _, pairs, _, hops = walk(root)
    options = root.items if root.kind == "alt" else (root,)
    for option in options:
        if walk(option)[3]:
            raise ValueError(
                f"pattern {pattern!r} has an alternative that can match the empty string "
                f"(the engines step over an empty match differently): make each alternative "
                f"match at least one character"
            )
    covering = frozenset(c for option in options if (c := _covers(option)))
    return PatternFacts(pattern, frozenset(atoms), pairs, frozenset(runs), hops + 1, covering)


def _atoms_of(node: _Node) -> list[str]:
    if node.kind == "atom":
        return [node.source]
    return sorted({a for item in node.items for a in _atoms_of(item)})


def _union(sources: list[str]) -> str:
    return "(?:" + "|".join(sources) + ")"


def _covers(option: _Node) -> str | None:
    """A single-character regex for what an alternative matches wherever it stands: the
    first item that must match a character is an atom (repeated or not), nothing after
    it makes a condition, and the optional items before it give back what they took (or,
    possessive, cannot take that character)."""
    items = option.items if option.kind == "seq" else (option,)
    keep_out: list[str] = []
    for k, item in enumerate(items):
        if item.kind == "repeat" and item.low == 0:
            if not item.greedy_back:  # possessive: it keeps a character it can take
                keep_out += _atoms_of(item)
            continue
        core = item.items[0] if item.kind == "repeat" and item.low == 1 else item
        if core.kind != "atom" or not all(_unconditional(r) for r in items[k + 1 :]):
            return None
        return f"(?!{_union(keep_out)}){core.source}" if keep_out else core.source
    return None


def _unconditional(node: _Node) -> bool:
    """Whether a node may always match nothing, whatever follows (no lookahead, no $)."""
    if node.kind in ("look", "end"):
        return False
    if node.kind == "repeat":
        return node.low == 0 and all(_conditions_free(i) for i in node.items)
    return False


def _conditions_free(node: _Node) -> bool:
    return node.kind not in ("look", "end") and all(_conditions_free(i) for i in node.items)
