"""Synthetic people: who they are and which identifiers are truly theirs."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from . import reference as ref

EPOCH_SHOPIFY_ID = 6_200_000_000_000


@dataclass
class Person:
    index: int
    person_id: str
    is_western: bool
    gender: str
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    romaji: tuple[str, str]
    birthday: date
    prefecture: tuple
    first_seen: datetime
    churn_at: datetime
    activity: float
    category_affinity: list[str]
    # identifiers, each truly this person's (households share a phone: see household_of)
    emails: list[tuple[str, datetime]] = field(default_factory=list)  # (email, in use since)
    phone: str | None = None
    devices: list[tuple[str, str]] = field(default_factory=list)  # (anonymousId, platform)
    shopify_customer_id: int | None = None
    loyalty_card_id: str | None = None
    line_user_id: str | None = None
    signup_at: datetime | None = None
    is_store_shopper: bool = False
    household_of: str | None = None  # person_id whose phone this person shares

    def email_at(self, moment: datetime) -> str | None:
        current = None
        for email, since in self.emails:
            if since <= moment:
                current = email
        return current

    @property
    def is_registered(self) -> bool:
        return self.signup_at is not None


def uuid_from(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:]}"


def _email_local(rng: random.Random, given: str, family: str, year: int) -> str:
    g, f = given.lower().replace("'", ""), family.lower().replace("'", "")
    pattern = rng.randrange(6)
    if pattern == 0:
        return f"{g}.{f}"
    if pattern == 1:
        return f"{f}.{g}{rng.randrange(1, 99)}"
    if pattern == 2:
        return f"{g[0]}{f}{year % 100:02d}"
    if pattern == 3:
        return f"{f}_{g}"
    if pattern == 4:
        return f"{g}{rng.randrange(100, 9999)}"
    return f"{g}-{f}.{rng.choice(['home', 'work', 'shop', 'mail'])}"


def _domain(rng: random.Random) -> str:
    domains, weights = zip(*ref.PERSONAL_EMAIL_DOMAINS, strict=True)
    return rng.choices(domains, weights)[0]


def _mobile_phone(rng: random.Random) -> str:
    return f"0{rng.choice('789')}0-{rng.randrange(1000, 10000)}-{rng.randrange(1000, 10000)}"


def make_person(rng: random.Random, index: int, start: datetime, end: datetime) -> Person:
    span = (end - start).total_seconds()
    is_western = rng.random() < 0.06
    gender = "female" if rng.random() < 0.62 else "male"
    if is_western:
        family = rng.choice(ref.WESTERN_SURNAMES)
        given = rng.choice(ref.WESTERN_GIVEN_FEMALE if gender == "female" else ref.WESTERN_GIVEN_MALE)
        family_kana = given_kana = ""
        romaji = (given, family)
    else:
        fam = rng.choice(ref.JA_SURNAMES)
        giv = rng.choice(ref.JA_GIVEN_FEMALE if gender == "female" else ref.JA_GIVEN_MALE)
        family, family_kana, given, given_kana = fam[0], fam[1], giv[0], giv[1]
        romaji = (giv[2], fam[2])
    prefecture = rng.choices(ref.PREFECTURES, [p[5] for p in ref.PREFECTURES])[0]
    birthday = date(rng.randrange(1955, 2007), rng.randrange(1, 13), rng.randrange(1, 29))
    # a third of the people were already around before the window opened
    first_seen = start + timedelta(seconds=rng.random() * span * (0.0 if rng.random() < 0.33 else 1.0))
    first_seen += timedelta(seconds=rng.random() * 86400 * 20)
    first_seen = min(first_seen, end - timedelta(days=1))
    lifetime = timedelta(days=rng.expovariate(1 / 420))
    churn_at = min(end, first_seen + lifetime + timedelta(days=7))
    activity = rng.lognormvariate(0, 0.9)
    affinity = rng.sample(ref.CATEGORIES, k=rng.choice([1, 2, 2, 3]))

    person = Person(
        index=index,
        person_id=f"P{index:07d}",
        is_western=is_western,
        gender=gender,
        family_name=family,
        given_name=given,
        family_kana=family_kana,
        given_kana=given_kana,
        romaji=romaji,
        birthday=birthday,
        prefecture=prefecture,
        first_seen=first_seen,
        churn_at=churn_at,
        activity=activity,
        category_affinity=affinity,
    )
    for _ in range(rng.choices([1, 2, 3, 4], [45, 35, 15, 5])[0]):
        platform = rng.choices(["web", "ios", "android"], [60, 25, 15])[0]
        person.devices.append((uuid_from(rng), platform))

    if rng.random() < 0.78:
        person.signup_at = first_seen + timedelta(seconds=rng.random() * (churn_at - first_seen).total_seconds() * 0.4)
        person.shopify_customer_id = EPOCH_SHOPIFY_ID + index * 17 + rng.randrange(17)
        given_r, family_r = romaji
        person.emails.append((f"{_email_local(rng, given_r, family_r, birthday.year)}@{_domain(rng)}", first_seen))
        n_more = rng.choices([0, 1, 2, 4], [74, 19, 5, 2])[0]  # a few change e-mail many times
        moment = person.signup_at
        for _ in range(n_more):
            moment += timedelta(days=rng.randrange(20, 200))
            if moment >= churn_at:
                break
            person.emails.append(
                (f"{_email_local(rng, given_r, family_r, birthday.year)}{rng.randrange(10, 99)}@{_domain(rng)}", moment)
            )
    if rng.random() < 0.8:
        person.phone = _mobile_phone(rng)
    person.is_store_shopper = rng.random() < 0.35
    if person.is_store_shopper and rng.random() < 0.85:
        person.loyalty_card_id = f"{rng.randrange(10**15, 10**16)}"
    if rng.random() < 0.3:
        person.line_user_id = "U" + f"{rng.getrandbits(128):032x}"
    return person


def make_people(rng: random.Random, first_index: int, count: int, start: datetime, end: datetime) -> list[Person]:
    people = [make_person(rng, first_index + i, start, end) for i in range(count)]
    # a mailbox belongs to one person: a name and year that two people share get the later one's number
    used: set[str] = set()
    for index, person in enumerate(people, start=first_index):
        for position, (email, since) in enumerate(person.emails):
            if email in used:
                local, domain = email.split("@", 1)
                email = f"{local}.{index}@{domain}"
                person.emails[position] = (email, since)
            used.add(email)
    # households: about 6% share the phone of someone earlier in the shard
    for i, person in enumerate(people):
        if i > 0 and rng.random() < 0.06:
            other = people[rng.randrange(i)]
            if other.phone and not other.is_western:
                person.phone = other.phone
                person.household_of = other.person_id
                person.prefecture = other.prefecture
    return people
