"""Issue 18, item 12: the demo's carers have distinct names and names that fit their relationship
(so "she" and "he" on the pages agree with "Mother" or "Son")."""

import random
from datetime import date

from waypoint.demo import synthetic


def _people(count=600):
    rng = random.Random("carers")
    numbers = synthetic.nhs_numbers(count, exclude=set())
    return [
        synthetic.person(rng, nhs_number=number, local_id=synthetic.local_id(i + 1), today=date(2026, 12, 2))
        for i, number in enumerate(numbers)
    ]


def test_each_persons_carers_have_distinct_names_not_the_persons_own():
    people = [one for one in _people() if one.carers]
    assert any(len(one.carers) == 2 for one in people)
    for one in people:
        names = [carer["name"] for carer in one.carers]
        assert len(set(names)) == len(names), names
        assert f"{one.fields['given_name']} {one.fields['family_name']}" not in names


def test_a_carers_first_name_fits_the_relationship():
    carers = [carer for one in _people() for carer in one.carers]
    mothers = [c for c in carers if c["relationship"] in synthetic.FEMALE_RELATIONSHIPS]
    fathers = [c for c in carers if c["relationship"] in synthetic.MALE_RELATIONSHIPS]
    assert mothers and fathers
    assert all(c["name"].split()[0] in synthetic.FEMALE_NAMES for c in mothers)
    assert all(c["name"].split()[0] in synthetic.MALE_NAMES for c in fathers)


def test_carer_name_steps_past_a_name_already_used():
    taken = {"Grace Testperson"}
    assert synthetic.carer_name("Grace", "Testperson", "Sister", taken) == "Amelia Testperson"
    assert synthetic.carer_name("Daniel", "Testperson", "Mother", set()).split()[0] in synthetic.FEMALE_NAMES


def test_the_name_lists_cover_every_given_name():
    assert set(synthetic.FEMALE_NAMES) | set(synthetic.MALE_NAMES) | {"Jordan", "Wei"} == set(
        synthetic.GIVEN_NAMES
    )
