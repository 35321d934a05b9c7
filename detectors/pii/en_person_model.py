"""PERSON in English text: a token CRF (CRFsuite) fitted on labelled newswire and
social-media sentences, shipped as a small weights file.

The training script (`scripts/train_en_person.py`) and this module share the
tokenizer and the features, so the shipped weights see at run time exactly what they
were fitted on. Features are generic: the word lower-cased, its shape (Xxxx, XX, x.),
prefixes and suffixes, whether it is a census given name, a surname, an ordinary
word that is also a name (Grace, Will), a place name (GeoNames) or a word with
letters outside ASCII (Tomić), whether it opens the sentence, and the same for the
two words either side. Labels are BIO over PERSON and three other kinds
(LOC, ORG, MISC) so that the model learns that "Ford" in "Ford Motor" is not a person.

A PERSON span is a maximal run of B-PER I-PER* tokens ("Richard Milhous Nixon" is one
span); its score is the smallest marginal probability of its tokens' labels.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from importlib import resources
from typing import ClassVar, NamedTuple

import regex
from corpusgate.detectors.pii.china.base import SpanRecognizer
from corpusgate.detectors.pii.china.cn_person_recognizer import (
    load_lines,
    name_labels,
)
from corpusgate.detectors.pii.sensitive import trie_regex

MODEL_FILE = "en_person_crf.crfsuite"
LABELS = ("PER", "LOC", "ORG", "MISC")
# Letters of any Latin alphabet with apostrophes or hyphens inside (O'Neil,
# Fritz-Armstrong), numbers, or one other character. A possessive 's is a token
# of its own, as in the tokenised training text (Nixon 's).
_TOKEN = regex.compile(
    r"\p{L}[\p{L}\p{M}]*(?:(?:['’](?![sS]\b)|-)[\p{L}\p{M}]+)*"
    r"|['’][sS]\b|\d+(?:[.,:]\d+)*|[^\s]"
)
COMMON_WORDS_FILE = "en_common_words.txt"
PLACES_FILE = "en_places.txt"
REGIONS_FILE = "en_regions.txt"
PHRASES_FILE = "en_name_phrases.txt"
_ENDS = frozenset(".!?")
_LETTER = regex.compile(r"\p{L}")
_NAME_LIKE = frozenset({"given", "surname", "cgiven", "unknown"})
_SENTENCE_END = frozenset(".!?:;\"'“”()[]|-—…>*#")
# A name after a record label, in any Latin alphabet: capitalised words (Anđa
# Tomić, McDowell, O'Neil, Smith-Jones), initials, particles inside (Willemine ten
# Pas, Ana de la Cruz); at most four words.
_CAP_WORD = (
    r"\p{Lu}(?:[\p{Ll}\p{M}]+(?:\p{Lu}[\p{Ll}\p{M}]+)?|['’]\p{Lu}[\p{Ll}\p{M}]+)"
    r"(?:-\p{Lu}?[\p{Ll}\p{M}]+)*"
)
_PARTICLE = (
    r"(?:van|von|de|der|den|del|della|di|da|du|dos|das|ten|ter|la|le|bin|ibn|al)"
)
_PARTICLES = frozenset(_PARTICLE[3:-1].split("|"))
# Lower-case words inside names besides the particles: Pliny the Elder, John of
# Salisbury, José Melgar y Serrano, Iglesia ni Cristo, Trump v. Clinton.
_NAME_JOINERS = frozenset("of the y e i ni v. vs. and".split())
LABELLED_NAME = (
    rf"{_CAP_WORD}(?:[ \t]+(?:(?:{_PARTICLE}[ \t]+){{1,2}})?"
    rf"(?:{_CAP_WORD}|\p{{Lu}}\.?(?![\p{{L}}]))){{0,3}}(?![\p{{L}}])"
)

_LOWER_WORD = r"\p{Ll}[\p{Ll}\p{M}'’\-]+"
_LOWER_NAME = (
    rf"{_LOWER_WORD}(?:[ \t]+(?:\p{{Ll}}\.?|{_LOWER_WORD})){{0,2}}(?![\p{{L}}])"
)

_UPPER = regex.compile(r"\p{Lu}")
# What a word names elsewhere in the same document decides what it names alone: a
# storm, a ship, a planet or a town (Hurricane Jeanne ... Jeanne was downgraded,
# the gunboat Nemesis, the town of Porter), a firm (Enron Corp., mail at
# @enron.com ... Enron's off-balance sheet) is no person there.
_ORG_WORDS = (
    r"(?:Corp|Corporation|Inc|Incorporated|Ltd|LLC|LLP|PLC|Co|Company|Group|Holdings"
    r"|Partners|Associates|Foundation|Institute|Program|Programme|Center|Centre"
    r"|Legal|Bank|Airlines|Energy|Capital|University|College|School|Club|Society"
    r"|Mining|Laboratory|Laboratories|Hospital|Museum|Council|Committee"
    # units, institutions and sites named after someone (Ferdo Sučić Battalion,
    # Arthur Hill High, Harris County, Henry Hub)
    r"|Battalion|Brigade|Regiment|Squadron|Division|Cemetery|County|Cathedral"
    r"|Abbey|Airport|Stadium|Hub|High|Academy|Seminary|Prizes?|Awards?|Trophy"
    r"|Trophies"
    r"|Campaign|Consulting|Futures|Services|Systems|Technologies|Industries"
    r"|Enterprises|Solutions|Networks|Communications|Utilities|State"
    r"|Creek|Tower|Mountain|Canyon|Valley|Peninsula|Charter|Homes"
    # natural features (James River, Crystal Beach); not Park, Lake or Bay,
    # which are surnames too (Chan Ho Park, Ricki Lake, Michael Bay)
    r"|River|Beach|Island|Islands|Springs|Falls|Harbor|Harbour|Heights"
    # industries (Hynix Semiconductor, Sony Music)
    r"|Semiconductors?|Music|Records|Electronics|Motors|Pharmaceuticals|Chemical"
    r"|Entertainment|Media|Software|Airways|Petroleum|Chemicals|Telecom"
    r"|Insurance|Investments|Studios|Pictures|Publishing|Ventures"
    # media (Fox Sports, Sky News, Granada Television)
    r"|Sports|News|Broadcasting|Television|Magazine"
    # real estate and hospitality (Tishman Speyer Properties, Hilton Hotels)
    r"|Properties|Realty|Estates|Hotels|Resorts"
    r"|Logistics|Financial|Brands|Foods|Beverages|Stores|Shipyards?|Works|Werke"
    # places to eat, drink or stay and events (Johnny 's Bar, Summer Paralympics)
    r"|Bar|Restaurant|Cafe|Café|Pub|Hotel|Inn|Diner|Grill|Tavern|Saloon"
    r"|Olympics|Paralympics|Championships|Festival|Tournament)\b"
)
# A word right before one of these nouns names an organisation (Enron employees,
# Dynegy spokesman); a person's name takes a possessive there (Smith's staff).
# No noun that is also a verb (Clara shares, Smith accounts for).
_ORG_NOUNS = (
    r"(?:employees|shareholders|stockholders|spokesman|spokeswoman|spokesperson"
    r"|subsidiary|subsidiaries|executives|headquarters|personnel|traders"
    r"|affiliates|workforce|player|players|roster|squad)\b"
)
# What only an organisation has, after its possessive, perhaps past one word
# (Enron's common stock, Lazard's board, Fluor's long-term credit rating); no
# person's belongings (Smith's office, lawyers, debts, earnings).
_ORG_POSSESSIONS = (
    r"(?:stock|stock price|share price|shareholders|stockholders|board"
    r"|directors|subsidiary|subsidiaries|employees|workforce|headquarters"
    r"|revenues?|profits|liquidity|credit rating|market share|CEO|CFO|COO"
    r"|chief executive|chairman|pipelines|customers|merger|competitors"
    r"|balance sheet|traders|personnel|affiliates|securities"
    # a firm's sites and rates (Koch's plants, Entergy's tariff)
    r"|operations|tariffs?|facilities|plants)\b"
)
# The span's words may be followed by up to two more capitalised words before the
# organisation word (James Connolly Republican Club).
_ORG_AFTER = regex.compile(
    # One space between the words: a wider gap separates a signature's name from
    # its firm (Terri Bachand    Enron Global Services).
    r"(?: ?['’]s)?(?: \p{Lu}[\p{L}\p{M}]+){0,2} " + _ORG_WORDS
)
_ORG_LAST = regex.compile(r"[ \t]" + _ORG_WORDS + r"$")
_ARTICLES = frozenset({"the", "a", "an"})


def _stands_alone(tokens: list[tuple[int, int, str]], i: int) -> bool:
    """tokens[i] has no capitalised word beside it (no part of a longer name or
    title: Julian Assange, the Julian Calendar) and no article before it (the
    Velázquez: a painting)."""
    before = tokens[i - 1][2] if i else ""
    after = tokens[i + 1][2] if i + 1 < len(tokens) else ""
    return not (
        before[:1].isupper() or before.lower() in _ARTICLES or after[:1].isupper()
    )


# What follows a person's name that is an award's or a lecture's (Nobel prize,
# Nobel laureates, prize-winning).
_EPONYM_HEADS = ("prize", "award", "laureate", "medal", "lecture")
# The first of two names an award's plural follows (the Hugh Durham and Jim Phelan
# Awards): both name the awards.
_AWARDS_AFTER_PAIR = regex.compile(
    r"[ \t]+and[ \t]+(?:\p{Lu}[\p{L}\p{M}'’.-]*[ \t]+){1,3}"
    r"(?:Awards|Prizes|Trophies|Medals|Lectures|Scholarships|Fellowships)\b"
)
# An award's title after the name it is named after, with a joiner the
# organisation's test does not cross (the Marvin Miller Man of the Year Award).
_AWARD_TITLE_AFTER = regex.compile(
    r"(?:[ \t]+\p{Lu}[\p{L}\p{M}]+){1,3}[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?"
    r"(?:\p{Lu}[\p{L}\p{M}]+[ \t]+){0,3}(?:Awards?|Prizes?|Trophy|Trophies|Medal)\b"
)
# Each frame captures the word it speaks for in group 1; the domain frame its labels.
# One regex each: a single alternation of them all costs about twice their sum.
_STORM_WORDS = (
    "typhoon",
    "hurricane",
    "cyclone",
    "tropical storm",
    "tropical depression",
)
# The words before the name of a storm, a craft, an operation or a town, and the
# ships' prefixes (case matters).
_THING_WORDS = (
    *_STORM_WORDS,
    *"storm operation planet asteroid comet spacecraft orbiter steamer ironclad"
    " gunboat frigate destroyer cruiser submarine battleship schooner".split(),
    *(
        f"{unit} of"
        for unit in "town city village hamlet county province district parish".split()
    ),
)
_SHIP_PREFIXES = ("HMS", "USS", "CSS", "SMS", "SS", "RMS", "HMAS", "HMCS", "USNS")
_THING_FRAME = regex.compile(
    r"\b(?:(?i:" + "|".join(_THING_WORDS) + ")|" + "|".join(_SHIP_PREFIXES) + ")"
    r"[ \t]+(\p{Lu}[\p{Ll}\p{M}]+)\b"
)
# Cheap tests before the frames that start with a case-insensitive word (slow to
# try at every word): in the lower-cased text one of their words before a blank
# or a comma, in the text a ship's prefix before a blank. The frames read ſ and
# İ as s and i, which lower-casing does not: a text holding either is tested for
# the words alone, anywhere.
_THING_WORD_BEFORE = re.compile("(?:" + trie_regex(list(_THING_WORDS)) + r")[ \t,]")
_SHIP_PREFIX_BEFORE = re.compile("(?:" + "|".join(_SHIP_PREFIXES) + r")[ \t]")
_THING_WORD = re.compile(
    trie_regex([*_THING_WORDS, *(p.lower() for p in _SHIP_PREFIXES)])
)
_DOMAIN_FRAME = regex.compile(r"(?:@|://|\bwww\.)((?:[\w-]+\.)+)[a-z]{2,}\b")
_NOT_PERSON_FRAMES = (
    regex.compile(r"\b(\p{Lu}[\p{L}\p{M}&'’-]*)(?:['’]s)?[ \t]+" + _ORG_WORDS),
    regex.compile(r"\b(\p{Lu}[\p{L}\p{M}&-]*)[ \t]+" + _ORG_NOUNS),
    regex.compile(
        r"\b(\p{Lu}[\p{L}\p{M}&-]*) ?['’]s[ \t]+(?:[\p{Ll}-]+[ \t]+)?"
        + _ORG_POSSESSIONS
    ),
    # "its" refers back to a thing (Enron and its counsel, Koch, its directors).
    regex.compile(r"\b(\p{Lu}[\p{L}\p{M}&-]*)[ \t]*(?:,|and)[ \t]+its\b"),
    # what only a storm does (Krosa made landfall, the JMA downgraded Krosa)
    regex.compile(
        r"\b(\p{Lu}\p{Ll}+)[ \t]+(?:made landfall|(?:\p{Ll}+ly[ \t]+)?intensified"
        r"|dissipated|degenerated|was downgraded|was upgraded)\b"
    ),
    regex.compile(r"\b(?:downgraded|upgraded)[ \t]+(\p{Lu}\p{Ll}+)\b"),
)
# What only a team does with a game's score (a score of ten or more: no tennis
# set, boxing round or pitcher's record): takes or is given a lead, goes on a
# run, beats a named side by it, is lost to by it, draws with a score (Duke took
# a 60 – 55 lead, giving Butler a 52 – 49 lead, Duke went on an 8 – 0 run,
# Butler beat Siena 70 – 53, losing 61 – 59 to Duke, a 0-0 draw with Villarreal).
# The model reads a view of the text with a blank for each non-Latin character:
# the en dash of a score is one.
_SCORE = r"\d{1,3}(?:[ \t]*-[ \t]*|[ \t]+)\d{1,3}"
_GAME_SCORE = r"\d{2,3}(?:[ \t]*-[ \t]*|[ \t]+)\d{1,3}"
_TEAM_FRAMES = regex.compile(
    r"\b(\p{Lu}\p{Ll}+)(?:[ \t]+(?:took|takes|taking|had|has|held|holds|built"
    r"|extended|opened|regained|retook)[ \t]+an?[ \t]+" + _GAME_SCORE + r"[ \t]+lead"
    r"|[ \t]+(?:went|goes|going)[ \t]+on[ \t]+an?[ \t]+" + _SCORE + r"[ \t]+run"
    r"|[ \t]+(?:beat|defeated|edged|routed|downed|topped)[ \t]+"
    r"(?:\p{Lu}[\p{L}.]*[ \t]+){1,3}" + _GAME_SCORE + r"(?![\d-]))\b"
    r"|\b(?:giving|gave|give|gives)[ \t]+(\p{Lu}\p{Ll}+)[ \t]+an?[ \t]+"
    + _GAME_SCORE
    + r"[ \t]+lead\b"
    r"|\b(?:losing|lost|falling|fell)[ \t]+"
    + _GAME_SCORE
    + r"[ \t]+to[ \t]+(\p{Lu}\p{Ll}+)\b"
    r"|\b" + _SCORE + r"[ \t]+draw[ \t]+with[ \t]+(\p{Lu}\p{Ll}+)\b"
)
_HAS_A_SCORE = re.compile(r"\d(?:[ \t]*-[ \t]*|[ \t]+)\d")
# the storm named in apposition (the second typhoon , Lupit , devastated)
_STORM_APPOSITION = regex.compile(
    r"\b(?i:" + "|".join(_STORM_WORDS) + r")[ \t]*,[ \t]*(\p{Lu}\p{Ll}+)[ \t]*,"
)


# A saint's name names a place, a church or a hospital (St. Luke's, ST. PAUL).
# Case matters: "st" is a cricket score's "stumped" (Bevan st Murray b Hooper).
# So does a mountain's (Mt. Hood, Mount Adams).
# A comma and up to four capitalised words: a region's name (up to three words)
# after a span, and what follows it.
_REGION_AFTER = regex.compile(r",[ \t]*(\p{Lu}[\p{L}.]*(?:[ \t]+\p{Lu}[\p{L}.]*){0,3})")
_STATE_CODE = regex.compile(r"[A-Z]{2}$")
# A state's code (TX, or Tx) after a comma, before no other letter, and whether
# a ZIP code follows; MD and PA are also degrees after a name (John Smith, MD).
_CODE_AFTER = regex.compile(
    r",[ \t]*(\p{Lu}\p{L})(?![\p{L}\d])(?P<zip>[ \t]+\d{5}(?!\d))?"
)
_DEGREES = frozenset({"MD", "PA"})
# (San, Santa, Santo, São: no gold name of the training sentences follows one)
_SAINT = regex.compile(
    r"\b(?:St|ST|Ste|Saint|SAINT|Mt|MT|Mount|San|Santa|Santo|São|Sao)\.?[ \t\n]+$"
)


# A natural feature's, a fort's or a building's word opening a longer span (Lake
# Okeechobee, Cape Engaño, Fort Worth; in Malay and Spanish names of places: Pasar
# Utama, Masjid Jepak, Jalan Ampang, Colegio de...; a Roman legion): a place or an
# institution. None of the training sentences' 7,260 gold names opens so; not Hill,
# River, Isla, Sierra, Rio, Monte, Villa: given names or surnames too.
_PLACE_HEAD = regex.compile(
    r"(?:Lake|Lakes|Cape|Fort|Port|Mount|Mt|Gulf|Glacier|Loch|Lac|Lago|Pasar|Wisma"
    r"|Masjid|Jalan|Kampung|Kampong|Taman|Bukit|Sungai|Pulau|Kuala|Gunung|Tanjung"
    r"|Teluk|Kota|Legio|Colegio|Universidad|Plaza|Puerto|Bahía|Castillo|Palacio"
    r"|Iglesia|Piazza|Schloss|Rue|Avenida|Calle|Rua|Praia)\.?[ \t]+\p{Lu}"
)


# A ship's prefix opening the span (HMS Warrior, USS Montauk, SMS Kaiser) and a
# site's word before a number (Hill 209, Route 66, Gate 5): a ship, a place. No
# gold name of the training sentences is either.
_SHIP_HEAD = regex.compile(r"(?:HMS|USS|SMS|CSS|RMS|HMAS|HMCS|USNS|SS)[ \t]+\p{Lu}")
# ...and such a word with a letter for its number (Zone L, Block C, Exhibit A,
# Schedule B): a site, a zone or a part of a document; no gold span is one.
_LETTERED_SITE = regex.compile(
    r"(?:Zone|Block|Sector|Section|Phase|Area|Unit|Building|Gate|Pier|Lot|Level"
    r"|Platform|Terminal|Hangar|Room|Wing|Ward|Appendix|Exhibit|Schedule|Annex"
    r"|Article|Part|Plan|Type|Class|Grade)[ \t]+\p{Lu}\.?"
)
_NUMBERED_SITE = regex.compile(
    r"(?:Hill|Hills|Point|Route|Camp|Heights?|Highway|Gate|Pier|Hangar|Room"
    r"|Building|Block|Sector|Zone|Platform|Terminal|Level|Lot)[ \t]+\d"
)


def before_a_region(text: str, end: int) -> bool:
    """A comma and a country, a US state or a state's code follow the span: it is
    a place (Denver, Colorado; Salonika, Greece; McCamey, Tx), as a person's
    home is written in brackets or after "of"; not a degree (Jane Roe, MD).
    Tokenised text puts a blank before the comma (Justin , Texas)."""
    if text.startswith(" ,", end):
        end += 1
    if text[end : end + 1] != ",":
        return False
    m = _CODE_AFTER.match(text, end)
    if m is not None and m.group(1).upper() in lexicon().state_codes:
        # A code that is also a word or a name (OK, Al, Me) needs its ZIP code.
        low = m.group(1).lower()
        if m.group("zip") or not (low in lexicon().common or _in_name_lists(low)):
            return True
    m = _REGION_AFTER.match(text, end)
    if m is None:
        return False
    words = m.group(1).split()
    regions = lexicon().regions
    # The region ends the run of capitals, or a date follows it: a region that
    # opens a longer name (Hong Kong Confederation of Trade Unions, Texas
    # Instruments) is an organisation's, after a person as often.
    return any(
        " ".join(words[:k]) in regions
        and (k == len(words) or words[k].lower() in _CALENDAR)
        for k in range(1, min(len(words), 3) + 1)
    )


_CODE_IN_ADDRESS = regex.compile(r"(?<=,[ \t]*)[A-Z]{2}[ \t]+\d{5}(?!\d)")


def state_code(text: str, s: int, e: int) -> bool:
    """The span is a state's code between a town's comma and a ZIP code
    (Boston, MA 02114)."""
    return (
        e - s == 2
        and _CODE_IN_ADDRESS.match(text, s) is not None
        and text[s:e] in lexicon().state_codes | _DEGREES
    )


def after_saint(text: str, start: int) -> bool:
    """The name starting at `start` follows St./Saint or Mt./Mount: a place or an
    institution."""
    return _SAINT.search(text, max(0, start - 7), start) is not None


def street_word(word: str) -> bool:
    """A common street word (Street, Ave, Road): a name ending in it is a street."""
    return word.lower() in EnglishPersonCrfRecognizer.STREET_WORDS


# Offices written before a name that the model's title list lacks: no gold PERSON
# span of the training sentences starts with one.
OFFICES = frozenset(
    "Assemblyman Assemblywoman Assemblymember Congressman Congresswoman Councilman"
    " Councilwoman Councillor Councilor Alderman Alderwoman Commissioner Supervisor"
    " Chairman Chairwoman Ambassador Secretary Treasurer Comptroller Superintendent"
    " Sheriff Deputy Trustee Lawmaker Legislator Delegate Spokesman Spokeswoman".split()
)


def _without_leading(
    text: str, s: int, e: int, drop: Callable[[str], bool]
) -> tuple[int, int]:
    """The span without the words it starts with for which `drop` holds (each
    with its dot), as long as a word is left."""
    while (m := _LEADING_WORD.match(text, s, e)) is not None and m.end() < e:
        if not drop(m.group(1)):
            break
        s = m.end()
    return s, e


_LEADING_WORD = regex.compile(r"(\p{L}+)\.?\s+")


def _without_office(text: str, sp: tuple[int, int, float]) -> tuple[int, int, float]:
    """The span without the offices it starts with (Assemblyman Dutra -> Dutra)."""
    return (*_without_leading(text, sp[0], sp[1], OFFICES.__contains__), sp[2])


def _without_titles(text: str, s: int, e: int) -> tuple[int, int]:
    """The span without the titles and greetings it starts with (Mr. Lay -> Lay,
    Maj. Gen. Strik -> Strik, Rabbi Meir -> Meir, Hi Wendi -> Wendi): the person's
    name is the rest, and its mask and hash are that name's wherever it is written.
    Taken off once the span has been judged, whose checks read the title as a
    person's evidence."""
    titles = lexicon().titles
    return _without_leading(
        text, s, e, lambda w: w.lower() in titles or w in _GREETINGS
    )


# Words that open a letter or a line before the addressee's name (Hi John,); Dear is
# a title (data/en_person_titles.txt).
_GREETINGS = frozenset("Hi Hello Hey Hiya Howdy Cheers".split())


def organisation_after(text: str, end: int) -> bool:
    """A name ending at `end` is followed by, or ends in, an organisation's, a
    unit's or an institution's word (Robert Mondavi Corp., Arthur Hill High,
    Ferdo Sučić Battalion, Perry Homes), or by an award's title (Marvin Miller
    Man of the Year Award), or is the first of two names an award's plural
    follows (Hugh Durham and Jim Phelan Awards): it names that, not a person."""
    # Matched within AFTER_NAME_REACH characters: the regex module looks ahead
    # through the rest of the text for a pattern's required word before matching
    # at a position, which made each test cost the length of the text (so do the
    # ticker's and the ampersand's tests).
    reach = after_name_reach(text, end)
    return (
        _ORG_AFTER.match(text, end, reach) is not None
        or _ORG_LAST.search(text, max(0, end - 30), end) is not None
        or _AWARDS_AFTER_PAIR.match(text, end, reach) is not None
        or _AWARD_TITLE_AFTER.match(text, end, reach) is not None
    )


# The farthest an organisation's or an award's word after a name is looked for
# (three capitalised words and the word itself fit several times over).
AFTER_NAME_REACH = 200


def after_name_reach(text: str, end: int) -> int:
    """Where the tests of what follows a name ending at `end` stop matching."""
    return min(len(text), end + AFTER_NAME_REACH)


# Address lines in other languages' layouts: the words of a street (Rua Mina, 56
# rue La Boétie, 3037 ul. Północna, 233 Erzsébet tér 19.) or the town after a unit
# (Apt. 946  Suwałki) name no person, though streets are often named after one.
_STREET_PREFIX = (
    r"(?:Rua|Rue|Via|Viale|Avenida|Avda|Av|Calle|Carrer|Camino|Paseo|Rambla"
    r"|Travessa|Praça|Largo|Estrada|Strada|Piazza|Piazzale|Corso|Vicolo|Chaussée"
    r"|Allée|Quai|Ulica|Ul)"
)
_STREET_BEFORE = regex.compile(
    r"(?<![\p{L}])(?:" + _STREET_PREFIX + r"|\d[ \t]+(?i:" + _STREET_PREFIX + r"))"
    r"\.?[ \t]+$"
)
_STREET_FIRST = regex.compile(_STREET_PREFIX + r"\.?[ \t]")
# A house number before the span and the street's number after it, perhaps past
# lower-case street words (tér, utca, u., terrasse) but no English word (5 Paul
# Goydos through 2); not a second number after that: a results table's scores
# (128 Ian Woosnam 64 64). One space each side, as in a street's line; a table's
# columns (5 Joe Quenet\t\t6 Jeff Miller) are further apart.
_HOUSE_NUMBER_BEFORE = regex.compile(r"(?<![\d.,:/-])\d{1,6} $")
_STREET_NUMBER_AFTER = regex.compile(
    r"(?: \p{Ll}[\p{Ll}\p{M}]*\.?){0,3} \d{1,5}[a-zA-Z]?\b\.?(?![ \t]*[\d+-])"
)
_AFTER_A_UNIT = regex.compile(
    r"\b(?:Apt|Apartment|Suite|Ste|Unit|Box|Flat)\.?[ \t]+\d+\w*[^\p{L}\d\n.]{1,6}$"
)


def address_part(text: str, s: int, e: int) -> str | None:
    """Why the span text[s:e] is part of an address line, or None: a street word
    of another language before it or opening it ("street"), a house number before
    it and the street's number after it ("number"), or a unit before it (the
    town: "unit")."""
    lo = max(0, s - 30)
    if _STREET_BEFORE.search(text, lo, s) or _STREET_FIRST.match(text, s):
        return "street"
    if _HOUSE_NUMBER_BEFORE.search(text, lo, s):
        m = _STREET_NUMBER_AFTER.match(text, e, min(len(text), e + 40))
        # English words there are a sentence's (5 Paul Goydos through 2 holes)
        if m and not any(
            w in lexicon().common for w in _LETTERS.findall(m.group().lower())
        ):
            return "number"
    if _AFTER_A_UNIT.search(text, lo, s):
        return "unit"
    return None


# What the text around a span says it names when that is no person: a work by
# its kind (the film Magnolia, Kirby (video game), starred in Casablanca), an
# award (George Medal, Stanley Cup, awarded the Hart), a taxon (the genus
# Batrachia, Homo sapiens), a place by a bearing (upstream from Stein, north of
# Lyon) and anything by a copula with its class noun (Maemi was the strongest
# tropical cyclone of, Lyme is a town in). Checked on the found spans only.
_WORK_NOUNS = (
    r"(?:film|films|movie|novel|novella|album|song|single|sitcom|series|miniseries"
    r"|documentary|musical|opera|poem|video game|magazine|newspaper|band|EP"
    r"|anthology|manga|anime|episode|booklet|pamphlet|painting)"
)
_CLASS_NOUNS = (
    r"(?:" + _WORK_NOUNS[3:-1] + r"|game|play|book|town|village|city|hamlet|suburb"
    r"|borough|municipality|commune|county|district|province|region|river|lake"
    r"|mountain|island|peninsula|ship|vessel|steamer|frigate|cruiser|battleship"
    r"|destroyer|submarine|genus|species|cyclone|hurricane|typhoon|storm|team"
    r"|club|franchise|company|airline|school|university|college|church|temple"
    r"|mosque|cathedral|stadium|arena|street|road|highway|station|airport|hotel"
    r"|restaurant|building|award|medal|prize|racehorse|locomotive|aircraft)"
)
_NOT_A_MODIFIER = (
    r"(?!(?:of|in|at|for|with|to|on|by|from|and|or|the|a|an|who|whose|that)\b)"
)
# What armies do to a place or where they send a unit (the Japanese invaded
# Sarawak, the battalion was deployed to Gospić): the word after names a place.
_TAKEN_PLACES = frozenset(
    "invaded occupied annexed conquered bombed shelled deployed redeployed".split()
)
_THING_BEFORE = regex.compile(
    r"(?:\b(?i:the|a|an|his|her|their|its)[ \t]+(?:[\p{Ll}\d@-]+[ \t]+){0,3}"
    + _WORK_NOUNS
    + r"|\b(?:starred|starring|appeared|appears|featured)[ \t]+in"
    r"|\b(?:genus|subgenus|species of|(?:awarded|won|received|win|winning)[ \t]+the"
    r"|(?:north|south|east|west|northeast|northwest|southeast|southwest"
    r"|upstream|downstream)[ \t]+(?:of|from)"
    r"|(?i:city|town|village|hamlet|county|borough|municipality|province|governor"
    r"|mayor|capital|king|queen|emperor|empress|sultan|ruler|premier|citizens"
    r"|residents|inhabitants|outskirts|suburbs|people)[ \t]+of"
    # a place that armies take or are sent to (the Japanese invaded Sarawak, the
    # battalion was deployed to Gospić)
    r"|(?:" + "|".join(sorted(_TAKEN_PLACES - {"deployed", "redeployed"})) + ")"
    r"|(?:re)?deployed[ \t]+to"
    # a team, a school or an employer (three seasons at Butler, re-signing with)
    r"|(?:seasons?|career|tenure|stint|spell)[ \t]+(?:at|with)|years[ \t]+at"
    r"|(?:re[ \t]*@?-@?[ \t]*)?sign(?:ed|ing|s)?[ \t]+(?:with|for)"
    # a group or a taxon above the genus (the first member of Batrachia, the
    # family Ranidae), before a title's end as a work's kind
    r"|members?[ \t]+of|(?:family|subfamily|superfamily|clade|order|suborder"
    r"|infraorder|tribe))"
    r")[ \t]+$"
)
_THING_AFTER = regex.compile(
    r"[ \t]*\([ \t]*(?:[\p{L}\d@-]+[ \t]+){0,2}" + _CLASS_NOUNS + r"[ \t]*\)"
    r"|[ \t]+(?:Medal|Medals|Cup|Memorial|Lecture|Scholarship|Fellowship)\b"
    r"|[ \t]+(?i:campus)\b"
    r"|[ \t]+(?:is|was|are|were)[ \t]+(?:a|an|the)[ \t]+"
    r"(?:"
    + _NOT_A_MODIFIER
    + r"[\p{L}\d@-]+[ \t]+){0,4}?"
    + _CLASS_NOUNS
    # (not a comma that goes on listing modifiers: an English film, television and
    # theatre actor)
    + r"(?=[ \t]*(?:[.;:(]|,(?![ \t]*\p{Ll}+(?:[ \t]+\p{Ll}+)?[ \t]+(?:and|or)[ \t]))"
    r"|[ \t]+(?:in|of|on|by|from|that|which|located|released"
    r"|written|directed|produced|recorded|near|set|based|published|formed"
    r"|founded|named|situated)\b)"
)
# A genus's species: a lower-case Latin word after one capitalised word (Homo
# sapiens, Rana temporaria) that no dictionary holds.
_SPECIES_AFTER = regex.compile(
    r" (\p{Ll}{3,}(?:us|um|a|ae|is|ii|ens|ensis|oides|ata|ica|ella|ina|ana))\b"
    r"(?![ \t]*['’]|[@-])"
)


# A thing named after a person, right after the name (the Whitehead torpedo,
# Krupp armor, the Dvorak technique, the Richter scale): an eponym, no person.
_EPONYM_AFTER = regex.compile(
    r"[ \t]+(?:techniques?|methods?|scale|effect|equations?|theorem|conjecture"
    r"|principle|process|torpedo(?:es)?|armou?r|engines?|rifles?|guns?|cannons?"
    r"|valves?|cycle|index|constant|syndrome|disease|reflex|algorithm|distribution"
    r"|transform|coefficient|paradox|lemma|inequality|notation|diagram|apparatus"
    r"|telescope|curve|mortars?|(?:cruiser[ \t]+)?tanks?|bombers?|fighters?"
    r"|flying[ \t]+boats?|aircraft|missiles?|pistols?|carbines?|series)\b"
    r"(?![ \t]+down\b)"  # not Rambo guns down
)
# A quoted name's closing quote before the eponym's noun (the ' Harvey ' torpedo);
# only after an opening quote, never a possessive's apostrophe (Lewis' class).
_CLOSING_QUOTE = regex.compile(r"[ \t]*['\"’”]")
_OPENING_QUOTE = regex.compile(r"['\"‘“][ \t]*$")


def thing_frame(text: str, s: int, e: int) -> str | None:
    """Why text[s:e] names a thing, not a person, by the words around it: a
    work's kind before it or in brackets after it, or starred in ("work"), an
    award's word after it or won the before it ("award"), genus or a species
    after it ("taxon"), a bearing before it ("bearing"), a copula with a class
    noun after it ("class"), a thing named after a person right after it
    ("eponym": Krupp armor); None otherwise. A possessive after the span is a
    person's (starred in Smith's film)."""
    if _POSSESSIVE.match(text, e):
        return None
    m = _THING_BEFORE.search(text, max(0, s - 40), s)
    if m:
        w = m.group()
        if (
            w.split()[0].lower() in _DETERMINERS or w.startswith(_GROUPS)
        ) and not _TITLE_END.match(text, e):
            return None  # the episode Coleman shot, the film Ken Loach made
        return (
            "award"
            if " the" in w and w.split()[0] in _AWARDED
            else "taxon"
            if w.startswith(("genus", "subgenus", "species", *_GROUPS[1:]))
            else "group"
            if w.startswith("member")
            else "bearing"
            if w.split()[0] in _BEARINGS
            else "place"
            if w.split()[-1] == "of" or w.split()[0] in _TAKEN_PLACES
            else "employer"
            if w.split()[-1] in ("at", "with", "for")
            else "work"
        )
    m = _THING_AFTER.match(text, e, min(len(text), e + 120))
    if m:
        w = m.group().lstrip()
        return (
            "work"
            if w.startswith("(")
            else "place"
            if w.lower() == "campus"
            else "class"
            if w[:1].islower()
            else "award"
        )
    after = e
    if _OPENING_QUOTE.search(text, max(0, s - 3), s):
        quote = _CLOSING_QUOTE.match(text, e, min(len(text), e + 3))
        after = quote.end() if quote else e
    if _EPONYM_AFTER.match(text, after, min(len(text), after + 24)):
        return "eponym"
    if " " not in text[s:e]:
        m = _SPECIES_AFTER.match(text, e, min(len(text), e + 30))
        if (
            m
            and not is_dictionary_word(m.group(1))
            and m.group(1) not in lexicon().common
        ):
            return "taxon"
    return None


# What follows a work's title named after its kind (the film Magnolia, in 1999);
# a verb there makes the span the subject of a relative clause, a person.
_TITLE_END = regex.compile(
    r"[ \t]*(?:[,.;:()\"'“”!?]|$)|[ \t]+(?:is|was|in|by|and|of|on|from|with|for"
    r"|at|to|which|that|as|were|are|has|had|\d)\b"
)
_DETERMINERS = frozenset("the a an his her their its".split())
_GROUPS = tuple(
    "member family subfamily superfamily clade order suborder infraorder tribe".split()
)
_AWARDED = frozenset("awarded won received win winning".split())
_BEARINGS = frozenset(
    "north south east west northeast northwest southeast southwest upstream "
    "downstream".split()
)


ORGANISATIONS_FILE = "en_organisations.txt"
_ORG_KEY_DROP = str.maketrans({".": None, "!": None, ",": None, "’": "'"})
_GAZETTEER_WORD = regex.compile(r"[\p{L}\p{M}\d][\p{L}\p{M}\d.'’&!*-]*|&")


def org_key(name: str) -> str:
    """How a name is looked up in the organisation list: lower case, "&" read as
    "and", no dots (J.P. Morgan = JP Morgan, Enron Corp. = Enron Corp)."""
    return " ".join(name.replace("&", " and ").translate(_ORG_KEY_DROP).lower().split())


@lru_cache(maxsize=1)
def organisations() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The organisation list (data/en_organisations.txt) as (one-word names,
    one-word names written in capitals, longer names), each by `org_key`. A name
    in capitals (DOE, ING) is an acronym: only a span in capitals is it (John
    Doe, Ing are not)."""
    names = [
        line.strip()
        for line in resources.files("corpusgate.detectors.pii.data")
        .joinpath(ORGANISATIONS_FILE)
        .read_text("utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    ]
    one = {org_key(n) for n in names if " " not in n and not n.isupper()}
    caps = {org_key(n) for n in names if " " not in n and n.isupper()}
    longer = {org_key(n) for n in names if " " in org_key(n)}
    return frozenset(one), frozenset(caps), frozenset(longer)


@lru_cache(maxsize=1)
def _longer_name_words() -> frozenset[str]:
    """Every word of a longer listed name (by `org_key`): a span with none of them
    is part of no longer name, whatever words surround it."""
    return frozenset(w for name in organisations()[2] for w in name.split())


def _listed_longer(words: list[str]) -> bool:
    """`words` are a longer listed name; one joined by "and" only if a word of it
    is in no name list (Ernst and Young): two people are written so too (Gerste,
    Johnson and Johnson); joined by "&" (Johnson & Johnson) it is the firm."""
    key = org_key(" ".join(words))
    if key not in organisations()[2]:
        return False
    parts = key.split()
    return (
        "and" not in parts
        or any("&" in w for w in words)
        or not all(_in_name_lists(w) for w in parts if w != "and")
    )


def listed_organisation(text: str, s: int, e: int) -> str | None:
    """The span text[s:e] is a listed organisation: "whole" (Morgan Stanley,
    Nevada Power), "part" (a longer listed name runs on around it on the same
    line: [Morgan] Stanley, Goldman [Sachs]), "one" (one listed word: Enron,
    Koch; whether it is a person there is for its context to say), or None."""
    one, caps, _ = organisations()
    span = text[s:e]
    key = org_key(span)
    if " " in key:
        if _listed_longer([span]):
            return "whole"
    elif key in one or (key in caps and span.isupper()):
        return "one"
    parts = key.split()
    if parts and not any(w in _longer_name_words() for w in parts):
        return None  # the usual case: skips the 16 joins below
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    before = _GAZETTEER_WORD.findall(text, max(line_start, s - 40), s)[-3:]
    after = _GAZETTEER_WORD.findall(text, e, min(line_end, e + 40))[:3]
    for i in range(len(before) + 1):
        for j in range(len(after) + 1):
            if i + j and _listed_longer([*before[i:], span, *after[:j]]):
                return "part"
    return None


def in_listed_organisation(text: str, s: int, e: int) -> bool:
    """text[s:e] is a longer listed organisation's name or inside one (Morgan
    Stanley, J.P. [Morgan])."""
    return listed_organisation(text, s, e) in ("whole", "part")


# Words that name an organisation's trade when they end its name (Nevada Power,
# Tennessee Gas, Dean Witter Securities); some are surnames too (Tyrone Power,
# Samantha Power), so a span opening with a given name keeps them.
_TRADE_WORDS = frozenset(
    "power light gas electric pipeline oil resources trust securities bancorp"
    " bancshares brothers markets exchange trading transmission utility agency"
    " commission department ministry authority bureau railroad railway steel"
    " foods stores airlines edison".split()
)
# Job words before "at X" / "of X": X is the employer (a trader at Morgan Stanley,
# CEO of Koch). "of" only after a head's title: a student of Plato is a person's.
_JOBS_AT = frozenset(
    "trader traders analyst analysts economist economists banker bankers broker"
    " brokers strategist strategists ceo cfo coo cto president vice-president vp"
    " chairman chairwoman director directors manager managers executive executives"
    " officer spokesman spokeswoman spokesperson employee employees partner"
    " partners consultant consultants engineer engineers counsel lawyer lawyers"
    " attorney attorneys professor professors student students researcher"
    " researchers intern interns staff head founder treasurer controller job"
    " position works worked working".split()
)
_JOBS_OF = frozenset(
    "ceo cfo coo cto president chairman chairwoman founder head executive"
    " executives director directors employees shareholders".split()
)
# A stock ticker after the name: (ENE), (NYSE: ENE), (Nasdaq:MSFT).
_TICKER = regex.compile(
    r"[ \t]*\((?P<x>(?:NYSE|Nasdaq|NASDAQ|AMEX|TSX|LSE|OTC)[ \t]*[:/][ \t]*)?"
    r"\p{Lu}{2,5}(?:\.\p{Lu})?\)"
)
# A signature's title line (Vice President, Senior Counsel, Director of Trading).
_TITLE_LINE_WORDS = frozenset(
    "vice president senior sr junior associate assistant general chief executive"
    " officer director manager managing counsel analyst trader specialist"
    " coordinator administrator engineer consultant partner chairman ceo cfo coo"
    " vp svp evp md head of and & , / - deputy principal legal regional".split()
)
_POSSESSIVE = regex.compile(r" ?['’]s\b")
_TITLE_JOINERS = frozenset("of and & , / -".split())
_LINE_WORDS = regex.compile(r"[\p{L}&,/-]+")


def _given(low: str) -> bool:
    lex = lexicon()
    return low in lex.given or low in lex.census_given


def _ends_in_a_thing(words: list[str]) -> bool:
    """The last word is an ordinary English word that no list of surnames or given
    names holds (Cookie Persistence, Developer Interface, Azure Blob, Page Bundle):
    in documentation, a feature's or a product's name."""
    low = words[-1].lower()
    lex = lexicon()
    return (
        len(low) > 2  # not an initial (Alfredo Z.)
        and is_dictionary_word(low)
        and low not in lex.surnames
        and low not in lex.surname_rank
        and low not in lex.world_surnames
        and low not in lex.given_names
    )


def _after_title_line(text: str, s: int) -> bool:
    """The span opens a line and the line before is a job title alone (John Smith
    / Vice President / [Enron North America]): a signature's organisation. Not
    after a line of joiners only (3, 4 and 5.)."""
    start = text.rfind("\n", 0, s) + 1
    if text[start:s].strip() or start == 0:
        return False
    prev_start = text.rfind("\n", 0, start - 1) + 1
    if text[prev_start : start - 1].rstrip().endswith(":"):
        return False  # a heading that lists people (Vice Presidents: / Jane Doe)
    words = [w.lower() for w in _LINE_WORDS.findall(text, prev_start, start - 1)]
    return any(w not in _TITLE_JOINERS for w in words) and all(
        w in _TITLE_LINE_WORDS for w in words
    )


def organisation_evidence(
    text: str,
    tokens: list[tuple[int, int, str]],
    tags: list[str],
    s: int,
    e: int,
    persons: frozenset[str] = frozenset(),
) -> str | None:
    """Why the name-shaped span text[s:e] names an organisation, or None: a
    listed organisation ("listed"; one listed word only where nothing around it
    reads as a person, and never a word of a person's longer name elsewhere in
    the document, `persons`); a trade word ending it or right after it, the
    span opening with no given name ("trade": Nevada Power); the employer after
    a job or a person ("employer": a trader at Morgan Stanley, CEO of Koch, Jeff
    Holzschuh at Morgan Stanley); a stock ticker after it ("ticker": Enron
    (ENE)); one word in brackets after a person's name ("employer": Pete
    Peterson (Blackstone)); the line after a signature's title ("signature");
    its words written together as a web or mail domain of the document
    ("domain": Morgan Stanley ... @morganstanley.com)."""
    span = text[s:e]
    words = span.split()
    first = words[0].lower()
    one_word = len(words) == 1
    listed = listed_organisation(text, s, e)
    if listed in ("whole", "part"):
        return "listed"
    i = bisect_left(tokens, (s,))  # the token starting at s
    if listed == "one" and _listed_word(text, tokens, tags, i, persons):
        return "listed"
    given_first = _given(first)
    if not given_first:
        last = words[-1].lower()
        nxt = _LETTERS.match(text, e + 1) if text[e : e + 1] == " " else None
        if (not one_word and last in _TRADE_WORDS) or (
            nxt and text[nxt.start()].isupper() and nxt.group().lower() in _TRADE_WORDS
        ):
            return "trade"
    if i >= 2:
        prep, job = tokens[i - 1][2].lower(), tokens[i - 2][2].lower()
        # Not a person's place (at Sarah's, at Dave Grohl's studio).
        owned = _POSSESSIVE.match(text, e) is not None
        if (
            prep == "at"
            and not owned
            and (job in _JOBS_AT or tags[i - 2].endswith("PER"))
        ) or (prep == "of" and job in _JOBS_OF):
            return "employer"
        if (
            one_word
            and prep == "("
            and tags[i - 2] == "I-PER"
            and text[e : e + 1] == ")"
            and not given_first
        ):
            return "employer"
    m = _TICKER.match(text, e, after_name_reach(text, e))
    if m and (m.group("x") or not given_first):
        return "ticker"
    if not given_first and _after_title_line(text, s):
        return "signature"
    if not one_word:
        joined = "".join(words).lower()
        users = _domains(text).get(joined) if len(joined) > 5 else None
        # A person's own domain (tsolomon@tomsolomon.com, erik@erikwickstrom.com,
        # me@kennethreitz.org) is no firm's: with a given name first, someone else
        # must write from it.
        last = words[-1].lower()
        if users is not None and (
            not given_first
            or any(
                first not in u and last not in u and u not in _SELF_USERS for u in users
            )
        ):
            return "domain"
    return None


def _listed_word(
    text: str,
    tokens: list[tuple[int, int, str]],
    tags: list[str],
    i: int,
    persons: frozenset[str],
) -> bool:
    """The listed word at token `i` names the organisation: no name list knows
    it (Enron, Dynegy) and no title is before it, or it is a
    rarer surname (Blackstone, Merck, Andersen) and nothing around it reads as
    a person; never a word of a person's longer name in the document
    (`persons`). A common name (a given name, a census surname of rank
    1,000 or better: Koch, Pearson, Ford, Stanford) is left to the document's
    evidence."""
    low = tokens[i][2].lower()
    if low in persons:
        return False
    j = i - 1 if i and tokens[i - 1][2] != "." else i - 2  # Mr. Enron
    before = tokens[j][2].lower() if j >= 0 else ""
    if before in lexicon().titles and before != "dear":
        return False
    if not _in_name_lists(low):
        # Firms speak and are listed beside people as often (Intel said,
        # against Enron and Eric Holzer): on the training sentences a verb of
        # saying would keep no gold name and lose 68 gold organisations.
        return True
    if _common_name(low) or low in lexicon().census_given:
        return False
    return not EnglishPersonCrfRecognizer._person_context(
        text, tokens, tags, tokens[i][0], True
    )


# Mail user names that say "me" or name the site's keeper rather than someone else.
_SELF_USERS = frozenset(
    "me hi hello mail email contact info home inbox i admin webadmin webmaster"
    " hostmaster postmaster".split()
)
# A mail address's user is tried only from the start of its run of user characters
# (or where the last match ended, \G): from inside the run the same '@' would be
# reached again, so the matches are the same, without the scan across each word's
# tail from every one of its characters.
_DOMAIN = regex.compile(
    r"(?:(?:(?<![\w.+-])|\G)([\w.+-]*)@|://|\bwww\.)((?:[\w-]+\.)+)[a-z]{2,}\b"
)


# One entry: asked once per multi-word candidate of the same document.
@lru_cache(maxsize=1)
def _domains(text: str) -> dict[str, set[str]]:
    """Labels of the web and mail domains in `text` (enron, morganstanley), each
    with the lower-case user names of the mail addresses at it (read-only)."""
    out: dict[str, set[str]] = {}
    if "@" not in text and "www." not in text and "://" not in text:
        return out
    for m in _DOMAIN.finditer(text):
        user = (m.group(1) or "").lower()
        for x in m.group(2).lower().split("."):
            if x:
                users = out.setdefault(x, set())
                if user:
                    users.add(user)
    return out


_LETTERS = regex.compile(r"\p{L}+")
# LiNO3, Cal'01, Handler.java, a call Len(max_length=10) (not a year: Smith(2003))
_GLUED = regex.compile(r"['’]?\d|\.\w|\((?![\d\s])")
# ...after a dotted name (os.Handler; the name model also reads Cournos.Max of a
# sentence's missing space so) or a member of code (`after_a_code_name`).
_GLUED_BEFORE = regex.compile(r"\w\.$")
# A surname after O' or D' that tokenised text writes apart (Tony O 'Doherty,
# Shaquille O 'Neal): the model ends the name at the letter.
_APOSTROPHE_SURNAME = regex.compile(r"[ \t]?['’]\p{Lu}\p{Ll}+")


_HYPHENATED_BEFORE = regex.compile(r"(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)+)[ \t]+$")


def _with_hyphenated_given(
    text: str, sp: tuple[int, int, float]
) -> tuple[int, int, float]:
    """A hyphenated word of given names right before the span is the name's first
    word (Jan-Mike Gambill, Anne-Sophie Mutter): the model often leaves it out."""
    s, e, p = sp
    m = _HYPHENATED_BEFORE.search(text, max(0, s - 30), s)
    if m is None:
        return sp
    given_names = lexicon().given_names
    if all(part in given_names for part in m.group(1).lower().split("-")):
        return m.start(1), e, p
    return sp


def _with_apostrophe_surname(
    text: str, sp: tuple[int, int, float]
) -> tuple[int, int, float]:
    s, e, p = sp
    if e - s > 2 and text[e - 2 : e] in (" O", " D"):
        m = _APOSTROPHE_SURNAME.match(text, e)
        if m is not None:
            return s, m.end(), p
    return sp


# Articles of other languages that open a title (Les Misérables, La Traviata).
_FOREIGN_ARTICLES = frozenset("Les La Le El Los Las Il Lo Die Der Das".split())
# A dotted chain of lower-case identifiers or a lone dot right before a word: a
# field, a method or a constant of code (math.Max, android.os.Handler, {{ .Title }});
# not a name after a sentence's missing space (Cournos.Max Michelson, St.Louis).
_CODE_NAME_BEFORE = regex.compile(
    r"(?:^|[^\w.])(?:[\p{Ll}_][\w]*\.)+\Z|(?:^|[\s{(\[|,])\.\Z"
)


def after_a_code_name(text: str, s: int) -> bool:
    """The word at `s` is a member of code (math.Max), no name."""
    # Both forms end in the dot right before the word: most words have none.
    return (
        text[s - 1 : s] == "."
        and _CODE_NAME_BEFORE.search(text[max(0, s - 40) : s]) is not None
    )


_IMPERATIVE = regex.compile(
    r"[ \t]+(?:the|a|an|this|these|those|your|our|my|here|now)\b"  # Click here
)
# What only a ship has or undergoes (Ise 's AA armament, Hyūga was scuttled,
# Ise reached 25 knots; not "commissioned": officers are): a ship named like a
# person is none there.
_SHIP_PARTS = (
    *"armament turrets boilers hull keel displacement".split(),
    "sea trials",
)
_SHIP_FATES = (
    "launched",
    "decommissioned",
    "scuttled",
    "torpedoed",
    "refitted",
    "laid down",
    "fitted with",
    "modernized",
    "modernised",
)
_SHIP_FRAMES = regex.compile(
    r"\b(\p{Lu}[\p{L}\p{M}]+)(?: ?['’]s)?[ \t]+(?:(?:main|secondary|AA"
    r"|anti-aircraft|anti @-@ aircraft)[ \t]+)?(?:" + "|".join(_SHIP_PARTS) + r")\b"
    r"|\b(\p{Lu}[\p{L}\p{M}]+)[ \t]+(?:was|were)[ \t]+(?:(?:briefly|later|then"
    r"|subsequently|also|finally)[ \t]+)?(?:" + "|".join(_SHIP_FATES) + r")\b"
    r"|\b(\p{Lu}[\p{L}\p{M}]+)[ \t]+(?:reached|made|achieved|attained)[ \t]+"
    r"(?:a[ \t]+(?:top|maximum)[ \t]+speed[ \t]+of[ \t]+)?[\d@., ]+knots\b"
)
# Every match of the ship frames holds one of these: most texts hold none, and
# looking for them as plain text is much cheaper than trying the frames.
_SHIP_WORDS = (*_SHIP_PARTS, *_SHIP_FATES, "knots")
_FRAME_WORD = regex.compile(r"(?i:hurricane|typhoon|cyclone|tropical|storm)\b")
# An order of chivalry or merit named after a person (the Military Order of Maria
# Theresa, the Order of Lenin): the award, not the person; an event named after its
# place (the Battle of Lissa, the Siege of Vicksburg, the Treaty of Utrecht): the
# place.
_ORDER_OR_EVENT_OF = regex.compile(
    r"\b(?:Order|Battle|Siege|Sack|Treaty|Bombardment|Massacre|Invasion|Liberation"
    r"|Relief)[ \t]+of[ \t]+(?:the[ \t]+)?$"
)
# What only a program has (older Hugo versions, the Ruff CLI, Hugo users, the
# Cassandra storage layer is configured in...): that word names no person in the
# document.
_PROGRAM_FRAME = regex.compile(
    r"\b(\p{Lu}[\p{L}\d]*)[ \t]+(?:versions?|releases?|project|users"
    r"|installation|CLI|API|SDK|config|configuration|binary|binaries|plugins?"
    r"|modules?|packages?|library|libraries|repository|repo|codebase|documentation"
    r"|docs|edition|extensions?|storage layer|backend|dependency|dependencies"
    r"|community|authors|maintainers|contributors|site|sites|website|application"
    r"|app|templates?|server|engine|framework|ecosystem)\b"
    # and what only a program is: a version of it, something powered by it
    r"|\b(?:versions?[ \t]+of|powered[ \t]+by|generated[ \t]+by|built[ \t]+with"
    r"|(?:un)?install(?:s|ed|ing)?|download(?:s|ed|ing)?|upgrad(?:e|es|ed|ing))"
    r"[ \t]+(\p{Lu}[\p{L}\d]*)\b(?![ \t]*['’])"
    # and its own parts, which no person has (Hugo's embedded templates, Ruff's CLI)
    r"|\b(\p{Lu}[\p{L}\d]*)['’]s[ \t]+(?:\p{Ll}+[ \t]+)?(?:templates?|CLI|API"
    r"|codebase|source[ \t]+code|binary|binaries|file[ \t]+system)\b"
)
# A word the document also writes in lower case as code: after a backtick, a
# bracket, a path separator or a package scope (`hugo`, datasketch[cassandra],
# astral-sh/ruff, @babel/core), or before one, a dotted or colon-joined name or an
# underscore (ruff.toml, hugo:vars, pickle.dumps). That word names a program, not
# a person (Hugo creates..., getting started with Ruff). Not inside a web address
# (a news story's path holds its people's names: /2016/trump/) nor in an e-mail
# address (dave.smith@...), where people's names are written in lower case.
_AFTER_CODE_MARK = regex.compile(
    r"(?:[/`\[]|(?<!\S)@)(\p{Ll}[\p{Ll}\d]*+)(?![\p{L}\d])"
)
_BEFORE_CODE_MARK = regex.compile(r"[/`\]]|[.:_]\p{Ll}")
_WORD_BEFORE = regex.compile(r"(?r)(?<![\p{L}\d@.])\p{Ll}[\p{Ll}\d]*")
_ADDRESS_MARK = regex.compile(r"://|\bwww\.|@(?=[\w-]+\.)")
_RUN_START = regex.compile(r"(?r)\S*")  # searched backwards from the word
_RUN_END = regex.compile(r"\S*")
_NON_TAB = regex.compile(r"[^\t ](?:[^\t]*[^\t ])?")  # a cell, without its blanks


def _code_words(text: str) -> set[str]:
    spans = [m.span(1) for m in _AFTER_CODE_MARK.finditer(text)]
    for m in _BEFORE_CODE_MARK.finditer(text):
        w = _WORD_BEFORE.match(text, 0, m.start())
        if w is not None and w.group():
            spans.append(w.span())
    out = set()
    for s, e in spans:
        a = _RUN_START.search(text, 0, s).start()
        b = _RUN_END.match(text, e).end()
        if not _ADDRESS_MARK.search(text, a, b):
            out.add(text[s:e])
    return out


# Documentation and code: a fenced block, a code-block directive, a shell or
# interpreter prompt, or three spans of inline code; or a documentation site's page,
# whose front matter places it in the site's navigation (linkTitle, weight, menu,
# sidebar_position...: keys of Hugo, Docusaurus and Jekyll documentation themes that
# blog posts do not use) or carries no date (a blog post or a news item is dated;
# a page of documentation, an issue template or a site's landing page is not).
_FENCE = regex.compile(r"```|~~~|^\.\. code(?:-block)?::|^[ \t]*(?:\$|>>>) \S", regex.M)
_INLINE_CODE = regex.compile(r"`[^`\n]+`")
_FRONT_MATTER = regex.compile(
    r"\s*(---|\+\+\+)[ \t]*\n(.*?)\n\1[ \t]*(?:\n|$)", regex.S
)
_NAVIGATION_KEY = regex.compile(
    r"^(?:linkTitle|weight|menu|toc|sidebar_position|sidebar_label|nav_order"
    r"|nav_exclude|has_children)[ \t]*[:=]",
    regex.M,
)
_DATE_KEY = regex.compile(
    r"^(?:date|publishDate|pubDate|published|created)[ \t]*[:=]", regex.M
)


def technical(text: str) -> bool:
    """Whether `text` is documentation or code: its one-word capitals are mostly
    programs, commands and settings (Hugo renders..., Default is `false`)."""
    if _FENCE.search(text):
        return True
    if sum(1 for _ in itertools.islice(_INLINE_CODE.finditer(text), 3)) >= 3:
        return True
    m = _FRONT_MATTER.match(text, 0, 4000)
    if m is None:
        return False
    head = m.group(2)
    return _NAVIGATION_KEY.search(head) is not None or _DATE_KEY.search(head) is None


def _cells(text: str, sp: tuple[int, int, float]) -> list[tuple[int, int, float]]:
    """A tab separates cells, never the words of one name: a span across tabs is
    cut at each (Julia Clark<TAB>Ipsos, Alan Aronowitz<TAB>Sami Arap). The first
    cell stays; a later one only as a name of two words or more that shares no
    word with the cell before it, since a word alone after a name's cell is its
    firm's or a column's (Ipsos, Other) and so is a firm named after the person
    (Anna Greenberg<TAB>Greenberg Quinlan Rosner)."""
    s, e, p = sp
    if "\t" not in text[s:e]:
        return [sp]
    out: list[tuple[int, int, float]] = []
    before: set[str] = set()
    for m in _NON_TAB.finditer(text, s, e):
        words = m.group().split()
        if not out or (len(words) > 1 and before.isdisjoint(words)):
            out.append((*m.span(), p))
        before = set(words)
    return out


# The last document's answer: the name model and the given-name list recognizer
# both ask it of the same text object during one scan. Identity, not content: a
# new document is a new string.
_last_not_person: tuple[str, frozenset[str]] | None = None


def not_person_words(text: str) -> frozenset[str]:
    """Lower-case words that name a storm, a ship or an organisation somewhere in
    `text` (after Hurricane/Typhoon/Operation/HMS, with a ship's armament or
    speed in knots, launched or scuttled, before Corp/Inc/Group... or
    employees, owning stock or a board, referred back to by "its", a noun
    phrase with an article and in no name list, a label of a mail or web
    domain, or a word written in lower case as code: a program's name)."""
    global _last_not_person
    last = _last_not_person
    if last is not None and last[0] is text:
        return last[1]
    words = _not_person_words(text)
    _last_not_person = (text, words)
    return words


def _not_person_words(text: str) -> frozenset[str]:
    out: set[str] = set()
    frames = list(_NOT_PERSON_FRAMES)
    lowered = text.lower()
    if (
        _THING_WORD_BEFORE.search(lowered)
        or _SHIP_PREFIX_BEFORE.search(text)
        or (("ſ" in text or "İ" in text) and _THING_WORD.search(lowered))
    ):
        frames += (_THING_FRAME, _STORM_APPOSITION)
    for frame in frames:
        out.update(m.group(1).lower() for m in frame.finditer(text))
    if _HAS_A_SCORE.search(text):
        for m in _TEAM_FRAMES.finditer(text):
            out.add(m.group(m.lastindex).lower())
    for m in _DOMAIN_FRAME.finditer(text):  # a mail or web domain's labels
        out.update(x for x in m.group(1).lower().split(".") if x)
    if any(w in text for w in _SHIP_WORDS):
        for m in _SHIP_FRAMES.finditer(text):
            out.add(m.group(m.lastindex).lower())
    for m in _AFTER_ARTICLE.finditer(text):
        low = m.group(1).lower()
        if not _in_name_lists(low):
            out.add(low)
    out.update(program_words(text))
    return frozenset(out)


@lru_cache(maxsize=1)
def program_words(text: str) -> frozenset[str]:
    """Lower-case words that name a program in `text`: written as code there, or
    before what only a program has (versions, CLI, users, modules...). Cached for
    the last text: the not-person words and the name model both ask for it."""
    framed = {
        (m.group(1) or m.group(2) or m.group(3)).lower()
        for m in _PROGRAM_FRAME.finditer(text)
    }
    return frozenset(framed | _code_words(text))


_SAYING = frozenset(
    "said says told asked added wrote replied recalled noted argued insisted".split()
)
_LIST = frozenset({",", "and", "&", "/"})
# Not "from", "to" or "of": a person follows those as often (a call from Bowen).
_PLACE_PREPOSITIONS = frozenset(
    "in at near past through toward towards via outside across into".split()
)
# What only a person has or does, after the word (Bralic's wife, Bralic lives,
# Bralic, 48,) or before it (the funeral of Bralic, 16-year-old Hlinka).
_KIN_AND_LIFE = (
    r"(?:wife|husband|son|daughter|kids?|children|mother|father|brother|sister"
    r"|parents|family|death|funeral|birth|birthday|girlfriend|boyfriend"
    r"|fianc[ée]e?|widow|trial|career|gender)"
)
_PERSON_AFTER = regex.compile(
    r" ?['’]s[ \t]+(?:[\p{Ll}-]+[ \t]+)?" + _KIN_AND_LIFE + r"\b"
    r"|[ \t]+(?:lives|lived|died|married|grew up|was born|is from|was from"
    r"|retired|resigned)\b"
    r"|[ \t]*,[ \t]*\d{1,3}[ \t]*,"
    # Addressed at the end of a sentence (Don't go, Mark!).
    r"|[ \t]*[!?]"
    # A personal pronoun before any other capitalised word, in the rest of the
    # sentence or the next one (Bralic is reliable. You can count on him.).
    r"|(?![ \t]*,)(?:[^.!?\n\p{Lu}]*[.!?][ \t]+\p{Lu}[\p{Ll}'’]*)?[^.!?\n\p{Lu}]*"
    r"\b(?:he|she|him|his|her|himself|herself)\b"
)
_PERSON_BEFORE = regex.compile(
    r"(?:\d-year-old|\baged[ \t]+\d{1,3}[ \t]*,|\b" + _KIN_AND_LIFE + r" of)[ \t]+$"
)
# Slots that hold a person's name whatever the model reads there (newswire taught
# it "Alma" after "given" or "Ciset lives" as a place or a firm): what only a
# person does, being someone's relative, a quotation's speaker. A capitalised
# name-shaped span in one is reported with the slot's precision on the training
# sentences, (gold PERSON + 1) / (matches + 2), counted by
# `scripts/train_en_person.py --person-slots` (conll2003_en_train + wnut17_en_train:
# life 9 of 11, relative 19 of 21, said 87 of 90); the organisation, place and
# street vetoes still apply, and the model's reading of a people or an event
# (Serbs lived) lowers the score. Lower-case text needs a given name first (eva kleist
# lives at). Not taken (measured there): "X, who" 155 of 192 (teams: Schalke, who),
# a line's "X:" 3 of 107 (results: At Cardiff : Kent 128-1).
_NAME_IN_SLOT = r"(?<![\p{L}\p{M}'’-])(?P<n>" + LABELLED_NAME + ")"
_LOWER_NAME_IN_SLOT = r"(?<![\p{L}\p{M}'’-])(?P<n>" + _LOWER_NAME + ")"
_RELATIVES = (
    r"(?:wife|husband|son|daughter|kid|child|mother|father|brother|sister"
    r"|girlfriend|boyfriend|fianc[ée]e?|widow|widower|mom|mum|dad|grandson"
    r"|granddaughter|grandmother|grandfather|nephew|niece|cousin|uncle|aunt"
    r"|stepson|stepdaughter|friend|boss|partner|colleague|neighbou?r|roommate)"
)
# Days and months are said too (traders said Wednesday.).
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february"
    " march april may june july august september october november december".split()
)
_SLOTS = (
    (
        "life",
        "{n}[ \t]+(?:lives|lived|died|married|grew up|was born|is from"
        r"|was from)\b",
        0.77,
    ),
    (
        "relative",
        r"\b(?i:my|his|her|our|their|your)[ \t]+(?:\p{Ll}+[ \t]+)?"
        + _RELATIVES
        + r"[ \t]*,?[ \t]+{n}",
        0.87,
    ),
    ("said", r"\b(?:says|said)[ \t]+{n}[ \t]*[.,]", 0.96),
)
PERSON_SLOTS = tuple(
    (kind, regex.compile(p.replace("{n}", _NAME_IN_SLOT)), score)
    for kind, p, score in _SLOTS
)
PERSON_SLOTS_LOWER = tuple(
    (kind, regex.compile(p.replace("{n}", _LOWER_NAME_IN_SLOT)), score)
    for kind, p, score in _SLOTS
)
_SLOT_SCORES = {kind: score for kind, _, score in _SLOTS}
_LIFE_WORD = regex.compile(
    r"\b(?:lives|lived|died|married|grew up|was born|is from|was from)\b"
)
# A comma before the word; with [!?] after it (_PERSON_AFTER) it is addressed.
_COMMA_BEFORE = regex.compile(r",[ \t]*$")
_NON_BLANK = regex.compile(r"\S+")
_AMPERSAND_AFTER = regex.compile(r"[ \t]*&[ \t]*\p{Lu}")
# A lookbehind matched at the span's start: it reads back over the blanks and the
# "&" only, where a search of the text before the span read all of it per call.
_AMPERSAND_BEFORE = regex.compile(r"(?<=\p{L}[ \t]*&[ \t]*)")
_FIRM_WORD = r"\p{Lu}[\p{L}\p{M}'’]+(?:-\p{Lu}[\p{L}\p{M}'’]+)?"
_FIRM_LIST = regex.compile(
    rf"(?<!\p{{L}}){_FIRM_WORD}(?:,[ \t]+{_FIRM_WORD})+,?[ \t]+&[ \t]+{_FIRM_WORD}"
)
# A syllable joined by an apostrophe that is no English clitic: the word goes on
# (Chang'an, Xi 'an in tokenised text), it is no name.
# Weekday and month names and their abbreviations, as dates write them.
_CALENDAR_WORDS = frozenset(
    "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr may jun jul aug"
    " sep sept oct nov dec".split()
) | {w for w in _CALENDAR}
# What follows the calendar words of a date: the day, the year or a time.
_DATE_FIGURES = regex.compile(r"\.?,?[ \t]+\d{1,4}\b")


def _a_date(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is the words of a date, as mail headers, logs and
    version control write them (Fri, 6 Apr 2001; Thu, 13 Sep; Fri Jun 10 19:57:07
    2005): calendar words only, followed by the date's figures."""
    words = text[start:end].split()
    return all(w.rstrip(".,").lower() in _CALENDAR_WORDS for w in words) and bool(
        _DATE_FIGURES.match(text, end)
    )


_SYLLABLE_AFTER = regex.compile(r" ?['’](?!(?:s|t|d|ll|re|ve|m)\b)\p{Ll}")
# Shapes no name has: an acronym's plural (ESPs, CEOs) or prefix (ISOSu), a
# town's ending (Youngstown, Zehrensdorf; not -ville or -burg: Melville,
# Rifenburg), a doctrine (Cubism, Hinduism), a genus or a family of living
# things (Mastodonsaurus, Dendrerpeton, Temnospondyli, Felidae, Arecaceae).
_NOT_A_NAME_SHAPE = regex.compile(
    r"\p{Lu}{2,}s|\p{Lu}{3,}\p{Ll}+"
    r"|\p{Lu}\p{Ll}+(?:burgh|borough|town|stadt|dorf|hausen|isms?)"
    r"|\p{Lu}\p{Ll}+(?:saurus|sauria|erpeton|spondyli|idae|aceae|therium|pteryx"
    r"|pithecus|ceratops|suchus|raptor)"
)
# Capitalised words of four letters or more written as one (SourcePawn, AppleScript,
# MarketBrowser; not McDonald, MacArthur, DeShawn, LaToya, nor a name in random case,
# KrisTen): 90 of the 98 words of the training sentences whose second capital follows
# four letters or more are in no PERSON span (the others: MaliVai of MaliVai
# Washington, and a glued hashtag).
_JOINED_WORDS = regex.compile(r"(\p{Lu}\p{Ll}{3,})(?:\p{Lu}\p{Ll}{3,})+")


def joined_words(word: str) -> bool:
    """A program's, a product's or a firm's name written as one word, unless it
    opens with a given name (GeorgesFerdinandBigot, a name whose spaces were lost)."""
    m = _JOINED_WORDS.fullmatch(word)
    return m is not None and not _given(m.group(1).lower())


MEDICINES_FILE = "en_medicines.txt"
# Stems of international nonproprietary names (WHO/USAN) that end a medicine's
# name: ibu-profen, amoxi-cillin, lisino-pril, atorva-statin, omep-razole...
_MEDICINE_STEM = regex.compile(
    r"\p{Lu}\p{Ll}{2,}(?:profen|cillin|mycin|micin|olol|pril|sartan|statin|prazole"
    r"|conazole|nidazole|oxetine|tidine|cycline|floxacin|semide|thiazide|dipine"
    r"|triptan|gliptin|gliflozin|formin|zepam|zolam|barbital|tinib|zumab|ximab"
    r"|mumab|navir|ciclovir|parin|lukast|setron|dronate|azepine|peridone|glutide)"
)


@lru_cache(maxsize=1)
def _medicines() -> frozenset[str]:
    return frozenset(w for line in _data_lines(MEDICINES_FILE) for w in line.split())


def medicine(word: str) -> bool:
    """A medicine's generic or brand name (data/en_medicines.txt) or a word ending in
    a nonproprietary name's stem; none is a gold PERSON span of the training
    sentences, nor in a name list."""
    return word.lower() in _medicines() or _MEDICINE_STEM.fullmatch(word) is not None


# A word that makes a whole noun phrase with an article (the Enron that you
# built, with the Keuper.) is a thing, unless a name list knows it; not one that
# modifies a noun after it (the Velázquez portrait, the Carwin fight: a person's
# name may do that) or starts a longer name (the Marshall Plan).
_AFTER_ARTICLE = regex.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hese|[Tt]hose)[ \t]+(\p{Lu}[\p{Ll}\p{M}]+)"
    r"(?:[ \t]*[,.;:!?]|[ \t]+(?:that|which|is|was|has|had|will|would|of|in|and"
    r"|to)\b)"
)
# An indefinite article before the word and a noun after it: an adjective (a
# Roman statesman, an American actor).
_INDEFINITE_BEFORE = regex.compile(r"\b[Aa]n?[ \t]+$")
_LOWER_AFTER = regex.compile(r"[ \t]+\p{Ll}")
# Three capitals or more, as acronyms and tickers are written (EESI, ENA, ECT):
# a common name stays a name (a signature's JOHN); two are often someone's
# initials (Liz and JL).
_ACRONYM = regex.compile(r"\p{Lu}{3,}")
# The first part of a compound word in tokenised text, before a lower-case part
# or an adjective (Chan @-@ hom, Victorian @-@ themed, Julio @-@ Claudian,
# Filipino @-@ Chinese); not a double name (Chan @-@ Ho Park, Husbands @-@ Hankin).
_COMPOUND_AFTER = regex.compile(
    r"[ \t]@-@[ \t](?:\p{Ll}|\p{Lu}\p{Ll}*(?:ian|ese|ic)(?![\p{L}]))"
)
# The hyphen as tokenised text (WikiText) writes it, between two spaces.
_TOKENISED_HYPHEN = " @-@ "
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "esq"})
# A Roman numeral alone in capitals numbers a work, a model or a part (Head VI,
# Heads I and VI); a name in capitals that is one (LI) is kept by the surname lists.
_ROMAN_NUMERAL = regex.compile(
    r"(?=[MDCLXVI]{2})M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
)
# Offices written after their qualifier (Field Marshal, Roman Emperor, Attorney
# General, Vice President, Prime Minister): no name ends in one. Offices that are
# surnames too (Major, King, Bishop, Chancellor) are not listed.
_OFFICE_LAST = frozenset(
    "Emperor Empress Consul Proconsul Marshal General Admiral Governor President"
    " Minister Secretary Treasurer Chairman".split()
)
# A day after a name is the news' date of what the person did (President Bush
# Friday signed): no part of the name.
_WEEKDAYS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)
# Given names far more often read as a faith's or a people's adjective (their
# Christian faith, a Roman statesman): alone, as the name words are.
ADJECTIVE_NAMES = frozenset({"Christian", "Roman"})
_FIRM_SUFFIXES = frozenset(
    "p.a l.l.p llp p.c pllc l.p l.l.c llc ltd inc corp plc gmbh ag nv bv kg oy spa"
    # a firm's form before its name too (AG Weser)
    .split()
)
# Census surname ranks up to this are names even when they are English words too
# (Woods, Hill, House).
COMMON_SURNAME_RANK = 5000
_OTHER_ENTITY = frozenset(
    pos + kind for kind in ("LOC", "ORG", "MISC") for pos in ("B-", "I-")
)


Senses = tuple[frozenset[str], dict[str, tuple[int, int]], frozenset[str]]


def _senses(words: list[str], tags: list[str]) -> Senses:
    """What the model made of each capitalised word across the document: the
    words inside its person names of two words or more, per word how often it
    read it as a one-word person and as another kind of entity (one sense per
    discourse), and the first words of its longer organisations, places and
    other entities (Enron North America)."""
    persons: set[str] = set()
    readings: dict[str, tuple[int, int]] = {}
    heads: set[str] = set()
    n = len(words)
    for i, y in enumerate(tags):
        if y == "O":
            continue
        low = words[i].lower()
        per, other = readings.get(low, (0, 0))
        if y in _OTHER_ENTITY:
            readings[low] = (per, other + 1)
            if y[0] == "B" and i + 1 < n and tags[i + 1] == "I" + y[1:]:
                heads.add(low)
        elif y == "I-PER" or (i + 1 < n and tags[i + 1] == "I-PER"):
            persons.add(low)
        else:
            readings[low] = (per + 1, other)
    return frozenset(persons), readings, frozenset(heads)


def _common_name(low: str) -> bool:
    """A common given name or surname (the short given-name list, census surname
    rank up to 1,000): written in capitals it is still a name (LISA, SMITH); a
    rarer one is more often an acronym (ENA, EOTT)."""
    lex = lexicon()
    return low in lex.given or lex.surname_rank.get(low, 1001) <= 1000


def _in_name_lists(low: str) -> bool:
    lex = lexicon()
    return (
        low in lex.given
        or low in lex.census_given
        or low in lex.surnames
        or low in lex.surname_rank
    )


def _foreign_name_words(words: list[str]) -> bool:
    """Two to four words, each no English word or a given name of some list, and
    one at least no English word and no place (Mateo García, Aigerim Bekova; not
    Service Team, Fax No, Force Majeure, London Bridge: English words that lists
    hold as surnames do not count)."""
    if not 2 <= len(words) <= 4:
        return False
    lex = lexicon()
    lows = [w.lower() for w in words]
    plain = [is_dictionary_word(w) for w in lows]
    if any(p and w not in lex.given_names for w, p in zip(lows, plain, strict=True)):
        return False
    return any(not p and w not in lex.places for w, p in zip(lows, plain, strict=True))


def known_name(low: str) -> bool:
    """A word some name list holds, the world's given names and surnames too."""
    lex = lexicon()
    return _in_name_lists(low) or low in lex.world_given or low in lex.world_surnames


# A contest's words before a side (against Valencia, versus Carolina, a draw with
# Leeds): a place there is a team.
_CONTEST_SIDE = regex.compile(
    r"\b(?:against|versus|vs\.?|beat|beats|beating|defeated|defeating|defeats"
    r"|(?:draw|drew|tie|tied)[ \t]+with|(?:lost|loss)[ \t]+to|(?:win|victory)[ \t]+over"
    r"|hosts|hosted|hosting)[ \t]+(\p{Lu}[\p{L}\p{M}]+)\b"
)


def contest_places(text: str) -> frozenset[str]:
    """Lower-case words that are GeoNames places and no common given name, which
    the document puts right after a contest's words: teams (picked to start
    against Valencia ... Valencia 's only goal; this Saturday's contest versus
    Carolina; not Lesnar defeated Cena, lost to Jordan)."""
    return _places_in(_CONTEST_SIDE, text)


def _places_in(pattern: regex.Pattern, text: str) -> frozenset[str]:
    """The words `pattern`'s first group takes in `text` (lower case) that are
    GeoNames places and no common given name."""
    lex = lexicon()
    out = set()
    for m in pattern.finditer(text):
        low = m.group(1).lower()
        if low in lex.places and low not in lex.given:
            out.add(low)
    return frozenset(out)


# Not "at": people are looked, aimed and angry at (pointed at Mendes).
_PLACE_SIDE = regex.compile(
    r"\b(?:in|near|past|through|toward|towards|via|outside|across|into)[ \t]+"
    r"(\p{Lu}[\p{L}\p{M}]+)\b(?![ \t]*['’]s\b)"
)


def preposition_places(text: str) -> frozenset[str]:
    """Lower-case words that are GeoNames places and no common given name, which
    the document puts after a preposition of place (in Denver, through
    Dürenstein): the place's sense of the word in that document."""
    return _places_in(_PLACE_SIDE, text)


# A tropical cyclone's report or a taxonomic text: the words of one of them three
# times or more in the document.
_REPORT_WORDS = regex.compile(
    r"\b(?i:(?P<storm>typhoon|hurricane|cyclone|tropical[ \t]+(?:storm|depression)"
    r"|landfall)|(?P<taxon>genus|genera|species|subfamily|subfamilies|subtribe|clade"
    r"|taxon|taxa)\b)"
)
REPORT_MIN = 3
# Parts of those words in either case: most documents hold none, and a substring
# test is cheaper than the scan.
_REPORT_STEMS = (
    "yphoon", "urricane", "yclone", "ropical", "andfall",
    "enus", "enera", "pecies", "ubfamil", "ubtribe", "lade", "axon", "axa",
)  # fmt: skip
_REPORT_STEMS += tuple(w.upper() for w in _REPORT_STEMS)


def report_of_things(text: str) -> str | None:
    """The kind of report the document is: "storm" if it reports on tropical
    cyclones, "taxon" if it treats genera and species, else None. Storms (Kujira,
    Krovanh), the islands and provinces they cross (Kyushu, Guangxi) and taxa
    (Attalea, Scheelea) are named by words no name list holds, while the people
    such texts name are named in full or by a listed name (but for some authors
    of taxa)."""
    if not any(w in text for w in _REPORT_STEMS):
        return None
    counts = {"storm": 0, "taxon": 0}
    for m in _REPORT_WORDS.finditer(text):
        kind = m.lastgroup
        counts[kind] += 1
        if counts[kind] >= REPORT_MIN:
            return kind
    return None


@lru_cache(maxsize=1)
def _dictionary() -> set[str]:
    """Webster's Second (web2, public domain; through the english-words package).
    Its proper names are capitalised, so a lower-case word found in it is an
    ordinary English word (no copy filtered to lower case: loading is the cost)."""
    from english_words import get_english_words_set

    return get_english_words_set(["web2"], alpha=True)


_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"))
_INFLECTIONS += (("ing", ""), ("ing", "e"), ("ly", ""), ("i", "us"))


def is_dictionary_word(low: str) -> bool:
    """`low` or its stem (clauses, attached, participants) is an English word."""
    words = _dictionary()
    if low in words:
        return True
    return any(
        low.endswith(end)
        and len(low) > len(end) + 2
        and low[: -len(end)] + add in words
        for end, add in _INFLECTIONS
    )


def common_words(words: list[str], used_in_lower_case: bool = True) -> bool:
    """Every word of a longer span is an English word, none a given name or a
    common surname, and (`used_in_lower_case`) one is written in lower case in the
    training text (Adobe Acrobat Reader, Heat Rate; not Will Smith, Tiger Woods,
    Paolo Negro)."""
    lex = lexicon()
    lows = [w.lower() for w in words]
    if used_in_lower_case and not any(w in lex.common for w in lows):
        return False
    return all(
        len(w) > 1  # an initial belongs to a name (Triple H, Bruce R.)
        and is_dictionary_word(w)
        and w not in lex.given
        and w not in lex.census_given
        and lex.surname_rank.get(w, COMMON_SURNAME_RANK + 1) > COMMON_SURNAME_RANK
        for w in lows
    )


def _ends_in_a_word(span: str) -> bool:
    """A longer span that opens with no given name and ends in no name list's
    word but an ordinary English word written in lower case in the training
    text (Aquila Marketing, Google Scholar) or an acronym (Decima Flottiglia
    MAS): a name ends in a surname. Rarer dictionary words and places are
    surnames too often (Naoki Soma, Ricky Ponting, Barack Obama)."""
    words = span.split()
    first, last = words[0].lower(), words[-1].lower()
    lex = lexicon()
    if first in lex.given or first in lex.census_given or _in_name_lists(last):
        return False
    return (
        (len(last) > 2 and last in lex.common and is_dictionary_word(last))
        # an acronym after a word that is none (Decima Flottiglia MAS)
        or (_ACRONYM.fullmatch(words[-1]) is not None and not words[0].isupper())
    )


def ordinary_words(words: list[str]) -> bool:
    """Every word is an ordinary English word that no name list knows (Market
    Participants, Valued Customer): a greeting's group or a form's placeholder."""
    return all(
        is_dictionary_word(w.lower()) and not _in_name_lists(w.lower()) for w in words
    )


def lower_case_text(text: str) -> bool:
    """Text written wholly in lower case (chat, some forms): names there carry no
    capital, so the model reads every sentence with a known given name."""
    return _UPPER.search(text) is None and _LETTER.search(text) is not None


def _wrapped(text: str, gap_start: int, gap_end: int) -> bool:
    """Whether the gap between two words is a line break and the indentation that
    the line before it also has: an indented paragraph wrapped there (a name runs
    on: Simon\n   Peyton Jones), not other text between them (the Latin view's
    blanked characters, a table's cells)."""
    gap = text[gap_start:gap_end]
    brk = 2 if gap.startswith("\r\n") else 1  # a CRLF line end too
    indent = gap[brk:]
    if gap[brk - 1] != "\n" or indent.strip(" "):
        return False
    line = text.rfind("\n", 0, gap_start) + 1
    return text.startswith(indent, line) and text[line + len(indent)] != " "


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) over `text`: words, numbers and single punctuation."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _shape(w: str) -> str:
    out = []
    for c in w:
        k = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)[:6]


def _data_lines(name: str) -> list[str]:
    """The lines of a data file, stripped, without blanks and comments (a line
    may hold a name of several words: Santa Fe, United Kingdom)."""
    return [
        line.strip()
        for line in resources.files("corpusgate.detectors.pii.data")
        .joinpath(name)
        .read_text("utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    ]


class _Lexicon:
    def __init__(self) -> None:
        self.given = frozenset(w.lower() for w in load_lines("en_given_names.txt"))
        self.surnames = frozenset(w.lower() for w in load_lines("en_surnames.txt"))
        self.name_words = frozenset(w.lower() for w in load_lines("en_name_words.txt"))
        self.titles = frozenset(w.lower() for w in load_lines("en_person_titles.txt"))
        # People text names by one word (Vespasian, Stalin), outside the lists above.
        self.well_known = frozenset(
            w.lower()
            for line in load_lines("en_well_known_people.txt")
            for w in line.split()
        )
        # Census frequency rank of a surname (1 = Smith): rare surnames are more
        # often ordinary words too (Black, Young, House).
        self.surname_rank = {
            w.lower(): i for i, w in enumerate(load_lines("en_census_surnames.txt"), 1)
        }
        self.census_given = frozenset(
            w.lower() for w in load_lines("en_census_given.txt")
        )
        # Given names and surnames of many countries (Faker's person data, Latin
        # script): a feature of the words no list above knows (Halldór, Ryhänen),
        # in no rule.
        known = self.given | self.census_given | self.surnames | set(self.surname_rank)
        self.world_given = (
            frozenset(w.lower() for w in load_lines("en_world_given.txt")) - known
        )
        self.world_surnames = (
            frozenset(w.lower() for w in load_lines("en_world_surnames.txt")) - known
        )
        # Every list's given names (a gloss's run-together name opens with one).
        self.given_names = self.given | self.census_given | self.world_given
        # Words written in lower case in the training text: a capitalised word
        # that is not one of them (Szczepańska, Gelencsér) is more likely a name.
        self.common = frozenset(load_lines(COMMON_WORDS_FILE))
        # Place names (GeoNames): a one-word place (Bologna, Nevada) or a word of
        # a longer one (Santa Fe, Tel Aviv) is often a club, a firm or a place,
        # not a person.
        places = _data_lines(PLACES_FILE)
        # Countries and US states that no given-name list holds (Colorado, not
        # Georgia) and the states' postal codes but the degrees' (MD, PA): after
        # a comma they make a place of the word before them.
        names = self.given | self.census_given | self.world_given
        regions = _data_lines(REGIONS_FILE)
        self.regions = frozenset(
            w for w in regions if w.lower() not in names and not _STATE_CODE.match(w)
        )
        self.state_codes = frozenset(
            w for w in regions if _STATE_CODE.match(w) and w not in _DEGREES
        )
        self.places = frozenset(w for w in places if " " not in w)
        self.place_names = frozenset(w.lower() for w in places if " " in w)
        self.place_words = frozenset(
            x for w in places if " " in w for x in w.split() if len(x) > 2
        )

    @lru_cache(maxsize=65536)  # noqa: B019 - one lexicon per process, few words
    def word(self, w: str) -> tuple[str, ...]:
        """Features of a word alone (cached: words repeat)."""
        low = w.lower()
        f = [
            "w=" + low,
            "sh=" + _shape(w),
            "p3=" + low[:3],
            "p4=" + low[:4],
            "s3=" + low[-3:],
            "s4=" + low[-4:],
            "s2=" + low[-2:],
        ]
        if w[:1].isupper():
            f.append("cap")
            if w.isupper() and len(w) > 1:
                f.append("allcap")
        if low in self.given:
            f.append("given")
        if low in self.surnames:
            f.append("surname")
        if low in self.name_words:
            f.append("nameword")
        if low in self.census_given:
            f.append("cgiven")
        rank = self.surname_rank.get(low)
        if rank:
            band = "1k" if rank <= 1000 else "5k" if rank <= 5000 else "30k"
            f.append("csur=" + band)
        if low in self.world_given:
            f.append("wgiven")
        if low in self.world_surnames:
            f.append("wsur")
        if low in self.titles:
            f.append("title")
        if len(w) == 1 and w.isupper():
            f.append("initial")
        if w[:1].isupper() and w.isalpha():
            f.append("known" if low in self.common else "unknown")
        if not w.isascii() and w.isalpha():
            f.append("diac")  # Møller, Tomić: rare in English words
        if low in self.places:
            f.append("place")
        elif low in self.place_words:
            f.append("placeword")
        return tuple(f)

    def context(self, w: str) -> tuple[str, ...]:
        """The smaller set of features a word gives its neighbours."""
        low = w.lower()
        f = ["w=" + low, "sh=" + _shape(w)]
        if w[:1].isupper():
            f.append("cap")
        if low in self.given:
            f.append("given")
        if low in self.surnames or low in self.surname_rank:
            f.append("surname")
        if low in self.census_given:
            f.append("cgiven")
        if low in self.world_given:
            f.append("wgiven")
        if low in self.world_surnames:
            f.append("wsur")
        if low in self.titles:
            f.append("title")
        if w[:1].isupper() and w.isalpha() and low not in self.common:
            f.append("unknown")
        if not w.isascii() and w.isalpha():
            f.append("diac")
        if low in self.places:
            f.append("place")
        return tuple(f)


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    return _Lexicon()


_OFFSET_TAGS = ("-1:", "+1:", "-2:", "+2:")
_EDGES = tuple(tag + "edge" for tag in _OFFSET_TAGS)


def model_attributes(path: str) -> frozenset[str]:
    """The attribute names a CRFsuite model file knows: its attribute dictionary (a
    CQDB chunk; `Tagger.info()` gives the same set by dumping the whole model as text,
    ten times slower)."""
    import struct

    with open(path, "rb") as fh:
        data = fh.read()
    if data[:4] != b"lCRF":
        raise ValueError(f"{path}: not a CRFsuite model")
    # The header: magic, size, type, version, 4 counts, then the chunks' offsets.
    base = struct.unpack_from("<I", data, 36)[0]  # the attributes' CQDB chunk
    if data[base : base + 4] != b"CQDB":
        raise ValueError(f"{path}: no attribute dictionary")
    n, backward = struct.unpack_from("<II", data, base + 16)
    out = []
    for offset in struct.unpack_from(f"<{n}I", data, base + backward):
        if offset:  # id, key size (with its NUL), key
            size = struct.unpack_from("<I", data, base + offset + 4)[0]
            start = base + offset + 8
            out.append(data[start : start + size - 1].decode("utf-8"))
    return frozenset(out)


class TokenFeatures(NamedTuple):
    """What `features` reads of one word, computed once per word (cached)."""

    own: tuple[str, ...]  # its attributes (`_Lexicon.word`)
    # `_Lexicon.context` as its neighbour at -1, +1, -2 and +2 sees it
    as_prev: tuple[str, ...]
    as_next: tuple[str, ...]
    as_prev2: tuple[str, ...]
    as_next2: tuple[str, ...]
    low: str
    capitalised: bool  # its neighbours get prev_cap / next_cap
    ends: bool  # in _SENTENCE_END: the word after it opens a sentence
    bigram_head: bool  # a known bigram can start with it


class FeatureTable:
    """What `features` emits: every attribute (`known` None: training), or only the
    ones a fitted model knows (`known`: its `model_attributes`). CRFsuite drops an
    attribute it does not know before scoring and keeps the order of the others, so
    tagging with the smaller lists gives the same labels and marginals; a word's
    lists are filtered once (cached) instead of converted on every tag call."""

    def __init__(self, known: frozenset[str] | None = None) -> None:
        lex = lexicon()
        self.known = known

        def kept(names: Iterable[str]) -> tuple[str, ...]:
            return tuple(names if known is None else filter(known.__contains__, names))

        # The words a known bigram can start with ("bi=" and "bi+=" alike): for any
        # other word the bigram's string need not be built to be looked up.
        heads = None if known is None else _bigram_heads(known)

        @lru_cache(maxsize=65536)
        def token(w: str) -> TokenFeatures:
            low = w.lower()
            seen = lex.context(w)
            return TokenFeatures(
                kept(lex.word(w)),
                *(kept([tag + x for x in seen]) for tag in _OFFSET_TAGS),
                low,
                w[:1].isupper(),
                w in _SENTENCE_END,
                heads is None or low in heads,
            )

        self.token = token
        self.edges = tuple(kept((e,)) for e in _EDGES)
        self.first, self.prev_cap, self.next_cap = (
            kept(("first",)),
            kept(("prev_cap",)),
            kept(("next_cap",)),
        )


def _bigram_heads(known: frozenset[str]) -> frozenset[str]:
    """Every string that can be the first word of a known bigram attribute: each
    prefix of its "a|b" part that ends before a "|" (a token may itself hold one)."""
    heads = set()
    for x in known:
        if x.startswith(("bi=", "bi+=")):
            pair = x.split("=", 1)[1]
            heads.update(pair[:j] for j, c in enumerate(pair) if c == "|")
    return frozenset(heads)


@lru_cache(maxsize=1)
def _all_features() -> FeatureTable:
    return FeatureTable()


def features(
    words: list[str],
    lo: int = 0,
    hi: int | None = None,
    table: FeatureTable | None = None,
    start: int = 0,
    stop: int | None = None,
) -> list[list[str]]:
    """CRFsuite attributes of the words `lo`..`hi` (default: all) of one sequence,
    the words `start`..`stop` of `words` (default: all of them; bounds instead of a
    copy of the sequence, which cost its length for every window of a long one);
    their neighbours outside `lo`..`hi` are read from `words` as usual. `table`:
    which attributes (default: all, as the training script fits them)."""
    t = table or _all_features()
    n = len(words) if stop is None else stop
    hi = n if hi is None else hi
    known = t.known
    first = max(start, lo - 2)
    toks = [t.token(w) for w in words[first : min(n, hi + 2)]]  # toks[j - first]
    edge_l1, edge_r1, edge_l2, edge_r2 = t.edges
    out = []
    for i in range(lo, hi):
        k = i - first
        me = toks[k]
        prev = toks[k - 1] if i > start else None
        nxt = toks[k + 1] if i + 1 < n else None
        # The order is the training script's: CRFsuite sums the weights in it.
        f = [
            *me.own,
            *(t.first if prev is None or prev.ends else ()),
            *(prev.as_prev if prev is not None else edge_l1),
            *(nxt.as_next if nxt is not None else edge_r1),
            *(toks[k - 2].as_prev2 if i >= start + 2 else edge_l2),
            *(toks[k + 2].as_next2 if i + 2 < n else edge_r2),
        ]
        if prev is not None:
            if prev.bigram_head:
                bigram = "bi=" + prev.low + "|" + me.low
                if known is None or bigram in known:
                    f.append(bigram)
            # (no word of _SENTENCE_END is capitalised)
            if prev.capitalised:
                f += t.prev_cap
        if nxt is not None:
            if me.bigram_head:
                bigram = "bi+=" + me.low + "|" + nxt.low
                if known is None or bigram in known:
                    f.append(bigram)
            if nxt.capitalised:
                f += t.next_cap
        out.append(f)
    return out


def bio(
    tokens: list[tuple[int, int, str]], spans: list[tuple[int, int, str]]
) -> list[str]:
    """BIO labels of `tokens` for entity `spans` (start, end, kind): a token belongs
    to the span that contains its start."""
    labels = ["O"] * len(tokens)
    for s, e, kind in sorted(spans):
        first = True
        for i, (ts, _, _) in enumerate(tokens):
            if s <= ts < e and labels[i] == "O":
                labels[i] = ("B-" if first else "I-") + kind
                first = False
    return labels


def person_spans(
    tokens: list[tuple[int, int, str]], labels: list[str], probs: list[float]
) -> list[tuple[int, int, float]]:
    """(start, end, score) of each B-PER I-PER* run; score = least token marginal."""
    out = []
    i, n = 0, len(labels)
    while i < n:
        if labels[i] in ("B-PER", "I-PER"):
            j = i + 1
            while j < n and labels[j] == "I-PER":
                j += 1
            out.append((tokens[i][0], tokens[j - 1][1], min(probs[i:j])))
            i = j
        else:
            i += 1
    return out


# Metadata of a result the name model capped because its span names something else
# than a person: the name lists do not report it as a person either.
NAMES_SOMETHING_ELSE = "names_something_else"


class EnglishPersonCrfRecognizer(SpanRecognizer):
    """PERSON from the shipped English CRF, on a Latin view of the text (same
    offsets). Runs only where a capitalised word can be a name."""

    ENTITY = "PERSON"
    LANGUAGE = "en"
    # A span shorter than this marginal is not reported at all.
    MIN_SCORE: ClassVar[float] = 0.3
    # A capitalised name right after a record label scores base + weight * the
    # model's PER marginal of its first word: a form field (Account holder:,
    # Consignee:) makes a name likely, less the model's marginal of another kind
    # of entity there; a label without a colon (Driver, Justice) may start a
    # title or an organisation (Justice Department), so there the model must agree.
    LABEL_FIELD: ClassVar[tuple[float, float]] = (0.6, 0.4)
    LABEL_RUNNING: ClassVar[tuple[float, float]] = (0.3, 0.7)
    # A one-word name that is also an ordinary word or a place (Grace, Will,
    # Victoria: data/en_name_words.txt) is reported below 0.5 at most.
    NAME_WORD_CAP: ClassVar[float] = 0.45
    # A one-word name that no name list knows (Enron, Colusa, Krosa) needs this
    # marginal or a person's context (a title, a verb of saying, a pronoun...).
    # 3-fold cross-validation on the training sentences (`scripts/train_en_person.py
    # --one-word-curve --folds 3`) is flat: pooled PERSON F1 0.897-0.899 from 0.50
    # to 0.80, 0.896 at 0.85, the folds' best 0.75-0.85; its rule (the highest
    # threshold within 0.002 of the best) gives 0.80 with the current features, but
    # the second set, real text that reviewers read, speaks for the high end: the
    # one-word findings 0.80 adds on the first 300 en_web documents are names in 4
    # of 10 (Ise, Allmusic, Blackout, Taiheiki), those of 0.65 in 23 of 80
    # (scripts/judgements/one_word_min).
    ONE_WORD_MIN: ClassVar[float] = 0.85
    # A listed well-known person's name the model did not read as a person.
    LISTED_PERSON: ClassVar[float] = 0.6
    # Words tagged either side of a word that can be a name.
    WINDOW: ClassVar[int] = 4
    # A line shorter than this ends a sentence (wrapped prose lines are longer).
    SHORT_LINE: ClassVar[int] = 60
    # Common street words: a span ending in one is a street (Mitchell Street) or
    # a post box (P.O. Box).
    STREET_WORDS: ClassVar[frozenset[str]] = frozenset(
        "street st avenue ave road rd boulevard blvd lane ln drive dr way court ct"
        " place pl square terrace highway hwy parkway pkwy box strasse straße".split()
    )

    def load(self) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._other_entities = tuple(
            pos + kind for kind in LABELS if kind != "PER" for pos in ("B-", "I-")
        )
        _dictionary()  # loaded with the model, not by the first document needing it
        ref = resources.files("corpusgate.detectors.pii.data").joinpath(MODEL_FILE)
        with resources.as_file(ref) as path:
            self._tagger.open(str(path))
            self._features = FeatureTable(model_attributes(str(path)))
        lexicon()
        self._suffixes = frozenset(
            w.lower() for w in load_lines("en_street_suffixes.txt")
        )
        labels = sorted(name_labels()["en"], key=len, reverse=True)
        phrases = [
            line.strip().lower()
            for line in resources.files("corpusgate.detectors.pii.data")
            .joinpath(PHRASES_FILE)
            .read_text("utf-8")
            .splitlines()
            if line.strip() and not line.startswith("#")
        ]
        titles = "|".join(sorted(lexicon().titles, key=len, reverse=True))
        # Label, optional colon (or the question mark of a question that asks for
        # the name), optional title (Mr., Dr), then the name (its trailing ordinary
        # words are cut off in `_name_end`). A phrase (my name is, call me) is as
        # sure as a form field.
        head = (
            r"(?<![\p{L}])(?i:(?P<phrase>"
            + trie_regex(phrases)
            + r")|"
            + trie_regex([w.lower() for w in labels])
            + r")[ \t]*(?P<colon>[:：?]?)[ \t]*(?:(?i:"
            + titles
            + r")\.?[ \t]+)?(?P<n>"
        )
        self._label_re = regex.compile(head + LABELLED_NAME + ")")
        # The labels and phrases alone, looked for in the case-folded text first:
        # most texts hold none, and trying the case-insensitive trie at every
        # position is the slow part of the search (`_labelled_names`).
        self._label_word = re.compile(
            trie_regex(sorted({w.casefold() for w in (*phrases, *labels)}))
        )
        # In lower-case text the name has no capital either.
        self._label_lower_re = regex.compile(head + _LOWER_NAME + ")")
        self.is_loaded = True

    def _labelled_names(self, label_re: regex.Pattern, text: str) -> Iterator:
        """The matches of `label_re.finditer(text)`, each tried only where a label's
        or a phrase's word starts in the case-folded text (found by the fast
        search): the case-insensitive trie is slow to try at every position. Where
        case folding changes the text's length (ß, İ), positions in the folded
        text are not the text's: the whole text is searched then."""
        folded = text.casefold()
        word = self._label_word.search(folded)
        if word is None:
            return
        if len(folded) != len(text):
            yield from label_re.finditer(text)
            return
        end = 0  # finditer's matches do not overlap
        while word is not None:
            if word.start() >= end:
                m = label_re.match(text, word.start())
                if m is not None:
                    yield m
                    end = m.end()
            # the next start, inside this word too (name in "full name")
            word = self._label_word.search(folded, word.start() + 1)

    def spans(self, text: str) -> list[tuple[int, int, float]]:
        return self.judged(text)[0]

    def judged(
        self, text: str
    ) -> tuple[list[tuple[int, int, float]], frozenset[tuple[int, int]]]:
        """(spans with their scores, the spans it capped because they name
        something else: an organisation, a place, a work, a team...)."""
        tokens = tokenize(text)
        if not tokens:
            return [], frozenset()
        words = [t for _, _, t in tokens]
        tagger = self._tagger
        lower = lower_case_text(text)
        labelled = {}  # token index of a name after a label -> (start, end, kind)
        index: dict[int, int] | None = None  # token start -> token index
        common = lexicon().common
        label_re = self._label_lower_re if lower else self._label_re
        for m in self._labelled_names(label_re, text):
            s = m.start("n")
            if lower and m.group("n").split()[0] in common:
                continue  # my name is not important
            if index is None:
                index = {t[0]: k for k, t in reversed(list(enumerate(tokens)))}
            i = index.get(s)
            e = self._name_end(text, s, m.end("n"))
            # A field label after the label (Name: Phone Number: ...) or a
            # template's words (Name: Your Name) hold no name.
            if e and (
                text[e:].lstrip(" \t")[:1] in (":", "：")
                or ordinary_words(text[s:e].split())
            ):
                continue
            if i is not None and e:
                kind = (
                    "phrase"
                    if m.group("phrase")
                    else "field"
                    if m.group("colon")
                    else ""
                )
                labelled[i] = (s, e, kind)
        for kind, s, e in self._slotted(text, lower):
            if index is None:
                index = {t[0]: k for k, t in reversed(list(enumerate(tokens)))}
            i = index.get(s)
            if i is not None:
                labelled.setdefault(i, (s, e, kind))
        found: list[tuple[int, int, float]] = []
        tags = ["O"] * len(tokens)  # the model's label of each tagged token
        may_hold_a_name = (
            self._may_hold_a_lower_case_name if lower else self._may_hold_a_name
        )
        # Sentence by sentence, as the model was fitted; a sentence with no word
        # that can be a name is not tagged at all, and in the others only the
        # windows around the words that can be one (WINDOW words either side):
        # a label far from any such word is O, and tagging is the cost.
        for a, b in self._sentences(text, words, tokens):
            if not may_hold_a_name(words, a, b) and not any(
                a <= i < b for i in labelled
            ):
                continue
            for lo, hi in self._windows(words, a, b, labelled, lower):
                labels = tagger.tag(features(words, lo, hi, self._features, a, b))
                # Marginals only where a name is: each call walks the lattice.
                probs = [
                    tagger.marginal(y, i) if y.endswith("PER") else 0.0
                    for i, y in enumerate(labels)
                ]
                found += [
                    sp if lower else self._trimmed(text, sp)
                    for sp in person_spans(tokens[lo:hi], labels, probs)
                    if self._may_be_a_name(text, tokens, sp, lower)
                ]
                tags[lo:hi] = labels
                for i in range(lo, hi):
                    if i in labelled:
                        found.append(self._labelled(text, labelled[i], i - lo))
        if not lower:
            found += [
                sp
                for sp in self._listed_people(tokens, tags, found)
                + self._more_mentions(text, tokens, tags, found)
                if self._may_be_a_name(text, tokens, sp, lower)
            ]
        if not found:
            return [], frozenset()
        found = [piece for sp in found for piece in self._run_of_names(text, sp)]
        found = [_with_hyphenated_given(text, sp) for sp in found]
        found = [_with_apostrophe_surname(text, sp) for sp in found]
        found = [piece for sp in found for piece in _cells(text, sp)]
        # An office before the name is no part of it (Assemblyman Dutra); one
        # character alone (I, a stray initial) names no one.
        found = [
            sp for sp in map(partial(_without_office, text), found) if sp[1] - sp[0] > 1
        ]
        name_words = lexicon().name_words
        others: frozenset[str] | None = None
        senses: Senses | None = None
        fields = {(s, e) for s, e, _ in labelled.values()}
        out = []
        something_else: set[tuple[int, int]] = set()

        def persons_of() -> frozenset[str]:
            nonlocal senses
            if senses is None:
                senses = _senses(words, tags)
            return senses[0]

        teams: frozenset[str] | None = None

        def a_team(s: int, e: int) -> bool:
            """A place the document puts after a contest's words, and no word of
            a longer person's name in it (Brian Lara ... beat Lara)."""
            nonlocal teams
            low = text[s:e].lower()
            lex = lexicon()
            if low not in lex.places or low in lex.given:
                return False  # the document's scans find places only
            if teams is None:
                teams = contest_places(text) | preposition_places(text)
            return low in teams and low not in persons_of()

        unnamed: bool | None = None
        documentation: bool | None = None

        def in_documentation() -> bool:
            """Whether the document is documentation or code (computed once)."""
            nonlocal documentation
            if documentation is None:
                documentation = technical(text)
            return documentation

        def in_a_report_of_things(s: int, e: int) -> bool:
            """One word in no name list, in a tropical cyclone's report or a
            taxonomic text."""
            nonlocal unnamed
            if known_name(text[s:e].lower()):
                return False
            if unnamed is None:
                unnamed = report_of_things(text) is not None
            return unnamed

        # One-word spans capped only for want of evidence where they stand, or
        # weak there (the same name may have it in another sentence of the
        # document).
        unsupported: set[tuple[int, int]] = set()
        for s, e, p in found:
            one_word = " " not in text[s:e]
            if one_word and (s, e) not in fields and not lower:
                if senses is None:
                    senses = _senses(words, tags)
                if self._needs_more_evidence(text, tokens, s, e, senses, tags, p):
                    if p >= self.MIN_SCORE:
                        unsupported.add((s, e))
                    p = min(p, self.NAME_WORD_CAP)
                elif in_documentation() and not self._person_context(
                    text, tokens, tags, s, True
                ):
                    p = min(p, self.NAME_WORD_CAP)
            elif (
                not one_word
                and in_documentation()
                and (
                    self._names_a_program(text[s:e].split(), program_words(text))
                    # a title in another language's article (Les Misérables,
                    # La Traviata): example data, a work's or a place's name
                    or text[s:e].split()[0] in _FOREIGN_ARTICLES
                    or _ends_in_a_thing(text[s:e].split())
                )
            ):
                p = min(p, self.NAME_WORD_CAP)
            elif one_word and not lower and in_documentation():
                # A one-word value after a label in documentation: a lexer's, a
                # package's or a setting's name (Name: Gnuplot, Name: Rust).
                p = min(p, self.NAME_WORD_CAP)
            capped_before = p
            if one_word and text[s:e].lower().rstrip(".") in _SUFFIXES:
                continue  # Herb Wesson, Jr.: the suffix alone is no name
            if text[s:e].split()[0].lower().rstrip(".") in _FIRM_SUFFIXES:
                continue  # Hodes, Ulman, Pessin & Katz, P.A.
            if one_word and (
                (
                    (text[s:e].lower() in name_words or text[s:e] in ADJECTIVE_NAMES)
                    # An ordinary word's name (Mark, Angel) inside a sentence
                    # with a person's context: addressed, a pronoun after it
                    # (gave Angel his keys); not a modal's "Will he".
                    and not (
                        not self._first(text, s, given_too=True)
                        and self._person_context(text, tokens, tags, s, True)
                    )
                )
                or self._isolated(text, s, e)
            ):
                p = min(p, self.NAME_WORD_CAP)
            elif (
                organisation_after(text, e)
                or before_a_region(text, e)
                or state_code(text, s, e)
                or after_saint(text, s)
                or address_part(text, s, e)
                or thing_frame(text, s, e)
                or _PLACE_HEAD.match(text, s, e)
                or _SHIP_HEAD.match(text, s, e)
                or (one_word and _NUMBERED_SITE.match(text, s))
                or _LETTERED_SITE.fullmatch(text, s, e)
                or _ORG_LAST.search(text[s:e])
                or " ".join(text[s:e].split()).lower() in lexicon().place_names
                or _FRAME_WORD.match(text, s)
                or _ORDER_OR_EVENT_OF.search(text, max(0, s - 24), s)
                or self._ordinary(text[s:e])
                or (one_word and _IMPERATIVE.match(text, e) and self._first(text, s))
                or (not one_word and common_words(text[s:e].split()))
                or (one_word and self._place_after_preposition(tokens, s, e))
                or (one_word and _NOT_A_NAME_SHAPE.fullmatch(text, s, e))
                or (
                    one_word
                    and _ROMAN_NUMERAL.fullmatch(text, s, e)
                    and text[s:e].lower() not in lexicon().surnames
                )
                or (not one_word and text[s:e].split()[-1] in _OFFICE_LAST)
                or (one_word and joined_words(text[s:e]))
                or (one_word and medicine(text[s:e]))
                or (one_word and _COMPOUND_AFTER.match(text, e))
                or (
                    one_word
                    and _INDEFINITE_BEFORE.search(text, max(0, s - 4), s)
                    and _LOWER_AFTER.match(text, e)
                )
                or (not one_word and _ends_in_a_word(text[s:e]))
                or self._of_a_person(tokens, tags, s)
                or self._owns_a_person(tokens, tags, e, text[s:e].split())
                or (
                    one_word
                    and _ACRONYM.fullmatch(text, s, e)
                    and not _common_name(text[s:e].lower())
                )
                or (one_word and self._partner(text, s, e))
                or (one_word and not lower and in_a_report_of_things(s, e))
                or (one_word and a_team(s, e))
                or (
                    one_word
                    and not lower
                    and self._in_a_list_of_things(tokens, tags, s)
                    and text[s:e].lower() not in lexicon().census_given
                )
                or organisation_evidence(
                    text,
                    tokens,
                    tags,
                    s,
                    e,
                    persons_of(),
                )
            ):
                # Robert Mondavi Corp., Sydney University, Santa Fe, St. Luke's,
                # Typhoon Maemi, Additionally, Wire the deposit (a verb opening a
                # sentence, before an article), Adobe Acrobat Reader, in Denver,
                # ESPs, Youngstown, Tubau in a list of places, Morgan Stanley,
                # Nevada Power, a trader at Blackstone
                p = min(p, self.NAME_WORD_CAP)
                something_else.add((s, e))
            elif one_word:
                if others is None:
                    others = not_person_words(text)
                if text[s:e].lower() in others:
                    p = min(p, self.NAME_WORD_CAP)
                    something_else.add((s, e))
            if (s, e) in something_else or p < capped_before:
                unsupported.discard((s, e))
            elif one_word and self.MIN_SCORE <= p < 0.5 and not lower:
                unsupported.add((s, e))  # weak where it stands, and nothing else
            out.append((s, e, p))
        out = self._one_sense(text, out, unsupported, in_documentation)
        return (
            [
                (*_without_titles(text, s, e), p)
                for s, e, p in self._hyphenated(text, out)
            ],
            frozenset(_without_titles(text, s, e) for s, e in something_else),
        )

    def _may_be_a_name(
        self,
        text: str,
        tokens: list[tuple[int, int, str]],
        sp: tuple[int, int, float],
        lower: bool,
    ) -> bool:
        """Whether a span may be a name by its shape and its neighbours: no
        street's, no date's (Thur 6:00 pm); lower-case names are read only in
        lower-case text; a name glued to a digit or a dotted identifier is a
        formula or code (LiNO3, Fe2+, android.os.Handler.dispatch)."""
        return (
            not self._street(tokens, sp)
            and (lower or self._capitalised(text, sp[0]))
            and not _GLUED.match(text, sp[1])
            and not _GLUED_BEFORE.search(text, max(0, sp[0] - 2), sp[0])
            and not after_a_code_name(text, sp[0])
            and not _SYLLABLE_AFTER.match(text, sp[1])
            and not _a_date(text, sp[0], sp[1])
        )

    def _listed_people(
        self,
        tokens: list[tuple[int, int, str]],
        tags: list[str],
        found: list[tuple[int, int, float]],
    ) -> list[tuple[int, int, float]]:
        """A well-known person's one-word name (en_well_known_people.txt) that the
        model left untagged or read as a miscellaneous entity: it reads -ian and
        -us words as nationalities and adjectives (Vespasian, Domitian, Hadrian
        are B-MISC) and a name it saw too rarely as nothing (Monet, Stalin).
        Only a capitalised word between words that are not, so that it is no part
        of a longer name or title (Julian Assange, the Julian Calendar), after no
        article and before no award's word; the checks every span takes follow
        (an organisation's or a thing's frame)."""
        well_known = lexicon().well_known
        out: list[tuple[int, int, float]] = []
        for i, (s, e, w) in enumerate(tokens):
            if (
                w[:1].isupper()
                and w[1:].islower()
                and tags[i] in ("O", "B-MISC")
                and w.lower() in well_known
                # the Velázquez (a painting), the Nobel prize (an award)
                and _stands_alone(tokens, i)
                and not (
                    i + 1 < len(tokens)
                    and tokens[i + 1][2].lower().startswith(_EPONYM_HEADS)
                )
                and not any(a <= s < b for a, b, _ in found)
            ):
                out.append((s, e, self.LISTED_PERSON))
        return out

    def _more_mentions(
        self,
        text: str,
        tokens: list[tuple[int, int, str]],
        tags: list[str],
        found: list[tuple[int, int, float]],
    ) -> list[tuple[int, int, float]]:
        """The other mentions of a name the model reads surely (0.75 or more) in the
        document, by its one word or the last word of a longer name, where the model
        left the same word untagged (Brock Lesnar ... Lesnar also has twins): with
        the sure mention's score, if the word stands alone among capitalised words
        and is no English word (a surname that is one, Bacon, Greek, stays to the
        model)."""
        sure: dict[str, float] = {}
        for s, e, p in found:
            if p < 0.75:
                continue
            word = text[s:e].rsplit(None, 1)[-1]
            if len(word) > 2 and word[:1].isupper() and word[1:].islower():
                sure[word] = max(p, sure.get(word, 0.0))
        if not sure:
            return []
        out: list[tuple[int, int, float]] = []
        for i, (s, e, w) in enumerate(tokens):
            p = sure.get(w)
            if (
                p is not None
                and tags[i] == "O"
                and _stands_alone(tokens, i)
                # a number beside it: a month (Jan 4th), a people (229 Iban
                # longhouses), a ship (the 90-gun Napoléon)
                and not (i and tokens[i - 1][2][:1].isdigit())
                and not (i + 1 < len(tokens) and tokens[i + 1][2][:1].isdigit())
                and not is_dictionary_word(w.lower())
                and not any(a <= s < b for a, b, _ in found)
            ):
                out.append((s, e, p))
        return out

    def _one_sense(
        self,
        text: str,
        spans: list[tuple[int, int, float]],
        unsupported: set[tuple[int, int]],
        in_documentation: Callable[[], bool],
    ) -> list[tuple[int, int, float]]:
        """One name, one reading per document: a one-word span capped only for want
        of evidence in its own sentence, or weak there and read as nothing else
        (Lesnar later told...), takes the score of
        the same word reported as a person elsewhere in the document (Lesnar won
        the tournament, defeating Bubba Ray Dudley), or of a longer name reported
        surely (0.75 or more) that ends in it (Brock Lesnar), but not in
        documentation, whose examples name people after its programs (Victor Hugo
        in Hugo's manual)."""
        if not unsupported:
            return spans
        best: dict[str, float] = {}
        for s, e, p in spans:
            if (s, e) in unsupported:
                continue
            word = text[s:e]
            if " " in word:
                if p < 0.75 or in_documentation():
                    continue
                word = word.rsplit(None, 1)[-1]
            if p >= 0.5:
                best[word] = max(p, best.get(word, 0.0))
        return [
            (s, e, best[text[s:e]])
            if (s, e) in unsupported and text[s:e] in best
            else (s, e, p)
            for s, e, p in spans
        ]

    def _hyphenated(
        self, text: str, spans: list[tuple[int, int, float]]
    ) -> list[tuple[int, int, float]]:
        """Two names joined by tokenised text's hyphen are one hyphenated name
        (Debbie Ferguson @-@ McKenzie, Jacobo Fitz @-@ James Stuart): the model
        reads the parts as names of their own, the surer one speaks for both."""
        out: list[tuple[int, int, float]] = []
        for s, e, p in sorted(spans):
            if out:
                s0, e0, p0 = out[-1]
                if min(p0, p) >= self.MIN_SCORE and text[e0:s] == _TOKENISED_HYPHEN:
                    out[-1] = (s0, e, max(p0, p))
                    continue
            out.append((s, e, p))
        return out

    @staticmethod
    def _names_a_program(words: list[str], programs: frozenset[str]) -> bool:
        """A span of documentation that starts with a program's word (Hugo Pipes,
        Hugo Rocks), or ends in one after a first word that is no given name
        (Install Hugo, Dart Sass; Victor Hugo stays)."""
        first, last = words[0].lower(), words[-1].lower()
        return first in programs or (last in programs and not _given(first))

    def _needs_more_evidence(
        self,
        text: str,
        tokens: list[tuple[int, int, str]],
        s: int,
        e: int,
        senses: Senses,
        tags: list[str],
        p: float,
    ) -> bool:
        """A one-word name that the document or the dictionary speaks against and
        nothing around it supports. Part of a longer name elsewhere in the
        document (Jeff Skilling ... Skilling): a person. Else, outside the name
        lists: the first word of a longer organisation, place or other entity
        elsewhere (Enron North America ... Enron), a word the model tagged as
        such an entity more often than as a one-word person, and as a person once
        at most (Enron ... Enron's pools); a marginal `p` below ONE_WORD_MIN
        with no person context; or an ordinary English word (Attached, Clauses,
        Stampede) read as a person once only, with no person context."""
        persons, readings, heads = senses
        low = text[s:e].lower()
        if low in persons:
            return False
        if _in_name_lists(low) or low in lexicon().well_known:
            return False
        per, other = readings.get(low, (0, 0))
        if low in heads or (other > per and per <= 1):
            return True
        if p < self.ONE_WORD_MIN and not self._person_context(
            text, tokens, tags, s, True
        ):
            return True
        # A word the model reads as a person twice or more alone (Mortier) is no
        # stray capital.
        return (
            per < 2
            and is_dictionary_word(low)
            and not self._person_context(text, tokens, tags, s)
        )

    @staticmethod
    def _trimmed(text: str, sp: tuple[int, int, float]) -> tuple[int, int, float]:
        """The span without its trailing lower-case words and days (Vinnie
        gathers, Dodger pitcher, Bush Friday): in capitalised text a name ends in
        a capitalised word or a particle (Nihad al-Boushi, Schalk van der); nor
        does it hold a lower-case word other than a particle or a joiner (of,
        the: John of Salisbury): what precedes one is no part of the name
        (Christian writer Tertullian)."""
        s, e, p = sp
        words = list(_NON_BLANK.finditer(text, s, e))
        while len(words) > 1:
            w = words[-1].group()
            if w not in _WEEKDAYS and (not w.islower() or w in _PARTICLES):
                break  # al-Boushi, van der
            words.pop()
        for k in range(len(words) - 2, -1, -1):
            w = words[k].group()
            if w.islower() and w not in _PARTICLES and w not in _NAME_JOINERS:
                words = words[k + 1 :]
                break
        return words[0].start(), words[-1].end(), p

    @staticmethod
    def _of_a_person(
        tokens: list[tuple[int, int, str]], tags: list[str], s: int
    ) -> bool:
        """The span follows "of" after a person's longer name: the person's firm
        or town (Tom Simmons of Spencer Stuart), no second person."""
        i = bisect_left(tokens, (s,))  # the token starting at s
        return i >= 2 and tokens[i - 1][2] == "of" and tags[i - 2] == "I-PER"

    @staticmethod
    def _run_of_names(
        text: str, sp: tuple[int, int, float]
    ) -> list[tuple[int, int, float]]:
        """A span of four words or more cut before each census given name that
        follows two words of the current piece, where the rest holds two words at
        least besides a suffix: names listed with blanks only (Attendees: Chris
        Calger Rob Milnthorp Barry Tycholiz) are names one by one. On the training
        sentences this cuts 1 of the 33 gold names of four words or more (Amer
        Hishem Ali Mohammed; not James Scott Brady Jr: Brady and a suffix, nor Gert
        Jan Van Doorn: a particle)."""
        s, e, p = sp
        words = list(_NON_BLANK.finditer(text, s, e))
        if len(words) < 4:
            return [sp]
        lex = lexicon()
        bare = [w.group().rstrip(".,").lower() for w in words]
        cuts, start = [], 0
        for i in range(2, len(words) - 1):
            w = words[i].group()
            rest = [x for x in bare[i:] if x not in _SUFFIXES]
            if (
                i - start >= 2
                and w[:1].isupper()
                and (bare[i] in lex.given or bare[i] in lex.census_given)
                and bare[i] not in _PARTICLES  # Gert Jan Van Doorn
                and len(bare[i - 1]) > 1
                and len(rest) >= 2
            ):
                cuts.append(i)
                start = i
        if not cuts:
            return [sp]
        bounds = [0, *cuts, len(words)]
        return [
            (words[a].start(), words[b - 1].end(), p)
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]

    @staticmethod
    def _owns_a_person(
        tokens: list[tuple[int, int, str]], tags: list[str], e: int, words: list[str]
    ) -> bool:
        """The span is the possessive before a person's longer name: a
        publication, a firm or a place (Allmusic 's Steve Huey, Rolling Stone 's
        Jon Dolan); in the training sentences none of the 55 such words before a
        gold name of two words is a person. A span of several words opening with a
        given name is a person's own (Sergei Eisenstein 's Odessa Steps)."""
        if len(words) > 1 and words[0].lower() in lexicon().given_names:
            return False
        j = bisect_left(tokens, (e,))  # the token after the span
        return (
            j + 2 < len(tokens)
            and tokens[j][2] in ("'s", "’s")
            and tags[j + 1] == "B-PER"
            and tags[j + 2] == "I-PER"
        )

    @staticmethod
    def _partner(text: str, s: int, e: int) -> bool:
        """A surname joined to another name by "&" names a firm (Donohoe, Jameson
        & Carroll; Hodes, Ulman & Katz); given names so joined are two people
        (Joe & Jackie). So is every word of a list ending in "&" that opens with
        no given name (Doerner, Saunders, Daniel & Anderson; not Tom, Dick &
        Harry)."""
        lex = lexicon()
        for m in _FIRM_LIST.finditer(text, max(0, s - 120), min(len(text), e + 120)):
            if m.start() <= s and e <= m.end():
                first = _LETTERS.match(m.group()).group().lower()
                if first not in lex.given and first not in lex.census_given:
                    return True
        low = text[s:e].lower()
        if low in lex.given or low in lex.census_given:
            return False
        return bool(
            _AMPERSAND_AFTER.match(text, e, after_name_reach(text, e))
            or _AMPERSAND_BEFORE.match(text, s)
        )

    @staticmethod
    def _in_a_list_of_things(
        tokens: list[tuple[int, int, str]], tags: list[str], s: int
    ) -> bool:
        """The word is an item of a comma list whose other items the model reads
        as places, organisations or other entities, and none as a person
        (Tanjung Kidurong , Tubau , and Sebauh; Northern Natural Gas, InterNorth
        and Enron): a list holds one kind of thing."""
        i = bisect_left(tokens, (s,))  # the token starting at s
        n = len(tokens)
        seps = [tokens[i + step][2] if 0 <= i + step < n else "" for step in (-1, 1)]
        # Inside the list, with a comma on one side at least: "and" alone also
        # joins two phrases (striker X and Yugoslav midfielder Y), a comma alone
        # ends a clause (Miryang , Walker spoke) or a greeting (Hey Larry , ...).
        # The last item (A , B and X), where A too is such an entity: "B and X"
        # alone may be two people after a mis-read B (advisers , Seneca and
        # Burrus).
        last = (
            seps[0] == "and"
            and seps[1] != ","
            and i >= 4
            and tokens[i - 3][2] == ","
            and tags[i - 4] in _OTHER_ENTITY
        )
        if not last and ("," not in seps or not all(x in _LIST for x in seps)):
            return False
        kinds = []
        for step in (-1,) if last else (-1, 1):
            j = i + step
            while 0 <= j < n and tokens[j][2] in _LIST:  # X , and Y
                j += step
            if 0 <= j < n:
                kinds.append(tags[j])
        return bool(kinds) and all(k in _OTHER_ENTITY for k in kinds)

    @staticmethod
    def _place_after_preposition(
        tokens: list[tuple[int, int, str]], s: int, e: int
    ) -> bool:
        """A place name (GeoNames) after a preposition of place (in, at, near,
        through, past...) that no given-name list holds as a common name, not
        followed by a possessive: in Denver, at Lagrange, through Lambertville
        (not in Yeltsin's absence)."""
        i = bisect_left(tokens, (s,))  # the token starting at s
        if i == 0 or tokens[i - 1][2] not in _PLACE_PREPOSITIONS:
            return False
        if i + 1 < len(tokens) and tokens[i + 1][2] in ("'s", "’s"):
            return False
        low = tokens[i][2].lower()
        lex = lexicon()
        return low in lex.places and low not in lex.given

    @staticmethod
    def _person_context(
        text: str,
        tokens: list[tuple[int, int, str]],
        tags: list[str],
        s: int,
        more: bool = False,
    ) -> bool:
        """A title before the word (Mr. Attached), a verb of saying beside it
        (said Blinker, Blinker told), a relative clause after it (Bure, who), a
        list of people around it (John, Lou, Cutty, Bill) or a line of its own (a
        signature). With `more` (not for ordinary English words, which greet
        nobody: Likewise, ...; Furthermore, his ...): also a speaker's turn or a
        greeting at the start of a line, what only people have or do (Blinker's
        wife, Blinker lives, Blinker, 48,), being addressed (..., Blinker!), an
        age before it or a personal pronoun after it."""
        i = bisect_left(tokens, (s,))  # the token starting at s
        n = len(tokens)
        before = [t[2].lower() for t in tokens[max(0, i - 2) : i] if t[2] != "."]
        after = tokens[i + 1][2].lower() if i + 1 < n else ""
        titles = lexicon().titles
        # "Dear" greets groups too (Dear Alumni): no evidence for an English word.
        if before and (
            (before[-1] in titles and before[-1] != "dear") or before[-1] in _SAYING
        ):
            return True
        if after in _SAYING or (
            after == "," and i + 2 < n and tokens[i + 2][2] == "who"
        ):
            return True
        # In a list, not after a greeting's comma (Sally, Attached is ...).
        if (
            i >= 2
            and tokens[i - 1][2] in _LIST
            and tags[i - 2].endswith("PER")
            and (after in _LIST or after in _ENDS or not after or before[-1] == "and")
            and EnglishPersonCrfRecognizer._list_of_people(tokens, tags, i)
        ) or (
            i + 2 < n
            and after in _LIST
            and tags[i + 2] == "B-PER"
            and EnglishPersonCrfRecognizer._list_of_people(tokens, tags, i)
        ):
            return True
        start = text.rfind("\n", 0, s) + 1
        end = text.find("\n", s)
        line = text[start : len(text) if end < 0 else end]
        # One word alone on its line (asked without listing a long line's words).
        word = _LETTERS.search(line)
        if word is not None and _LETTERS.search(line, word.end()) is None:
            return True
        if not more:
            return False
        e = tokens[i][1]
        after_m = _PERSON_AFTER.match(text, e, min(len(text), e + 160))
        if after_m and after_m.group().lstrip(" \t")[:1] in ("!", "?"):
            if not _COMMA_BEFORE.search(text, max(0, s - 3), s):
                after_m = None
        return (
            after_m is not None
            or _PERSON_BEFORE.search(text, max(0, s - 20), s) is not None
            # A speaker's turn or a greeting (Aldrin: ..., Bertok, can I ...).
            or (not text[start:s].strip() and text[e : e + 1] in (":", ","))
        )

    @staticmethod
    def _list_of_people(
        tokens: list[tuple[int, int, str]], tags: list[str], i: int
    ) -> bool:
        """The list of one-word items around token `i` (joined by commas, "and",
        "&" or "/") is one of people as far as its other items tell: a pair (Kutuzov
        and Miloradovich), or a longer list where another item the model reads
        as a person is part of a longer name or a word some name list knows (John,
        Lou, Cutty, Bill). Items read as one-word persons only because their
        neighbours are read so (Butia , Cocos , Jubaea , Jubaeopsis: genera of
        palms; Utopia , Kintore , Yuendumu: towns) lend each other nothing."""
        n = len(tokens)
        items = [i]
        for step in (-1, 1):
            j = i + step
            while 0 <= j < n and tokens[j][2] in _LIST:
                k = j
                while 0 <= k < n and tokens[k][2] in _LIST:  # X , and Y
                    k += step
                if not (0 <= k < n and tokens[k][2][:1].isupper()):
                    break
                items.append(k)
                j = k + step
        if len(items) < 3:
            return True
        for j in items:
            if j == i or not tags[j].endswith("PER"):
                continue
            if tags[j] == "I-PER" or (j + 1 < n and tags[j + 1] == "I-PER"):
                return True  # Bob West
            if known_name(tokens[j][2].lower()):
                return True
        return False

    @staticmethod
    def _capitalised(text: str, s: int) -> bool:
        """The span at `s` starts with a capital or a particle (de la Cruz)."""
        if text[s].isupper():
            return True
        m = _LETTERS.match(text, s)
        return bool(m) and m.group() in _PARTICLES

    @staticmethod
    def _first(text: str, s: int, given_too: bool = False) -> bool:
        """The word at `s` opens a sentence or a line and is no given name
        (`given_too`: or is one)."""
        before = text[max(0, s - 3) : s].rstrip(" \t")
        if before and before[-1] not in ".!?\n":
            return False
        if given_too:
            return True
        m = _LETTERS.match(text, s)
        low = m.group().lower() if m else ""
        lex = lexicon()
        return low not in lex.given and low not in lex.census_given

    @staticmethod
    def _ordinary(span: str) -> bool:
        """One adverb in -ly that no name list knows (Additionally, at the start
        of a sentence)."""
        lex = lexicon()
        w = span.lower()
        return (
            " " not in w
            and w.endswith("ly")
            and not any(
                w in names
                for names in (
                    lex.given,
                    lex.census_given,
                    lex.surnames,
                    lex.surname_rank,
                )
            )
        )

    @staticmethod
    def _slotted(text: str, lower: bool) -> list[tuple[str, int, int]]:
        """(slot, start, end) of the names in PERSON_SLOTS: a name-shaped span
        without its trailing ordinary words, not one ordinary word or place alone
        that no given-name or surname list holds (said Wednesday, said Germany),
        not a street (my friend Mark Street), not a title (said Rev. Jerome: the
        model reads titled names); in lower-case text one that opens with a given
        name."""
        lex = lexicon()
        out = []
        for kind, pattern, _ in PERSON_SLOTS_LOWER if lower else PERSON_SLOTS:
            # The life slot's pattern opens with the name: look for its verbs
            # first rather than try a name at every capital.
            if kind == "life" and _LIFE_WORD.search(text) is None:
                continue
            for m in pattern.finditer(text):
                s = m.start("n")
                e = EnglishPersonCrfRecognizer._name_end(text, s, m.end("n"))
                if not e:
                    continue
                words = text[s:e].lower().split()
                first = words[0].rstrip(".")
                if first in lex.titles or first in _CALENDAR or street_word(words[-1]):
                    continue
                named = (
                    first in lex.given
                    or first in lex.census_given
                    or first in lex.world_given
                    or first in lex.world_surnames
                )
                if lower and (
                    not named
                    or first in lex.common
                    # every word a name's: julie and melissa lived is two
                    or any(w in lex.common and not _in_name_lists(w) for w in words)
                ):
                    continue
                if (
                    len(words) == 1
                    and not named
                    and (
                        first in lex.common or first in lex.places  # said Germany.
                    )
                ):
                    continue
                out.append((kind, s, e))
        return out

    def _labelled(self, text: str, found: tuple[int, int, str], k: int) -> tuple:
        """(start, end, score) of a name after a label, its first word at position
        `k` of the sequence just tagged; a name in a person's slot scores the
        slot's precision; one after a role with no colon, as a form's field when
        its words are a foreign name's (`_foreign_name_words`)."""
        s, e, kind = found
        tagger = self._tagger
        if kind in _SLOT_SCORES:
            # A people's or an event's word (Serbs lived) is no one's name.
            misc = tagger.marginal("B-MISC", k) + tagger.marginal("I-MISC", k)
            return s, e, _SLOT_SCORES[kind] * (1.0 - misc)
        p = max(tagger.marginal("B-PER", k), tagger.marginal("I-PER", k))
        if kind == "phrase":  # my name is ..., call me ...
            base, weight = self.LABEL_FIELD
            return s, e, base + weight * p
        if kind == "field":
            # The model may not know the form's layout (it reads "O" there), but
            # a place or an organisation it does know (Driver: Toyota Corolla) is
            # no name.
            other = sum(tagger.marginal(y, k) for y in self._other_entities)
            base, weight = self.LABEL_FIELD
            return s, e, max(0.0, base + weight * p - other)
        if _foreign_name_words(text[s:e].split()):
            # After a record's role with no colon (Employee Mateo García called):
            # the model, fitted on news, reads such names weakly there, often as
            # an organisation's.
            base, weight = self.LABEL_FIELD
            return s, e, base + weight * p
        base, weight = self.LABEL_RUNNING
        return s, e, base + weight * p

    def _windows(
        self, words: list[str], a: int, b: int, labelled: dict, lower: bool
    ) -> list[tuple[int, int]]:
        """Token ranges of sentence a..b within WINDOW words of a word that can be
        a name (capitalised, after a label, or in lower-case text a given name),
        merged where they meet. A range whose only capitalised words open a
        sentence and can be no name (The, In, Our) is not tagged: what the model
        reads there is the start of a sentence (and a range it merged with stays
        as it is, so that the words at its edges read as before)."""
        lex = lexicon()
        out: list[list] = []  # [lo, hi, whether a word in it can be a name]
        w = self.WINDOW
        for i in range(a, b):
            x = words[i]
            if lower:
                hit = strong = x in lex.census_given or x in lex.given
            else:
                hit = x[:1].isupper() and len(x) > 1
                strong = hit and (
                    (i > a and words[i - 1] not in _SENTENCE_END)
                    or bool(_NAME_LIKE.intersection(lex.word(x)))
                )
            if i in labelled:
                hit = strong = True
            if hit:
                lo, hi = max(a, i - w), min(b, i + w + 1)
                if out and lo <= out[-1][1]:
                    out[-1][1] = hi
                    out[-1][2] = out[-1][2] or strong
                else:
                    out.append([lo, hi, strong])
        return [(lo, hi) for lo, hi, strong in out if strong]

    @staticmethod
    def _name_end(text: str, s: int, e: int) -> int:
        """End of the name in text[s:e] without its trailing ordinary words and
        initials (Attention: Houston Outlook Users The -> Houston); 0 if none is
        left."""
        lex = lexicon()
        words = text[s:e].split()
        while words:
            low = words[-1].rstrip(".").lower()
            if len(words) > 1 and words[-2] in _PARTICLES:
                break  # Willemine ten Pas: a particle's word is a surname
            if len(low) > 1 and (
                low not in lex.common
                or low in lex.given
                or low in lex.census_given
                or low in lex.surname_rank
            ):
                break
            words.pop()
        if not words:
            return 0
        last = words[-1]
        return text.rindex(last, s, e) + len(last) if len(words) > 1 else s + len(last)

    @staticmethod
    def _isolated(text: str, s: int, e: int) -> bool:
        """One Latin word with blanked text (Chinese, in the Latin view) right
        beside it and no Latin word near (Swift, Gmail or Caspase in Chinese
        text): the model has no context to read, so it is not reported as a name
        on its own. A word between punctuation in English (Bowling : Doull 8-1)
        keeps its score."""
        blanked = text[max(0, s - 2) : s] == "  " or text[e : e + 3].lstrip(
            ",.;:!?"
        ).startswith("  ")
        return blanked and not (
            _LETTER.search(text, max(0, s - 3), s) or _LETTER.search(text, e, e + 3)
        )

    def _sentences(
        self, text: str, words: list[str], tokens: list[tuple[int, int, str]]
    ) -> list[tuple[int, int]]:
        """(start, end) token ranges cut after . ! ? (not after a title or an
        initial: Dr. Smith, J. R. Smith), where other text lies between two words
        (blanked Chinese in the Latin view: Aicar则具有…TFPI is no name; a wrapped
        indented paragraph's line break is no such text) and at the
        end of a short line (a signature, an address block, a form field: Name:
        Jane Doe / Phone: ...), while the long lines of wrapped prose run on."""
        titles = lexicon().titles
        out, a = [], 0
        line_start = 0
        for i, w in enumerate(words):
            if i > a:
                gap_start, gap_end = tokens[i - 1][1], tokens[i][0]
                if gap_end - gap_start > 2 and not _wrapped(text, gap_start, gap_end):
                    out.append((a, i))
                    a = i
                else:
                    nl = text.rfind("\n", gap_start, gap_end)
                    if nl >= 0:
                        if nl - line_start < self.SHORT_LINE:
                            out.append((a, i))
                            a = i
                        line_start = nl
            if w in _ENDS and i > a:
                prev = words[i - 1]
                # A title's abbreviation holds its dot (Dr. Smith); a title written
                # out ends a sentence before a blank and a dot (Antonia Major .).
                if w == "." and (
                    len(prev) == 1
                    or (prev.lower() in titles and tokens[i][0] == tokens[i - 1][1])
                ):
                    continue
                out.append((a, i + 1))
                a = i + 1
        if a < len(words):
            out.append((a, len(words)))
        return out

    @staticmethod
    def _may_hold_a_name(words: list[str], a: int, b: int) -> bool:
        """A capitalised word of two letters or more after the first word, or a
        first word that is a known name or no known word (Smith said...)."""
        for i in range(a, b):
            w = words[i]
            if w[:1].isupper() and len(w) > 1:
                if i > a and words[i - 1] not in _SENTENCE_END:
                    return True
                if _NAME_LIKE.intersection(lexicon().word(w)):
                    return True
        return False

    @staticmethod
    def _may_hold_a_lower_case_name(words: list[str], a: int, b: int) -> bool:
        """In lower-case text: a census given name in the sentence."""
        lex = lexicon()
        return any(
            w in lex.census_given or w in lex.given for w in words[a:b] if len(w) > 1
        )

    def _street(self, tokens: list, span: tuple[int, int, float]) -> bool:
        """The span is a street name: it ends in a street word (Mitchell Street),
        or a house number comes before it and a street suffix ends it or follows
        it (98471 Justin Pines). The address recognizer reports those."""
        s, e, _ = span
        i = bisect_left(tokens, (s,))  # the token starting at s
        j = bisect_left(tokens, (e,)) - 1  # the token ending at e
        last = tokens[j][2].lower()
        if last in self.STREET_WORDS:
            return True
        after = tokens[j + 1][2].lower() if j + 1 < len(tokens) else ""
        number_before = i > 0 and tokens[i - 1][2].isdigit()
        return number_before and (last in self._suffixes or after in self._suffixes)

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        spans, something_else = self.judged(text)
        out = []
        for s, e, p in spans:
            if p < self.MIN_SCORE:
                continue
            r = self.result(s, e, round(p, 4))
            if (s, e) in something_else:
                r.recognition_metadata[NAMES_SOMETHING_ELSE] = True
            out.append(r)
        return out
