"""Plainly fake, deterministic people for the demo Trust. No real patient data anywhere.

Names pair ordinary first names with obviously invented family names; NHS numbers come from the
999 test range (Modulus 11 valid); postcodes use the NHS pseudo-postcode prefix ZZ99; phone
numbers use Ofcom's drama ranges (07700 900xxx, 0113 496 0xxx); emails use example.com; GP
practices have made-up "Y9" ODS codes. Everything is drawn from one `random.Random(seed)`, so the
same seed gives the same Trust.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from waypoint.patients.models import (
    AccommodationStatus,
    Alert,
    CarerAssessmentStatus,
    CarerConsent,
    EmploymentStatus,
    EthnicCategory,
    GenderIdentity,
    Sex,
)
from waypoint.patients.nhs_number import check_digit

TOWN = "Testville"
LOCAL_ID_PREFIX = "WP"

# Ordinary first names; those with a usual short form can have it as their preferred name.
NICKNAMES = {
    "Alexandra": "Alex",
    "Samuel": "Sam",
    "Mohammed": "Mo",
    "Oliver": "Ollie",
    "Daniel": "Dan",
    "Katherine": "Kate",
    "Thomas": "Tom",
    "Elizabeth": "Beth",
    "Christopher": "Chris",
    "Rebecca": "Becky",
    "Abigail": "Abi",
    "Nicholas": "Nick",
    "Victoria": "Vicky",
    "Jonathan": "Jon",
}
GIVEN_NAMES = [
    *NICKNAMES,
    "Jordan",
    "Priya",
    "Aisha",
    "Tomasz",
    "Grace",
    "Amelia",
    "Chidi",
    "Ngozi",
    "Liam",
    "Sophie",
    "Rhys",
    "Megan",
    "Kwame",
    "Fatima",
    "Hannah",
    "Wei",
    "Mei",
    "Jack",
    "Ella",
    "Arjun",
    "Zara",
    "Connor",
    "Niamh",
    "Yusuf",
    "Leah",
    "Agnieszka",
    "Imran",
    "Bethan",
]
# A carer's first name fits the relationship ("Mother" is not called Daniel), so the pages' "she"
# and "he" agree with it; a partner, friend or neighbour can have any name.
FEMALE_NAMES = [
    "Alexandra", "Katherine", "Elizabeth", "Rebecca", "Abigail", "Victoria", "Priya", "Aisha",
    "Grace", "Amelia", "Ngozi", "Sophie", "Megan", "Fatima", "Hannah", "Mei", "Ella", "Zara",
    "Niamh", "Leah", "Agnieszka", "Bethan",
]  # fmt: skip
MALE_NAMES = [
    "Samuel", "Mohammed", "Oliver", "Daniel", "Thomas", "Christopher", "Nicholas", "Jonathan",
    "Tomasz", "Chidi", "Liam", "Rhys", "Kwame", "Jack", "Arjun", "Connor", "Yusuf", "Imran",
]  # fmt: skip
FEMALE_RELATIONSHIPS = {"Mother", "Wife", "Sister", "Daughter"}
MALE_RELATIONSHIPS = {"Father", "Husband", "Brother", "Son"}
# Obviously invented: nobody should mistake a demo record for a real person.
FAMILY_NAMES = [
    "Testperson",
    "Sampleton",
    "Fakeworth",
    "Demoson",
    "Mockridge",
    "Placeholder",
    "Dummett",
    "Exampleby",
    "Fictionale",
    "Specimen",
    "Madeupson",
    "Notreal",
    "Synthetica",
    "Imaginary",
    "Pretendle",
    "Testwood",
    "Fauxley",
    "Trialson",
    "Pilotti",
    "Prototyp",
    "Sandboxe",
    "Stubbins",
    "Fixtureby",
    "Mockington",
    "Testerton",
    "Shamwell",
    "Simulacra",
    "Testalot",
    "Pseudonym",
    "Ersatz",
    "Fabricant",
    "Dummyson",
    "Samplewell",
    "Demoworth",
    "Mockford",
    "Testbury",
    "Exemplar",
    "Inventa",
    "Notarealname",
    "Fakenham-Test",
]
STREETS = [
    "Test Street",
    "Sample Road",
    "Demo Avenue",
    "Example Close",
    "Placeholder Lane",
    "Mock Terrace",
    "Fixture Way",
    "Dummy Crescent",
    "Prototype Gardens",
    "Specimen Row",
]
# Inward-code letters (the NHS and Royal Mail never use C, I, K, M, O or V there). The last letter
# is never Z, so no generated postcode is one of the real ZZ99 pseudo-postcodes (ZZ99 3VZ etc.).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXY"
NO_FIXED_ABODE_POSTCODE = "ZZ99 3VZ"  # the NHS pseudo-postcode for "no fixed abode"

PRACTICES = [
    ("Y90001", "Testville Medical Centre"),
    ("Y90002", "Sampleton Health Centre"),
    ("Y90003", "Demo Road Surgery"),
    ("Y90004", "Example Park Practice"),
    ("Y90005", "Mockridge Family Doctors"),
    ("Y90006", "Placeholder Lane Surgery"),
    ("Y90007", "Fakeworth Group Practice"),
    ("Y90008", "Notreal Street Medical Practice"),
    ("Y90009", "Synthetica Health Partnership"),
    ("Y90010", "Testwood Surgery"),
    ("Y90011", "Trialson Medical Group"),
    ("Y90012", "Stubbins Lane Practice"),
]

ALERTS = [
    (Alert.Category.STAFF_SAFETY, "Do not visit alone"),
    (Alert.Category.STAFF_SAFETY, "Dog at the property – ask for it to be shut away"),
    (Alert.Category.COMMUNICATION, "Speaks Polish – book an interpreter"),
    (Alert.Category.COMMUNICATION, "Deaf – uses British Sign Language"),
]
ALERT_RATE = 0.05

# Languages other than English: (language, needs an interpreter)
LANGUAGES = [
    ("Polish", True),
    ("Urdu", True),
    ("Bengali", True),
    ("Arabic", True),
    ("Romanian", True),
    ("Punjabi", False),
    ("Portuguese", False),
    ("Somali", True),
]
COMMUNICATION_NEEDS = [
    "Letters in large print (18 point), please",
    "Easy Read letters, please; explain them at the next visit",
    "Prefers a phone call to a letter: finds reading difficult",
    "Blind: send information by email so a screen reader can read it",
    "Hard of hearing: face them when speaking, no background noise",
]
RELIGIONS = ["", "", "", "Christian", "Muslim", "Hindu", "Sikh", "Jewish", "Buddhist", "No religion"]

FAMILY_RELATIONSHIPS = [
    "Mother",
    "Father",
    "Partner",
    "Wife",
    "Husband",
    "Sister",
    "Brother",
    "Daughter",
    "Son",
]
OTHER_RELATIONSHIPS = ["Friend", "Neighbour"]
CONSENT_NOTES = {
    CarerConsent.CRISIS_ONLY: "Happy for them to know about appointments and the crisis plan, not medication",
    CarerConsent.NOTHING: "Asked us to check with them first every time",
    CarerConsent.EVERYTHING: "",
    CarerConsent.NOT_ASKED: "",
}

# Weights give a plausible mix while every choice still turns up in a Trust of a few hundred.
SEX_WEIGHTS = {Sex.MALE: 485, Sex.FEMALE: 490, Sex.INDETERMINATE: 5, Sex.NOT_KNOWN: 20}
ETHNICITY_WEIGHTS = {
    EthnicCategory.WHITE_BRITISH: 680,
    EthnicCategory.WHITE_IRISH: 20,
    EthnicCategory.WHITE_OTHER: 60,
    EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN: 15,
    EthnicCategory.MIXED_WHITE_BLACK_AFRICAN: 8,
    EthnicCategory.MIXED_WHITE_ASIAN: 12,
    EthnicCategory.MIXED_OTHER: 10,
    EthnicCategory.ASIAN_INDIAN: 30,
    EthnicCategory.ASIAN_PAKISTANI: 30,
    EthnicCategory.ASIAN_BANGLADESHI: 12,
    EthnicCategory.ASIAN_OTHER: 15,
    EthnicCategory.BLACK_CARIBBEAN: 15,
    EthnicCategory.BLACK_AFRICAN: 25,
    EthnicCategory.BLACK_OTHER: 6,
    EthnicCategory.CHINESE: 8,
    EthnicCategory.OTHER: 15,
    EthnicCategory.NOT_STATED: 20,
    EthnicCategory.NOT_KNOWN: 10,
}
ACCOMMODATION_WEIGHTS = {
    AccommodationStatus.OWNER_OCCUPIER: 18,
    AccommodationStatus.SOCIAL_TENANT: 30,
    AccommodationStatus.PRIVATE_TENANT: 14,
    AccommodationStatus.WITH_FAMILY: 16,
    AccommodationStatus.SUPPORTED: 8,
    AccommodationStatus.TEMPORARY: 4,
    AccommodationStatus.HOMELESS: 2,
    AccommodationStatus.OTHER: 2,
    AccommodationStatus.NOT_KNOWN: 6,
}
EMPLOYMENT_WEIGHTS = {
    EmploymentStatus.EMPLOYED: 18,
    EmploymentStatus.UNEMPLOYED: 14,
    EmploymentStatus.STUDENT: 4,
    EmploymentStatus.LONG_TERM_SICK: 30,
    EmploymentStatus.HOMEMAKER: 5,
    EmploymentStatus.NOT_WORKING: 10,
    EmploymentStatus.VOLUNTEER: 4,
    EmploymentStatus.RETIRED: 3,
    EmploymentStatus.NOT_STATED: 5,
}
CONSENT_WEIGHTS = {
    CarerConsent.EVERYTHING: 40,
    CarerConsent.CRISIS_ONLY: 25,
    CarerConsent.NOTHING: 10,
    CarerConsent.NOT_ASKED: 25,
}
ASSESSMENT_WEIGHTS = {
    CarerAssessmentStatus.NOT_OFFERED: 30,
    CarerAssessmentStatus.OFFERED: 25,
    CarerAssessmentStatus.DECLINED: 15,
    CarerAssessmentStatus.COMPLETED: 30,
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (28 February when that year has no 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# NHS numbers ----------------------------------------------------------------------------------


def nhs_number_sequence(start: int = 0, exclude=frozenset()):
    """Modulus 11 valid NHS numbers in the 999 test range, in sequence order from `start`.

    Nine-digit stems 999000000-999999999 whose check digit would be 10 are skipped, as are any
    numbers in `exclude` (those already in the database). About 909,000 numbers in all.
    """
    for candidate in range(start, 1_000_000):
        stem = f"999{candidate:06d}"
        digit = check_digit(stem)
        if digit is None:
            continue
        number = f"{stem}{digit}"
        if number not in exclude:
            yield number


def nhs_numbers(count: int, start: int = 0, exclude=frozenset()) -> list[str]:
    """`count` distinct valid test NHS numbers, or ValueError if the test range runs out."""
    numbers = []
    for number in nhs_number_sequence(start, exclude):
        if len(numbers) == count:
            break
        numbers.append(number)
    if len(numbers) < count:
        raise ValueError(f"the 999 test range has only {len(numbers)} unused NHS numbers left")
    return numbers


def local_id(sequence: int) -> str:
    return f"{LOCAL_ID_PREFIX}{sequence:07d}"


# Contact details ------------------------------------------------------------------------------


def mobile(rng: random.Random) -> str:
    return f"07700 900{rng.randint(0, 999):03d}"


def postcode(rng: random.Random) -> str:
    return f"ZZ99 {rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"


def street_address(rng: random.Random) -> str:
    house = f"{rng.randint(1, 199)} {rng.choice(STREETS)}, {TOWN}"
    if rng.random() < 0.25:
        return f"Flat {rng.randint(1, 24)}, {house}"
    return house


def practice_fields(index: int, ods_code: str, name: str) -> dict:
    """A GP practice with an address, postcode and phone number (Ofcom's drama range for Leeds)."""
    rng = random.Random(ods_code)
    return {
        "ods_code": ods_code,
        "name": name,
        "address": f"{rng.randint(1, 80)} {STREETS[index % len(STREETS)]}, {TOWN}",
        "postcode": postcode(rng),
        "phone": f"0113 496 0{index:03d}",
    }


# People ---------------------------------------------------------------------------------------


@dataclass
class SyntheticPerson:
    """One fake person: fields for `Person`, their carers' fields and their alerts."""

    fields: dict
    carers: list[dict] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)


def _gender_identity(rng: random.Random, sex: str) -> str:
    roll = rng.random()
    if roll < 0.010:
        return GenderIdentity.NON_BINARY
    if roll < 0.014:
        return GenderIdentity.OTHER
    if roll < 0.030:
        return GenderIdentity.NOT_STATED
    if roll < 0.040:
        return GenderIdentity.NOT_KNOWN
    if roll < 0.046 and sex in (Sex.MALE, Sex.FEMALE):  # a trans man or trans woman
        return GenderIdentity.FEMALE if sex == Sex.MALE else GenderIdentity.MALE
    return {Sex.MALE: GenderIdentity.MALE, Sex.FEMALE: GenderIdentity.FEMALE}.get(
        sex, GenderIdentity.NOT_KNOWN
    )


def person(rng: random.Random, *, nhs_number: str, local_id: str, today: date) -> SyntheticPerson:
    """A plainly fake adult aged 18 to 90 on `today`."""
    given = rng.choice(GIVEN_NAMES)
    family = rng.choice(FAMILY_NAMES)
    oldest = years_before(today, 91) + timedelta(days=1)  # 90 until the day before their 91st
    youngest = years_before(today, 18)
    born = oldest + timedelta(days=rng.randint(0, (youngest - oldest).days))
    age = age_on(born, today)
    sex = _pick(rng, SEX_WEIGHTS)

    preferred = ""
    if given in NICKNAMES and rng.random() < 0.5:
        preferred = NICKNAMES[given]
    elif rng.random() < 0.02:
        preferred = rng.choice([name for name in GIVEN_NAMES if name != given])

    accommodation = _pick(rng, ACCOMMODATION_WEIGHTS)
    if accommodation == AccommodationStatus.HOMELESS:
        address, code = "No fixed abode", NO_FIXED_ABODE_POSTCODE
    else:
        address, code = street_address(rng), postcode(rng)
    employment = _pick(rng, EMPLOYMENT_WEIGHTS)
    if age >= 67 and rng.random() < 0.8:
        employment = EmploymentStatus.RETIRED

    language, interpreter = "English", False
    if rng.random() < 0.06:
        language, interpreter = rng.choice(LANGUAGES)
    communication = rng.choice(COMMUNICATION_NEEDS) if rng.random() < 0.05 else ""

    alerts = []
    if rng.random() < ALERT_RATE:
        category, summary = rng.choice(ALERTS)
        alerts.append((category, summary))
        if summary.startswith("Speaks Polish"):
            language, interpreter = "Polish", True
        elif summary.startswith("Deaf"):
            language, interpreter = "British Sign Language", True
            communication = "Deaf: uses British Sign Language; book a BSL interpreter for every contact"

    email = ""
    if rng.random() < 0.55:
        email = f"{given}.{family}.{local_id[-4:]}@example.com".lower()

    fields = {
        "nhs_number": nhs_number,
        "local_id": local_id,
        "given_name": given,
        "family_name": family,
        "preferred_name": preferred,
        "date_of_birth": born,
        "sex": sex,
        "gender_identity": _gender_identity(rng, sex),
        "ethnicity": _pick(rng, ETHNICITY_WEIGHTS),
        "address": address,
        "postcode": code,
        "phone": mobile(rng) if rng.random() < 0.93 else "",
        "email": email,
        "preferred_language": language,
        "interpreter_needed": interpreter,
        "communication_needs": communication,
        "accommodation_status": accommodation,
        "employment_status": employment,
        "religion": rng.choice(RELIGIONS),
    }
    carers = carers_for(rng, fields, today)
    return SyntheticPerson(fields=fields, carers=carers, alerts=alerts)


def carer_name(drawn: str, family: str, relationship: str, taken: set[str]) -> str:
    """A carer's full name: the drawn first name if it fits the relationship, else one that does
    (chosen from the drawn one, so a seed still gives the same Trust), never a name already used by
    the person or their other carer (issue 18, item 12: the demo's carers had the same names)."""
    if relationship in FEMALE_RELATIONSHIPS:
        names = FEMALE_NAMES
    elif relationship in MALE_RELATIONSHIPS:
        names = MALE_NAMES
    else:
        names = GIVEN_NAMES
    start = names.index(drawn) if drawn in names else GIVEN_NAMES.index(drawn) % len(names)
    for step in range(len(names)):
        name = f"{names[(start + step) % len(names)]} {family}"
        if name not in taken:
            return name
    return f"{names[start]} {family}-{len(taken)}"  # not reached: two carers at most


def carers_for(rng: random.Random, person_fields: dict, today: date) -> list[dict]:
    """Nought to two carers, relatives or friends; at most one is the nearest relative."""
    count = rng.choices([0, 1, 2], weights=[35, 45, 20])[0]
    carers, has_nearest_relative = [], False
    taken = {f"{person_fields['given_name']} {person_fields['family_name']}"}
    for _ in range(count):
        relative = rng.random() < 0.8
        relationship = rng.choice(FAMILY_RELATIONSHIPS if relative else OTHER_RELATIONSHIPS)
        family = person_fields["family_name"] if relative and rng.random() < 0.8 else rng.choice(FAMILY_NAMES)
        is_carer = rng.random() < 0.75
        nearest = relative and not has_nearest_relative and rng.random() < 0.6
        has_nearest_relative = has_nearest_relative or nearest
        consent = _pick(rng, CONSENT_WEIGHTS)
        lives_together = relationship in ("Partner", "Wife", "Husband") or rng.random() < 0.2
        name = carer_name(rng.choice(GIVEN_NAMES), family, relationship, taken)
        taken.add(name)
        carers.append(
            {
                "name": name,
                "relationship": relationship,
                "phone": mobile(rng),
                "email": f"carer.{family}.{rng.randint(100, 999)}@example.com".lower()
                if rng.random() < 0.4
                else "",
                "address": person_fields["address"] if lives_together else street_address(rng),
                "is_carer": is_carer,
                "is_nearest_relative": nearest,
                "consent_to_share": consent,
                "consent_notes": CONSENT_NOTES[consent] if rng.random() < 0.5 else "",
                "consent_recorded_on": None
                if consent == CarerConsent.NOT_ASKED
                else today - timedelta(days=rng.randint(1, 700)),
                "carer_assessment": _pick(rng, ASSESSMENT_WEIGHTS)
                if is_carer
                else CarerAssessmentStatus.NOT_OFFERED,
            }
        )
    return carers
