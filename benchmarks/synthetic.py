"""A deterministic synthetic chronology in the project's own content format, for benchmarks.

`generate(folder, events=N)` writes N events, N/10 sources with article-like texts, N/2 statements,
N/5 figures, and people, organisations, places and tags in realistic proportions. Every citation's
quote is a sentence that really occurs (once) in its source text, so a build does the full work of
verifying citations. The same N and seed always give the same files.
"""
from __future__ import annotations

import hashlib
import random
from pathlib import Path

WORDS = ("the forces reported heavy fighting near village while officials said troops were moved under "
         "command after drone strikes hit positions along front line according to statement released "
         "by ministry on morning several units advanced but losses remained unclear observers noted that "
         "artillery fire continued through night and civilians left area as supplies ran low analysts "
         "expect further attacks despite talks between governments about prisoners and equipment").split()
FIRST = ("Anna Boris Chen Dmytro Elena Farid Grace Hyun Ivan Jana Kim Lee Maria Nikolai Olga Pavel Quinn "
         "Ruslan Sofia Taras Uma Viktor Wen Yulia Zoran").split()
LAST = ("Kovalenko Park Ivanova Shevchenko Lee Morozov Choi Petrenko Smirnov Bondar Kim Novak Horvat "
        "Melnyk Sokolov Tkachenko Yoon Volkov Hwang Lysenko").split()
ORG_KINDS = ("ministry", "intelligence agency", "news agency", "military unit", "think tank", "ngo")
PLACE_KINDS = ("village", "town", "region", "city")
COUNTED = ("deployed", "stationed", "killed", "wounded", "killed-or-wounded", "casualties", "missing", "captured")
QUALIFIERS = (None, None, "about", "more-than", "at-least", "nearly", "up-to")


def generate(folder: Path, events: int = 1000, seed: int = 1) -> dict:
    """Write a synthetic chronology into `folder`; return how many records of each kind it holds."""
    rng = random.Random(seed)
    folder = Path(folder)
    n_sources = max(2, events // 10)
    counts = {"events": events, "sources": n_sources, "statements": events // 2, "figures": events // 5,
              "people": max(5, events // 20), "organisations": max(3, events // 40),
              "places": max(3, events // 40), "tags": max(5, min(60, events // 100))}
    people = [f"person-{i:05d}" for i in range(counts["people"])]
    orgs = [f"org-{i:05d}" for i in range(counts["organisations"])]
    places = [f"place-{i:05d}" for i in range(counts["places"])]
    tags = [f"tag-{i:03d}" for i in range(counts["tags"])]
    write = _writer(folder)
    write("chronology.yaml", "title: Synthetic chronology\ndescription: Generated for benchmarks.\nlanguage: en\n")

    def pick(pool, most, at_least=0):  # a few entities are popular, most are rare (Zipf-like)
        k = rng.randint(at_least, most)
        return sorted({pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)] for _ in range(k)})

    # Sources: article-like texts whose every sentence is unique (it names a numbered sector).
    sentences: list[tuple[str, str]] = []  # (source id, sentence) available for quoting
    for s in range(n_sources):
        sid = f"source-{s:05d}"
        paragraphs = []
        for p in range(rng.randint(18, 30)):
            line = []
            for k in range(rng.randint(2, 4)):
                words = rng.choices(WORDS, k=rng.randint(12, 24))
                said, named = rng.random(), ""
                if said < 0.15:  # articles name people, organisations and places
                    named = f" said {person_name(pick(range(len(people)), 1, at_least=1)[0])}"
                elif said < 0.25:
                    named = f" near Place {pick(range(len(places)), 1, at_least=1)[0]}"
                elif said < 0.3:
                    named = f" according to Organisation {pick(range(len(orgs)), 1, at_least=1)[0]}"
                sentence = f"{' '.join(words).capitalize()}{named} in sector {s}-{p}-{k}."
                line.append(sentence)
                sentences.append((sid, sentence))
            paragraphs.append(" ".join(line))
        text = "\n".join(paragraphs) + "\n"
        write(f"sources/{sid}.txt", text)
        write(f"sources/{sid}.yaml", (
            f"text: {sid}.txt\nsha256: {hashlib.sha256(text.encode()).hexdigest()}\n"
            f"title: Synthetic report {s}\npublisher: Synthetic Daily\nauthors: [{rng.choice(FIRST)} {rng.choice(LAST)}]\n"
            f"date: {_day(rng)}\nlanguage: en\n"))

    def cite(k: int) -> str:
        out = []
        for sid, sentence in rng.sample(sentences, k):
            out.append(f"  - source: {sid}\n    quote: \"{sentence}\"\n")
        return "".join(out)

    for i, pid in enumerate(people):
        write(f"people/{pid}.yaml", f"name: {person_name(i)}\n"
                                    f"aliases: [P{i}]\nrole: official\ndescription: A synthetic person.\n")
    for i, oid in enumerate(orgs):
        write(f"organisations/{oid}.yaml", f"name: Organisation {i}\nkind: {ORG_KINDS[i % len(ORG_KINDS)]}\n"
                                           "description: A synthetic organisation.\n")
    for i, lid in enumerate(places):
        write(f"places/{lid}.yaml", f"name: Place {i}\nkind: {PLACE_KINDS[i % len(PLACE_KINDS)]}\n"
                                    "description: A synthetic place.\n")
    for i, tid in enumerate(tags):
        write(f"tags/{tid}.yaml", f"name: Tag {i}\ndescription: A synthetic tag.\n")

    event_ids = [f"event-{i:06d}" for i in range(events)]
    for eid in event_ids:
        words = " ".join(rng.choices(WORDS, k=rng.randint(5, 10)))
        body = " ".join(" ".join(rng.choices(WORDS, k=rng.randint(10, 25))).capitalize() + "."
                        for _ in range(rng.randint(1, 3)))
        write(f"events/{eid}.md", (
            f"---\ndate: {_date(rng)}\ntitle: {words.capitalize()}\n"
            f"people: [{', '.join(pick(people, 3))}]\norganisations: [{', '.join(pick(orgs, 2))}]\n"
            f"places: [{', '.join(pick(places, 2))}]\ntags: [{', '.join(pick(tags, 3))}]\n"
            f"citations:\n{cite(rng.randint(1, 3))}---\n{body}\n"))
    for i in range(counts["statements"]):
        speaker = rng.choice(people + orgs)
        sources = []
        renderings = []
        for sid, sentence in rng.sample(sentences, rng.randint(1, 2)):
            if sid not in sources:
                sources.append(sid)
                renderings.append(f"  - source: {sid}\n    quote: \"{sentence}\"\n")
        write(f"statements/statement-{i:06d}.yaml", (
            f"speaker: {speaker}\nform: {rng.choice(('spoken', 'written'))}\ndate: {_date(rng)}\n"
            f"context: Synthetic briefing {i}\nrenderings:\n{''.join(renderings)}"
            f"events: [{rng.choice(event_ids)}]\ntags: [{rng.choice(tags)}]\n"))
    for i in range(counts["figures"]):
        low = rng.randint(1, 5000)
        amount = rng.choice((f"value: {low}\n", f"low: {low}\nhigh: {low + rng.randint(1, 3000)}\n", "vague: thousands\n"))
        qualifier = rng.choice(QUALIFIERS) if amount.startswith("value") else None
        write(f"figures/figure-{i:06d}.yaml", (
            f"claimant: {rng.choice(people + orgs)}\nsubject: synthetic troops\ncounted: {rng.choice(COUNTED)}\n"
            f"{amount}{f'qualifier: {qualifier}' + chr(10) if qualifier else ''}as_of: {_date(rng)}\n"
            f"place: {rng.choice(places)}\ncitations:\n{cite(1)}events: [{rng.choice(event_ids)}]\n"))
    for i in range(max(1, events // 200)):
        write(f"discrepancies/discrepancy-{i:05d}.yaml", (
            f"title: Synthetic disagreement {i}\nabout: figure\ndescription: Two synthetic claims differ.\n"
            f"citations:\n{cite(2)}figures: [figure-{i:06d}]\n"))
    counts["discrepancies"] = max(1, events // 200)
    return counts


def person_name(i: int) -> str:
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}"


def _writer(folder: Path):
    made = set()

    def write(rel: str, text: str) -> None:
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")

    return write


def _day(rng) -> str:
    return f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _date(rng) -> str:
    """Return an EDTF date in the mix a real chronology has: mostly days, some months and ranges."""
    y, m, d = rng.randint(2020, 2025), rng.randint(1, 12), rng.randint(1, 28)
    form = rng.random()
    if form < 0.6:
        return f"{y}-{m:02d}-{d:02d}"
    if form < 0.75:
        return f"{y}-{m:02d}"
    if form < 0.82:
        return f"{y}-{m:02d}~"
    if form < 0.88:
        return f"{y}-{m:02d}-XX"
    if form < 0.96:
        return f"{y}-{m:02d}-{d:02d}/{y + 1}-{m:02d}-{d:02d}"
    return f"../{y}-{m:02d}-{d:02d}"


if __name__ == "__main__":
    import sys

    target, n = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(generate(target, n))
