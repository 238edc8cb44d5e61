"""The word-level consensus of several readings of one passage.

A passage's consensus is not a whole reading that most versions share word for word: where
paraphrase spinners each reword a sentence differently, no reading has a majority, and taking the
fullest would crown whatever one version did to it (a loaded substitution included). Instead the
readings' words are aligned, and each word takes the majority across the versions that carry the
passage:

1. the base is the reading closest to all the others (the highest total word-sequence
   similarity; ties to the first);
2. every other reading is diffed word by word against the base; each base word gets a vote for
   keeping it from every version that leaves it alone, and each replaced, deleted or inserted run
   a vote for the version's own wording there;
3. a run of base words becomes another wording only when a majority of the versions reads it
   that way; an insertion only when a majority inserts it; otherwise the base word stands (the
   base is the medoid, so where no majority exists it is the likeliest wording).

Spinners reword verbs and adjectives but keep names, so the consensus keeps "Israel" where one
loaded copy wrote "Zionist entity": the one copy that departs carries the substitution.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from wiretrace.alignment.words import WordCodes, diff_operations
from wiretrace.text.tokens import Token, tokenize


@dataclass(frozen=True)
class WordConsensus:
    """The consensus text of a passage, and which reading was its base."""

    text: str
    base: int


def _key(token: Token) -> str:
    return token.norm.casefold()


def word_consensus(readings: Sequence[str]) -> WordConsensus:
    """The word-level consensus of ``readings`` (the versions' texts of one passage)."""
    if not readings:
        raise ValueError("word_consensus needs at least one reading")
    if len(readings) == 1:
        return WordConsensus(readings[0].strip(), 0)
    from rapidfuzz.distance import Indel

    codes = WordCodes()
    tokens = [tokenize(r) for r in readings]
    keys = [[_key(t) for t in ts] for ts in tokens]
    coded = [codes.encode(k) for k in keys]
    closeness = [
        sum(Indel.normalized_similarity(coded[i], coded[j]) for j in range(len(readings)) if j != i)
        for i in range(len(readings))
    ]
    base = max(range(len(readings)), key=lambda i: (closeness[i], -i))
    base_tokens, base_text = tokens[base], readings[base]
    voters = len(readings)
    keep = [1] * len(base_tokens)  # the base keeps its own words
    runs: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)  # base run -> wordings
    inserts: dict[int, Counter[str]] = defaultdict(Counter)  # base position -> inserted wordings
    written: dict[str, str] = {}  # a wording's key -> its text as the first version wrote it
    for other in range(len(readings)):
        if other == base:
            continue
        changed: set[int] = set()
        for _, a1, a2, b1, b2 in diff_operations(keys[base], keys[other], codes):
            wording = (
                readings[other][tokens[other][b1].start : tokens[other][b2 - 1].end]
                if b2 > b1
                else ""
            )
            key = " ".join(keys[other][b1:b2])
            written.setdefault(key, wording)
            if a2 > a1:
                runs[(a1, a2)][key] += 1
                changed.update(range(a1, a2))
            else:
                inserts[a1][key] += 1
        for i in range(len(base_tokens)):
            if i not in changed:
                keep[i] += 1

    def majority(votes: Counter[str]) -> str | None:
        if not votes:
            return None
        key, count = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        return key if 2 * count > voters else None

    pieces: list[str] = []
    cursor = 0  # end of the last base text written
    i = 0

    def gap_before(position: int) -> str:
        start = base_tokens[position].start if position < len(base_tokens) else len(base_text)
        return base_text[cursor:start] if cursor else ""

    while i <= len(base_tokens):
        inserted = majority(inserts.get(i, Counter()))
        if inserted is not None and written[inserted]:
            pieces.append((gap_before(i) or " ") + written[inserted])
        if i == len(base_tokens):
            break
        replaced = None
        if 2 * keep[i] <= voters:
            options = Counter(
                {
                    (a2, key): n
                    for (a1, a2), votes in runs.items()
                    if a1 == i
                    for key, n in votes.items()
                }
            )
            best = min(options.items(), key=lambda kv: (-kv[1], kv[0]), default=None)
            if best is not None and 2 * best[1] > voters:
                replaced = best[0]
        if replaced is not None:
            end, key = replaced
            if written[key]:
                pieces.append(gap_before(i) + written[key])
            cursor = base_tokens[end - 1].end
            i = end
            continue
        pieces.append(gap_before(i) + base_text[base_tokens[i].start : base_tokens[i].end])
        cursor = base_tokens[i].end
        i += 1
    return WordConsensus("".join(pieces).strip(), base)
