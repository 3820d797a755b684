"""Redaction of personal data in the forms people write it, none taken from the hand-written
PII sets, each found with its exact span: names in lower case that no list holds after a
cue, names that are also words after "called", a lower-case family name after a given name,
initials without their full stop, "van der", quoted names, sign-off initials; addresses
without capitals after an address cue, flat letters, positions and floors, number ranges,
house names, a flat after the street, towns with a saint or hyphens, a foreign postcode and
town, street words abbreviated, streets whose type follows the name, a flat and a region
abroad; identifiers (National Insurance numbers, dates of birth in several forms, e-mail
addresses spelt out, NHS numbers in brackets, references with the date after them, user
names by shape or in a list); schools by pattern (a chain's academy and its place, a town's
college, capitals, qualifiers in lower case, a label, a children's centre, after an age). And the traps beside them, where nothing is personal data: a name
that is also a verb, a typo after a relationship word, a number of things, a school that is
no name.
"""

from __future__ import annotations

import pytest

from training.text import redact
from training.text.redact.lexicon import get_lexicon


def _pieces(text: str) -> dict[str, str]:
    _, spans = redact(text)
    return {text[s.start : s.end]: s.kind for s in spans}


FOUND: list[tuple[str, str, str]] = [
    # names
    ("spoke to kerys and her brother lewys today", "lewys", "name"),
    ("the boy's name is tayshaun and he is 6", "tayshaun", "name"),
    ("her mum is called precious", "precious", "name"),
    ("social worker deborah price visited", "deborah price", "name"),
    ("Referrer: J Smith, receptionist.", "J Smith", "name"),
    ("Anna van der Berg attended the meeting.", "Anna van der Berg", "name"),
    ("HER BROTHER LEWYS WAS THERE", "LEWYS", "name"),
    ("lives with mum, gran and uncle rob", "rob", "name"),
    # addresses
    ("mum lives at 28 primrose hill now", "28 primrose hill", "address"),
    ("they are staying at 14 hazel dene", "14 hazel dene", "address"),
    ("the home at 56 west end lane", "56 west end lane", "address"),
    ("Post sent to Flat 1/2, 20 Dumbarton Road.", "Flat 1/2, 20 Dumbarton Road", "address"),
    ("Address: 2/1 14 Kelvin Street.", "2/1 14 Kelvin Street", "address"),
    ("Seen at Flat A, 12 Grove Road.", "Flat A, 12 Grove Road", "address"),
    ("The family live at 15-17 Market Place.", "15-17 Market Place", "address"),
    ("home: 45 st. peter's close", "45 st. peter's close", "address"),
    ("She lives at 3 Wesley Street, St Helens.", "3 Wesley Street, St Helens", "address"),
    ("He is at 12 Dorset Road, Bexhill-on-Sea.", "12 Dorset Road, Bexhill-on-Sea", "address"),
    ("Lives at 5 Linden Grove, Flat 2 with dad.", "5 Linden Grove, Flat 2", "address"),
    (
        "Address in Poland: ul. Mickiewicza 14/3, 30-059 Kraków.",
        "ul. Mickiewicza 14/3, 30-059 Kraków",
        "address",
    ),
    ("Ground floor flat, 22 Oxford Road", "Ground floor flat, 22 Oxford Road", "address"),
    ("lives at The Old Forge, 2 Mill Lane", "The Old Forge, 2 Mill Lane", "address"),
    ("Room 12, Abbey Hostel, Leeds", "Room 12, Abbey Hostel, Leeds", "address"),
    ("she lives on primrose hill with her nan", "primrose hill", "address"),
    # identifiers
    ("NI number AB 12 34 56 C on file", "AB 12 34 56 C", "reference"),
    ("DOB 14 Feb 11, lives with mum", "14 Feb 11", "dob"),
    ("email kerry.smith at example dot com", "kerry.smith at example dot com", "email"),
    # schools
    ("He attends Harris Academy Peckham.", "Harris Academy Peckham", "school"),
    ("goes to holy trinity c of e primary", "holy trinity c of e primary", "school"),
    ("he's at kingsmead secondary school", "kingsmead secondary school", "school"),
    ("She is a student at Leeds City College.", "Leeds City College", "school"),
    ("attends Bolton Sixth Form College", "Bolton Sixth Form College", "school"),
    (
        "transferring to Abbey Hill Academy & Sixth Form",
        "Abbey Hill Academy & Sixth Form",
        "school",
    ),
    ("he moved to Greenway Junior in May", "Greenway Junior", "school"),
    ("School: Hillcrest\nYear: 4", "Hillcrest", "school"),
    ("HE ATTENDS OAKFIELD PRIMARY SCHOOL IN YEAR 5", "OAKFIELD PRIMARY SCHOOL", "school"),
    ("ATTENDS ST JOSEPH'S RC PRIMARY", "ST JOSEPH'S RC PRIMARY", "school"),
    ("He is in Y5 at Oakfield Primary school.", "Oakfield Primary school", "school"),
    ("She attends Oakfield primary.", "Oakfield primary", "school"),
    ("he attends St Mary's.", "St Mary's", "school"),
    ("her school (Brookfield) said he was late", "Brookfield", "school"),
    # street words abbreviated, a flat abroad, an address's far end, a house number after
    # a reference word
    ("Family moved to 41 Larch Terr last week.", "41 Larch Terr", "address"),
    ("nan lives at 6 birch gr now", "6 birch gr", "address"),
    ("Staying at Pitch 4, 19 Moor Lane with an aunt.", "Pitch 4, 19 Moor Lane", "address"),
    (
        "Aunt in Vilnius: Gedimino pr. 12-3, Vilnius, LT-01103.",
        "Gedimino pr. 12-3, Vilnius, LT-01103",
        "address",
    ),
    ("dad now at ul. Polna 7 m. 2, Poznań, 60-535.", "ul. Polna 7 m. 2, Poznań, 60-535", "address"),
    (
        "father's address 88 Oak Street, Dayton, OH 45402.",
        "88 Oak Street, Dayton, OH 45402",
        "address",
    ),
    ("Scene of incident: 31 Fern Close, Rotherham.", "31 Fern Close, Rotherham", "address"),
    # identifiers in further forms
    ("NI no QQ 98 76 54 A held on file.", "QQ 98 76 54 A", "reference"),
    ("Twins Ava (401 023 9417) and Zac seen.", "401 023 9417", "nhs_number"),
    ("STORM LOG 0415 OF 02/02/2025 REFERS.", "0415 OF 02/02/2025", "reference"),
    ("Custody record CD-0033-25-0912 opened.", "CD-0033-25-0912", "reference"),
    ("Avon and Somerset 52240311876 refers.", "52240311876", "reference"),
    ("licence no BROWN812045JD7AB on the vehicle", "BROWN812045JD7AB", "reference"),
    ("our log ref is kt-0441 if you need it", "kt-0441", "reference"),
    ("incident 0722 of 3rd April, dad arrested", "0722 of 3rd April", "reference"),
    (
        "mum says write to sam dot reid at example dot com",
        "sam dot reid at example dot com",
        "email",
    ),
    ("CHILD: AMIR HUSSAIN, BORN 09 APR 2015.", "09 APR 2015", "dob"),
    ("dob 04 11 2016, lives with dad", "04 11 2016", "dob"),
    # user names by their shape or after a cue, in a list
    ("messages from 'tyler.jm.04' overnight", "tyler.jm.04", "handle"),
    ("usernames BigLad2007 and SkyBlue99", "BigLad2007", "handle"),
    ("Logins 09PATELR and 09JONESK were used.", "09JONESK", "handle"),
    # schools after an age, children's centres, compass words, a lower-case field
    ("Reece Bell, 13, Oakwood Academy.", "Oakwood Academy", "school"),
    ("Staff at Hartley Children's Centre rang.", "Hartley Children's Centre", "school"),
    ("She is in Y8 at South Vale Community College.", "South Vale Community College", "school"),
    ("a St Anne's school jumper was seen", "St Anne's", "school"),
    ("name: kian\nschool: brackenfield primary\nyear: 3", "brackenfield primary", "school"),
    # names given away by quotes, cues and sign-offs
    ("he calls himself 'Bosko' online", "Bosko", "name"),
    ("a man known as 'Smudge' collects her", "Smudge", "name"),
    ("Will call back after the strategy meeting. RK", "RK", "name"),
    ("mum kayla booth rang twice", "kayla booth", "name"),
]


@pytest.mark.parametrize(("text", "piece", "kind"), FOUND)
def test_each_form_is_found_with_its_exact_span(text: str, piece: str, kind: str) -> None:
    assert _pieces(text).get(piece) == kind


def test_two_schools_joined_by_and_stay_two() -> None:
    text = "Kids go to Park View School and Park View Nursery."
    assert _pieces(text) == {"Park View School": "school", "Park View Nursery": "school"}


@pytest.mark.parametrize(
    "text",
    [
        "Her sister rose early and her dad will drive them.",
        "Mother metioned she is thinking of moving house.",
        "A call from a neighbour, IP mum, says the children are alone.",
        "thanks lol see you tmrw",
        "She went to 3 different parks and took 2 buses down the road.",
        "At 5 am she left; she goes to the local primary school.",
        "Her sister attends our feeder secondary.",
        "DA HIGH RISK - MARAC referral made.",
        "He attends Sunday school and a youth club.",
        "Yesterday, 14 officers attended; we went up primrose hill.",
        "On 3 May 24 officers attended; I looked at school dot com.",
        "The family moved from Lyon to France and back.",
        "Her dog called 'Snow' bit the postman.",
        "Ward 7 staff said the CP medical is booked.",
        "Seen 3 times since 2019; 1250 pounds owed; s.47 on 12/03.",
    ],
)
def test_words_that_only_look_like_personal_data_are_left_alone(text: str) -> None:
    assert _pieces(text) == {}


def test_a_verb_after_a_name_is_no_family_name() -> None:
    assert _pieces("He attends the Academy. Jayden said he was hit.") == {"Jayden": "name"}


def test_a_given_name_before_an_address_stays_a_name() -> None:
    assert _pieces("Jayden, 14 Mill Lane") == {"Jayden": "name", "14 Mill Lane": "address"}


def test_a_name_before_a_school_word_stays_a_name() -> None:
    assert _pieces("She went to Jayden's school party.") == {"Jayden": "name"}


def test_a_child_named_after_a_setting_label_is_a_name() -> None:
    assert _pieces("Nursery: Amira (4) has not been collected.") == {"Amira": "name"}


def test_public_name_lists_hold_no_english_word_and_no_short_name() -> None:
    lex = get_lexicon()
    public = lex.public_surnames | (lex.first_names - _own("first_names.txt"))
    assert len(public) > 20_000
    assert not public & lex.english
    assert min(len(n) for n in public) >= 4


def _own(name: str) -> frozenset[str]:
    from training.text.redact.lexicon import read_pattern_file

    return frozenset(
        line.strip().lower()
        for line in read_pattern_file(name).splitlines()
        if line.strip() and not line.startswith("#")
    )
