"""Synthetic people and places: the personal data written into contacts, and the
audit-only attributes of the child.

Everything here is invented. Names are drawn from pools by naming tradition; the pool
depends on the child's recorded ethnicity (as names do in a real export), but the label
never reads the name. Postcodes, phone numbers and NHS numbers have the real formats
(NHS numbers carry a valid modulus-11 check digit) so that a redaction step is tested
against realistic strings.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np

from training.data.contract import ETHNICITIES, SEXES, YES_NO_UNKNOWN

__all__ = [
    "AGE_WEIGHTS",
    "DECILE_WEIGHTS",
    "DISABILITY_SHARES",
    "ETHNICITY_SHARES",
    "INTERPRETER_RATE",
    "MONTHS",
    "SEX_SHARES",
    "Family",
    "draw_audit_attributes",
    "format_dob",
    "make_family",
]

# England's child population, roughly (2021 census, under-18s).
ETHNICITY_SHARES: Final[dict[str, float]] = {
    "white": 0.73,
    "mixed": 0.06,
    "asian": 0.11,
    "black": 0.05,
    "other": 0.02,
    "unknown": 0.03,
}
SEX_SHARES: Final[dict[str, float]] = {"female": 0.49, "male": 0.49, "unknown": 0.02}
DISABILITY_SHARES: Final[dict[str, float]] = {"yes": 0.10, "no": 0.80, "unknown": 0.10}
#: Contacts skew to younger children, with a smaller bump in the early teens.
AGE_WEIGHTS: Final[tuple[float, ...]] = (
    9.0, 7.0, 6.5, 6.5, 6.0, 6.0, 6.0, 5.8, 5.5, 5.5, 5.5, 5.6, 5.8, 5.8, 5.2, 4.2, 3.5, 2.6,
)  # fmt: skip
#: Decile 1 is the most deprived tenth of areas; contacts come disproportionately from there.
DECILE_WEIGHTS: Final[tuple[float, ...]] = (16, 14, 12, 11, 10, 9, 8, 7.5, 6.5, 6)
#: P(needs_interpreter | ethnicity); about 4% overall.
INTERPRETER_RATE: Final[dict[str, float]] = {
    "white": 0.02,
    "mixed": 0.01,
    "asian": 0.12,
    "black": 0.08,
    "other": 0.25,
    "unknown": 0.05,
}

assert tuple(ETHNICITY_SHARES) == ETHNICITIES
assert tuple(SEX_SHARES) == SEXES
assert tuple(DISABILITY_SHARES) == YES_NO_UNKNOWN


def _norm(weights: tuple[float, ...] | list[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def draw_audit_attributes(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Draw the six audit-only attributes for ``n`` children, independently of everything
    else except ``needs_interpreter``, which depends on ethnicity as it does in practice."""
    ethnicity = rng.choice(np.array(ETHNICITIES), size=n, p=_norm(list(ETHNICITY_SHARES.values())))
    rate = np.vectorize(INTERPRETER_RATE.__getitem__, otypes=[float])(ethnicity)
    return {
        "child_age_years": rng.choice(18, size=n, p=_norm(AGE_WEIGHTS)).astype(np.int64),
        "child_sex": rng.choice(np.array(SEXES), size=n, p=_norm(list(SEX_SHARES.values()))),
        "child_ethnicity": ethnicity,
        "child_disability": rng.choice(
            np.array(YES_NO_UNKNOWN), size=n, p=_norm(list(DISABILITY_SHARES.values()))
        ),
        "area_deprivation_decile": (rng.choice(10, size=n, p=_norm(DECILE_WEIGHTS)) + 1).astype(
            np.int64
        ),
        "needs_interpreter": rng.random(n) < rate,
    }


# --- name pools by naming tradition -------------------------------------------------------

_GIRLS: Final[dict[str, tuple[str, ...]]] = {
    "english": ("Olivia", "Amelia", "Isla", "Ava", "Lily", "Freya", "Poppy", "Evie", "Grace", "Ruby", "Sophie", "Ellie", "Chloe", "Mia", "Daisy", "Holly", "Megan", "Lacey", "Kayla", "Paige", "Charlotte", "Millie"),
    "south_asian": ("Aisha", "Zara", "Maryam", "Fatima", "Anaya", "Priya", "Simran", "Hafsa", "Inaya", "Amira", "Navpreet", "Sana", "Riya", "Khadija"),
    "east_european": ("Zuzanna", "Julia", "Maja", "Natalia", "Oliwia", "Wiktoria", "Alicja", "Ioana", "Elena", "Kornelia", "Lena", "Milena"),
    "west_african": ("Adaeze", "Chioma", "Temitope", "Ifeoma", "Abena", "Ama", "Folake", "Oluwaseun", "Nneka", "Ngozi", "Blessing", "Precious"),
    "caribbean": ("Shanice", "Tia", "Jada", "Kiara", "Aaliyah", "Destiny", "Shantelle", "Tyra", "Nia", "Imani"),
    "arabic": ("Layla", "Nour", "Yasmin", "Huda", "Rania", "Salma", "Mariam", "Reem", "Dalia", "Amal"),
    "chinese": ("Mei", "Xinyi", "Yuxuan", "Jing", "Li Na", "Hui", "Wen", "Xiao"),
    "somali": ("Hodan", "Sagal", "Ayan", "Ifrah", "Nasra", "Hibo", "Fadumo"),
}  # fmt: skip
_BOYS: Final[dict[str, tuple[str, ...]]] = {
    "english": ("Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Charlie", "Alfie", "Jayden", "Tyler", "Riley", "Mason", "Logan", "Kai", "Callum", "Kian", "Archie", "Liam", "Connor", "Ethan", "Jake", "Brandon"),
    "south_asian": ("Muhammad", "Ayaan", "Yusuf", "Zayn", "Ibrahim", "Arjun", "Harjot", "Rayan", "Ishaan", "Hamza", "Aarav", "Bilal", "Idris"),
    "east_european": ("Jakub", "Szymon", "Kacper", "Filip", "Mateusz", "Antoni", "Andrei", "Mihai", "Dawid", "Oskar", "Lukas"),
    "west_african": ("Chinedu", "Emeka", "Kwame", "Tobi", "Oluwadamilare", "Kofi", "Samuel", "Daniel", "Ayodele", "Obinna"),
    "caribbean": ("Jermaine", "Tyrone", "Kemar", "Dwayne", "Andre", "Marcus", "Kaylan", "Jahmal", "Rashad", "Shaquille"),
    "arabic": ("Omar", "Ahmed", "Yousef", "Karim", "Khalid", "Tariq", "Hassan", "Mustafa", "Ali", "Sami"),
    "chinese": ("Wei", "Hao", "Jun", "Zhi", "Chen", "Ming", "Jian"),
    "somali": ("Abdi", "Mohamed", "Abdirahman", "Liban", "Farah", "Guled", "Mahad"),
}  # fmt: skip
_SURNAMES: Final[dict[str, tuple[str, ...]]] = {
    "english": ("Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Cooper", "Ward", "Morris", "Turner", "Barker", "Kelly", "O'Neill", "Doherty"),
    "south_asian": ("Khan", "Ahmed", "Hussain", "Ali", "Patel", "Begum", "Singh", "Kaur", "Shah", "Rahman", "Iqbal", "Mahmood", "Chowdhury", "Sharma"),
    "east_european": ("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kaminski", "Lewandowski", "Zielinski", "Popescu", "Ionescu", "Kazlauskas", "Horvath"),
    "west_african": ("Okafor", "Adeyemi", "Mensah", "Okonkwo", "Boateng", "Adebayo", "Owusu", "Nwosu", "Oladipo", "Asante"),
    "caribbean": ("Campbell", "Williams", "Brown", "Francis", "Thomas", "Grant", "Reid", "Henry", "Samuels", "McKenzie"),
    "arabic": ("Hassan", "Ibrahim", "Mahmoud", "Saleh", "Al-Sayed", "Haddad", "Nasser", "Abdullah", "Mansour"),
    "chinese": ("Wang", "Li", "Zhang", "Liu", "Chen", "Wong", "Lam", "Huang"),
    "somali": ("Mohamed", "Abdi", "Hassan", "Warsame", "Farah", "Osman", "Jama"),
}  # fmt: skip
#: ethnicity -> (naming tradition, weight). Names correlate with ethnicity; labels never read them.
_TRADITION_BY_ETHNICITY: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "white": (("english", 0.86), ("east_european", 0.14)),
    "mixed": (("english", 0.5), ("caribbean", 0.3), ("west_african", 0.1), ("arabic", 0.1)),
    "asian": (("south_asian", 0.88), ("chinese", 0.12)),
    "black": (("west_african", 0.5), ("caribbean", 0.35), ("somali", 0.15)),
    "other": (("arabic", 0.55), ("chinese", 0.25), ("east_european", 0.2)),
    "unknown": (("english", 0.6), ("south_asian", 0.15), ("west_african", 0.1), ("east_european", 0.15)),
}  # fmt: skip

_STREETS: Final = ("Victoria", "Church", "Station", "Park", "Queens", "Mill", "Grove", "Albert", "Orchard", "Meadow", "Kingsley", "Abington", "Wellingborough", "St James", "Spencer", "Harlestone", "Birchfield", "Holly", "Cedar", "Ashby", "Oakley", "Lime", "Primrose", "Windsor", "Brookside", "Eastfield", "Blackthorn", "Thorplands", "Lings", "Riverside")  # fmt: skip
_STREET_TYPES: Final = ("Road", "Street", "Close", "Avenue", "Way", "Lane", "Drive", "Crescent", "Court", "Gardens", "Walk")  # fmt: skip
_TOWNS: Final = (("Northampton", "NN"), ("Kettering", "NN"), ("Corby", "NN"), ("Wellingborough", "NN"), ("Daventry", "NN"), ("Rushden", "NN"), ("Milton Keynes", "MK"), ("Bedford", "MK"), ("Leicester", "LE"), ("Coventry", "CV"), ("Luton", "LU"), ("Peterborough", "PE"), ("Birmingham", "B"), ("Nottingham", "NG"))  # fmt: skip
_FLAT_PREFIX: Final = ("Flat 2, ", "Flat 14, ", "Flat 7b ", "Room 3, ", "Flat 21 ")
_SCHOOL_FIRST: Final = ("St Mary's", "St Joseph's", "Northfield", "Eastfield", "Kingsthorpe", "Abington Vale", "Greenfields", "Hazelwood", "Riverside", "Oakway", "Millbrook", "Castle", "Headlands", "Parklands", "Weston Favell", "Thorplands", "Simon de Senlis", "Our Lady's", "Duston", "Blackthorn")  # fmt: skip
_SCHOOL_KIND_PRIMARY: Final = ("Primary", "Primary School", "Infant School", "Junior School", "C of E Primary", "Academy", "Primary Academy")  # fmt: skip
_SCHOOL_KIND_SECONDARY: Final = ("Academy", "High School", "School", "Secondary School", "College")
_NURSERIES: Final = ("Little Acorns Nursery", "Busy Bees Nursery", "Rainbow Pre-School", "Sunshine Day Nursery", "Tiny Steps Nursery")  # fmt: skip
_MAIL_DOMAINS: Final = ("gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "icloud.com")
_MASH_MAILBOXES: Final = ("mash@westnorthants.gov.uk", "mash@northnorthants.gov.uk", "frontdoor@westnorthants.gov.uk", "childrens.mash@nhs.net", "mash.referrals@northnorthants.gov.uk")  # fmt: skip
_WORK_DOMAINS: Final = ("school.northants.sch.uk", "nhs.net", "northants.police.uk", "westnorthants.gov.uk", "housing.gov.uk")  # fmt: skip
MONTHS: Final = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """A named person in a contact; ``first``/``last`` are PII strings."""

    first: str
    last: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True, slots=True)
class Family:
    """The people and places one contact can mention. Every string field is PII."""

    child: Person
    mother: Person
    father: Person
    partner: Person
    sibling: Person
    relative: Person
    referrer: Person
    worker: Person
    address: str
    postcode: str
    town: str
    phone: str
    phone2: str
    email: str
    work_email: str
    worker_email: str
    mash_email: str
    school: str
    dob: date
    nhs_number: str


def _pick_tradition(r: random.Random, ethnicity: str) -> str:
    options = _TRADITION_BY_ETHNICITY[ethnicity]
    return r.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _person(r: random.Random, tradition: str, *, female: bool, last: str | None = None) -> Person:
    firsts = _GIRLS[tradition] if female else _BOYS[tradition]
    return Person(r.choice(firsts), last if last is not None else r.choice(_SURNAMES[tradition]))


def _postcode(r: random.Random, area: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{r.randint(1, 18)} {r.randint(1, 9)}{r.choice(letters)}{r.choice(letters)}"


def _phone(r: random.Random) -> str:
    if r.random() < 0.7:
        number = f"07{r.randint(100, 999)} {r.randint(0, 999999):06d}"
        return number if r.random() < 0.8 else number.replace(" ", "")
    return f"01{r.randint(200, 999)} {r.randint(100000, 999999)}"


def _nhs_number(r: random.Random) -> str:
    while True:
        digits = [r.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits)) + str(check)
            return f"{s[:3]} {s[3:6]} {s[6:]}"


def format_dob(r: random.Random, day: date) -> str:
    """A date of birth as practitioners write it: 03/03/2019, 3rd March 2019 or 3.3.19."""
    roll = r.random()
    if roll < 0.6:
        return day.strftime("%d/%m/%Y")
    if roll < 0.9:
        n = day.day
        suffix = "th" if 11 <= n <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year % 100:02d}"


def make_family(r: random.Random, *, ethnicity: str, sex: str, age: int, received: date) -> Family:
    """Invent one family consistent with the child's attributes: the date of birth matches
    ``age`` on the ``received`` date and the school matches the age."""
    tradition = _pick_tradition(r, ethnicity)
    family_name = r.choice(_SURNAMES[tradition])
    female = sex == "female" or (sex == "unknown" and r.random() < 0.5)
    child = _person(r, tradition, female=female, last=family_name)
    mother = _person(r, tradition, female=True, last=family_name if r.random() < 0.6 else None)
    father = _person(r, tradition, female=False, last=family_name)
    partner_tradition = tradition if r.random() < 0.7 else r.choice(tuple(_SURNAMES))
    partner = _person(r, partner_tradition, female=False)
    sibling = _person(r, tradition, female=r.random() < 0.5, last=family_name)
    relative = _person(r, tradition, female=r.random() < 0.75)
    referrer = _person(r, r.choice(("english", "english", "english", "south_asian", "caribbean", "east_european", "west_african")), female=r.random() < 0.75)  # fmt: skip
    town, area = r.choice(_TOWNS)
    street = f"{r.randint(1, 212)} {r.choice(_STREETS)} {r.choice(_STREET_TYPES)}"
    if r.random() < 0.15:
        street = r.choice(_FLAT_PREFIX) + street
    address = f"{street}, {town}" if r.random() < 0.7 else street
    days = age * 365 + r.randint(0, 364)
    dob = received - timedelta(days=days)
    if age < 4:
        school = r.choice(_NURSERIES)
    elif age < 11:
        school = f"{r.choice(_SCHOOL_FIRST)} {r.choice(_SCHOOL_KIND_PRIMARY)}"
    else:
        school = f"{r.choice(_SCHOOL_FIRST)} {r.choice(_SCHOOL_KIND_SECONDARY)}"
    local = f"{mother.first}.{mother.last}".lower().replace(" ", "").replace("'", "")
    email = f"{local}{r.randint(1, 99) if r.random() < 0.5 else ''}@{r.choice(_MAIL_DOMAINS)}"
    work_local = f"{referrer.first[0]}.{referrer.last}".lower().replace(" ", "").replace("'", "")
    # Another professional: the officer, call handler or colleague whose words are forwarded.
    worker = _person(r, r.choice(("english", "english", "south_asian", "caribbean", "west_african", "east_european")), female=r.random() < 0.7)  # fmt: skip
    worker_local = f"{worker.first}.{worker.last}".lower().replace(" ", "").replace("'", "")
    return Family(
        child=child,
        mother=mother,
        father=father,
        partner=partner,
        sibling=sibling,
        relative=relative,
        referrer=referrer,
        worker=worker,
        address=address,
        postcode=_postcode(r, area),
        town=town,
        phone=_phone(r),
        phone2=_phone(r),
        email=email,
        work_email=f"{work_local}@{r.choice(_WORK_DOMAINS)}",
        worker_email=f"{worker_local}@{r.choice(_WORK_DOMAINS)}",
        mash_email=r.choice(_MASH_MAILBOXES),
        school=school,
        dob=dob,
        nhs_number=_nhs_number(r),
    )
