"""The content schema: every field of every content kind, declared once, typed and described."""
from __future__ import annotations

import re
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BeforeValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from . import dates

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
SHA256_RE = r"^[0-9a-f]{64}$"
LINES_RE = re.compile(r"^([0-9]+)(?:-([0-9]+))?\Z")  # ASCII digits: `\d` would take '１' (fullwidth)

# The largest number a figure (or an occurrence) may hold: every integer up to it is exact in
# JavaScript (2^53 - 1 is its largest safe integer, for whoever reads the JSON exports), in orjson's
# 64 bits and in the floating point the SVG charts are drawn with; a round number, easy to say.
MAX_NUMBER = 10**15

# A language tag as RFC 5646 (BCP 47) writes it: language (with up to three extended subtags), script,
# region, variants, extensions and private use; or private use alone, or one of the grandfathered tags.
# The language is 2 or 3 letters: the RFC's syntax also allows 4 to 8 (reserved, none registered), which
# would let `english` through.
# At most 20 characters: RFC 5646 asks implementations to handle 35, but Pagefind (1.x, which reads the
# site's <html lang>) panics from 30 (it cuts a name of the tag's length plus 8 from a hash of about 37);
# 20 leaves a margin and holds the tags in use (`zh-Hant-TW`, `ja-JP-u-ca-japanese`).
MAX_LANGUAGE = 20
_ALNUM = "[a-z0-9]"
LANGUAGE_RE = re.compile(
    rf"(?:[a-z]{{2,3}}(?:-[a-z]{{3}}){{0,3}}(?:-[a-z]{{4}})?(?:-(?:[a-z]{{2}}|[0-9]{{3}}))?"
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?|x(?:-{_ALNUM}{{1,8}})+)", re.ASCII | re.IGNORECASE)
GRANDFATHERED = frozenset((
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo",
    "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl", "sgn-ch-de", "art-lojban",
    "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka", "zh-min", "zh-min-nan", "zh-xiang"))


def _edtf(text: str) -> str:
    dates.parse(text)  # raises DateError (a ValueError) with a hint
    return text


def language_tag(text: str) -> str:
    """Return `text` if it is a BCP 47 language tag the site can use; raise ValueError saying why not."""
    if len(text) > MAX_LANGUAGE or not (LANGUAGE_RE.fullmatch(text) or text.lower() in GRANDFATHERED):
        raise ValueError(f"{text[:60]!r} is not a language tag (BCP 47)"
                         + (f": it is longer than {MAX_LANGUAGE} characters" if len(text) > MAX_LANGUAGE else ""))
    return text


def _nonblank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


Text = Annotated[str, AfterValidator(_nonblank)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
def _year_as_text(value):
    # `date: 2024` is read by YAML as a number; a bare year is a valid EDTF date all the same.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


EDTF = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(_edtf)]
Language = Annotated[str, AfterValidator(language_tag)]
Count = Annotated[int, Field(ge=0, le=MAX_NUMBER)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$")]


class Record(BaseModel):
    """Base of every content kind: unknown fields are errors, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Citation(Record):
    """A verbatim excerpt of one source; it must occur in that source's article text."""

    source: Id = Field(description="id of the source (the name of its .yaml file)")
    quote: Text = Field(description="verbatim excerpt; whitespace, quote and dash styles may differ")
    occurrence: Optional[int] = Field(
        None, ge=1, le=MAX_NUMBER, description="which occurrence, when the excerpt occurs more than once")


class ChromeLines(Record):
    """Lines of a source file that are page chrome, not part of the article."""

    lines: str = Field(description="a line or range of lines, e.g. '1-3' or '19'")
    label: Text = Field(description="what these lines are, e.g. 'weather line', 'reader comments'")

    @model_validator(mode="after")
    def _range(self):
        match = LINES_RE.match(self.lines)
        if not match or int(match.group(1)) < 1 or int(match.group(2) or match.group(1)) < int(match.group(1)):
            raise ValueError(f"lines '{self.lines}' should be a line number or a range like '35-166'")
        return self

    @property
    def span(self) -> tuple[int, int]:
        """Return the first and last line, inclusive."""
        first, last = LINES_RE.match(self.lines).groups()
        return int(first), int(last or first)


class QuoteException(Record):
    """Words in quotation marks in the article that deliberately have no statement rendering."""

    quote: Text = Field(description="the quoted words, verbatim, without the quotation marks")
    reason: Text = Field(description="why no statement renders it (e.g. a title, a scare quote)")


class Source(Record):
    """A news article: metadata beside its verbatim text file."""

    text: Text = Field(description="file name of the verbatim article text, in the same folder")
    sha256: Annotated[str, StringConstraints(pattern=SHA256_RE)] = Field(
        description="SHA-256 of the text file, checked at every build")
    title: Text = Field(description="how the site names the source: its headline, or a short description "
                                    "in square brackets when the text carries none")
    headline: Optional[Text] = Field(None, description="the headline as printed, if the text carries one")
    publisher: Optional[Text] = Field(None, description="publisher, if the text or page shows it")
    publisher_note: Optional[Text] = Field(None, description="why the publisher is unknown or how it was found")
    authors: list[Text] = Field(default_factory=list, description="bylines, as printed")
    date: EDTF = Field(description="publication date (EDTF); an interval when the text does not state it")
    date_note: Optional[Text] = Field(None, description="how the date was found; required unless it is one exact day")
    url: Optional[Url] = Field(None, description="where the article was published, if known")
    archived_url: Optional[Url] = Field(None, description="a copy in a web archive, if one was made")
    language: Language = Field(description="language of the text, e.g. 'en'")
    translation_note: Optional[Text] = Field(None, description="if the text is a translation: from what, by whom")
    chrome: list[ChromeLines] = Field(default_factory=list, description="page chrome: lines not part of the article")
    note: Optional[Text] = Field(None, description="anything else a reader should know about this source")
    capture: Optional[Text] = Field(
        None, description="file name of the original as captured (saved page, PDF), in the same folder, "
                          "ID.capture.EXT; offered on the site as a download only")
    capture_sha256: Optional[Annotated[str, StringConstraints(pattern=SHA256_RE)]] = Field(
        None, description="SHA-256 of the capture file, checked at every build")
    captured: Optional[EDTF] = Field(None, description="when the capture was made or imported (EDTF)")
    captured_note: Optional[Text] = Field(None, description="how the capture was made and its text obtained")
    quote_exceptions: list[QuoteException] = Field(
        default_factory=list, description="quoted words in the article deliberately not made statements, and why")

    @model_validator(mode="after")
    def _notes(self):
        if self.date_note is None and not dates.parse(self.date).is_exact_day:
            raise ValueError("date_note is required when the date is not one exact day: "
                             "say what the text allows and why")
        if self.capture is not None and (self.captured is None or self.captured_note is None):
            raise ValueError("a capture needs captured (when) and captured_note (how it was made)")
        if self.capture is None and self.capture_sha256 is not None:
            raise ValueError("capture_sha256 is given but no capture file: name it in capture")
        if self.publisher is None and self.publisher_note is None:
            raise ValueError("publisher is missing: give it, or say in publisher_note why it is unknown")
        return self


class Event(Record):
    """Something that happened, with a date, the entities involved and its citations."""

    date: EDTF = Field(description="when it happened (EDTF), as precise as the sources allow and no more")
    date_note: Optional[Text] = Field(None, description="how the date was derived (e.g. from 'last Friday')")
    title: Text = Field(description="a short neutral title")
    people: list[Id] = Field(default_factory=list, description="ids of people involved")
    organisations: list[Id] = Field(default_factory=list, description="ids of organisations involved")
    places: list[Id] = Field(default_factory=list, description="ids of places")
    tags: list[Id] = Field(default_factory=list, description="ids of declared tags")
    citations: list[Citation] = Field(min_length=1, description="the passages that support the event")


class Statement(Record):
    """What someone said or wrote, with one verbatim rendering per source that reports it."""

    speaker: Optional[Id] = Field(None, description="id of the person or organisation who said or wrote it")
    attribution: Optional[Text] = Field(
        None, description="who said it, in words, when there is no speaker id (e.g. 'unattributed')")
    form: Literal["spoken", "written"] = Field(description="spoken, or written (letter, document, message, song)")
    date: EDTF = Field(description="when it was said or written (EDTF)")
    date_note: Optional[Text] = Field(None, description="how the date was derived (e.g. from 'Friday')")
    context: Optional[Text] = Field(None, description="where, or to whom (a briefing, an interview, a letter to troops)")
    renderings: list[Citation] = Field(min_length=1, description="the verbatim words as each source reports them")
    events: list[Id] = Field(default_factory=list, description="ids of events this statement belongs to")
    tags: list[Id] = Field(default_factory=list, description="ids of declared tags")
    note: Optional[Text] = Field(None, description="a neutral note, e.g. on a translation")

    @model_validator(mode="after")
    def _who(self):
        if self.speaker is None and self.attribution is None:
            raise ValueError("give a speaker id, or an attribution such as 'unattributed'")
        seen = set()
        for rendering in self.renderings:
            if rendering.source in seen:
                raise ValueError(f"two renderings from source '{rendering.source}'; "
                                 "keep one rendering per source (the longest verbatim passage)")
            seen.add(rendering.source)
        return self


COUNTED = ("deployed", "stationed", "killed", "wounded", "killed-or-wounded", "casualties",
           "missing", "captured", "died-in-captivity")
QUALIFIERS = ("about", "more-than", "at-least", "nearly", "up-to")
# How pages word them: "killed-or-wounded" -> "killed or wounded", "more-than" -> "more than".
COUNTED_WORDS = {counted: counted.replace("-", " ") for counted in COUNTED}
QUALIFIER_WORDS = {qualifier: qualifier.replace("-", " ") for qualifier in QUALIFIERS}


class Figure(Record):
    """A numeric claim: who claims how many of what, as of when, where; reported by its citations."""

    claimant: Optional[Id] = Field(None, description="id of the person or organisation making the claim")
    attribution: Optional[Text] = Field(
        None, description="who makes the claim, in words, when there is no claimant id")
    subject: Text = Field(description="who or what is counted, e.g. 'North Korean troops'")
    counted: Literal[COUNTED] = Field(description="what is counted: " + ", ".join(COUNTED))
    value: Optional[Count] = Field(None, description="the number, if one is given")
    low: Optional[Count] = Field(None, description="lower end of a range")
    high: Optional[Count] = Field(None, description="upper end of a range")
    vague: Optional[Text] = Field(None, description="a quantity given without a number, e.g. 'thousands'")
    qualifier: Optional[Literal[QUALIFIERS]] = Field(
        None, description="how the number is qualified: " + ", ".join(QUALIFIERS) + "; omit if none")
    as_of: EDTF = Field(description="the date or period the figure covers (EDTF)")
    as_of_note: Optional[Text] = Field(None, description="how the date or period was derived")
    place: Optional[Id] = Field(None, description="id of the place the figure is about")
    citations: list[Citation] = Field(min_length=1, description="the passages that report the figure")
    events: list[Id] = Field(default_factory=list, description="ids of events this figure belongs to")
    tags: list[Id] = Field(default_factory=list, description="ids of declared tags")
    note: Optional[Text] = Field(None, description="a neutral note")

    @model_validator(mode="after")
    def _amount(self):
        if self.claimant is None and self.attribution is None:
            raise ValueError("give a claimant id, or an attribution such as 'unattributed reports'")
        forms = [self.value is not None, self.low is not None or self.high is not None, self.vague is not None]
        if sum(forms) != 1:
            raise ValueError("give exactly one of: value, low and high (a range), or vague")
        if forms[1] and (self.low is None or self.high is None or self.low > self.high):
            raise ValueError("a range needs both low and high, with low <= high")
        if self.vague is not None and self.qualifier is not None:
            raise ValueError("a vague quantity takes no qualifier")
        return self


class Entity(Record):
    """Common fields of people, organisations and places."""

    name: Text = Field(description="the name to show")
    aliases: list[Text] = Field(default_factory=list, description="other spellings as they occur in the sources")
    description: Text = Field(description="one neutral line")


class Person(Entity):
    role: Text = Field(description="role at the time, e.g. 'US National Security Council spokesman'")


class Organisation(Entity):
    kind: Text = Field(description="e.g. 'government agency', 'military unit', 'news agency'")


class Place(Entity):
    kind: Text = Field(description="e.g. 'village', 'region', 'city', 'country'")


class Tag(Record):
    name: Text = Field(description="the name to show")
    description: Text = Field(description="one line: what the tag is for")


class Discrepancy(Record):
    """Where sources disagree: a figure, a date, a spelling, wording, or how an event is told."""

    title: Text = Field(description="a short neutral title")
    about: Literal["figure", "date", "spelling", "wording", "account"] = Field(
        description="what the sources disagree on")
    description: Text = Field(description="what differs, attributed, in neutral words")
    citations: list[Citation] = Field(min_length=2, description="the passages that disagree, each side cited")
    figures: list[Id] = Field(default_factory=list, description="ids of the figures involved")
    statements: list[Id] = Field(default_factory=list, description="ids of the statements involved")
    events: list[Id] = Field(default_factory=list, description="ids of the events involved")


class Chronology(Record):
    """Settings of the whole chronology (content/chronology.yaml)."""

    title: Text = Field(description="the site title")
    description: Text = Field(description="one or two sentences shown on the home page")
    language: Language = Field(description="language of the site, e.g. 'en'")
    base_url: Optional[Url] = Field(None, description="public URL, for canonical links, feed and sitemap")

