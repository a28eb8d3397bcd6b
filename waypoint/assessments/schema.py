"""The questions of each kind of assessment: one definition drives the form, the page and the copy.

A question's answer is stored under its `name` in `Assessment.answers` (dates as ISO strings,
checkboxes as lists). Questions marked `to_complete` must be answered before the assessment can
be completed; a draft can be saved with gaps. There are no scores anywhere.
"""

from dataclasses import dataclass, field

from .models import Kind

YES_NO = [("yes", "Yes"), ("no", "No")]
ABLE_UNABLE = [("able", "Able"), ("unable", "Unable")]


@dataclass(frozen=True)
class Question:
    name: str
    label: str
    type: str = "long"  # long, text, yesno, choice, checkboxes, date
    choices: list = field(default_factory=list)
    to_complete: bool = False
    inline: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    questions: list
    intro: str = ""
    key: str = ""


# -- Initial assessment ------------------------------------------------------------------------

INITIAL = [
    Section(
        "About the assessment",
        [],
        intro="Offered to everyone newly referred. Risk history and current concerns belong in the "
        "person's risk formulation, not in this assessment.",
        key="about",
    ),
    Section(
        "What brings the person to us",
        [
            Question(
                "presenting_needs",
                "Presenting needs",
                hint="In the person's own words where you can",
                to_complete=True,
            ),
            Question(
                "history", "History", hint="Mental health, physical health, personal and social history"
            ),
            Question(
                "mental_state",
                "Mental state",
                hint="Appearance and behaviour, speech, mood, thoughts, perception, cognition, insight",
                to_complete=True,
            ),
        ],
    ),
    Section(
        "Carers",
        [
            Question("carers_identified", "Does anyone care for the person?", "yesno", YES_NO, True, True),
            Question(
                "carers_notes",
                "Who cares for them, and how",
                hint="Add each carer to the person's record so their carer's assessment can be offered",
            ),
        ],
    ),
    Section(
        "Outcome",
        [
            Question("outcome", "Outcome of the assessment", to_complete=True),
            Question("plan", "Plan", hint="What happens next, who does it, by when", to_complete=True),
        ],
    ),
]


# -- Holistic needs assessment -----------------------------------------------------------------

HOLISTIC_DOMAINS = [
    ("mental_health", "Mental health"),
    ("physical_health", "Physical health"),
    ("medication", "Medication"),
    ("substance_use", "Substance use"),
    ("accommodation", "Accommodation"),
    ("finances", "Finances and benefits"),
    ("employment", "Employment and education"),
    ("relationships", "Relationships and family"),
    ("daily_living", "Daily living"),
    ("identity", "Culture, spirituality and identity"),
    ("dependants", "Safety of children and dependants"),
    ("carers", "Carers"),
]

HOLISTIC = [
    Section(
        "About the assessment",
        [],
        intro="For each area, write what the person says, then whether you agreed a need with them.",
        key="about",
    ),
] + [
    Section(
        label,
        [
            Question(f"{key}_says", "What the person says"),
            Question(f"{key}_need", "Need identified?", "yesno", YES_NO, True, True),
            Question(f"{key}_notes", "Notes"),
        ],
        key=key,
    )
    for key, label in HOLISTIC_DOMAINS
]


# -- Carer's assessment (Care Act 2014 s10) ---------------------------------------------------

CARER_OUTCOMES = [
    ("child", "Caring for a child"),
    ("others", "Caring for other people"),
    ("home", "Maintaining a habitable home"),
    ("nutrition", "Managing and maintaining nutrition"),
    ("relationships", "Developing and maintaining family or other personal relationships"),
    ("work", "Engaging in work, training, education or volunteering"),
    ("facilities", "Making use of necessary facilities or services in the local community"),
    ("recreation", "Engaging in recreational activities"),
]

RESPONSES = [
    ("waiting", "Not answered yet"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
]

ELIGIBILITY = [("eligible", "Eligible for support"), ("not_eligible", "Not eligible for support")]

CARER = [
    Section(
        "The offer",
        [
            Question("offered_on", "Date the assessment was offered", "date", to_complete=True),
            Question("response", "Did the carer accept?", "choice", RESPONSES, True, True),
            Question("declined_on", "Date the carer declined", "date"),
        ],
        intro="Care Act 2014 section 10: every carer who appears to have needs for support must be "
        "offered an assessment, whatever the person's own needs.",
        key="offer",
    ),
    Section(
        "Caring now and in future",
        [
            Question(
                "ability",
                "Is the carer able to care, now and in future?",
                hint="What they do, and whether they are likely to be able to carry on",
                to_complete=True,
            ),
            Question(
                "willingness",
                "Is the carer willing to care, now and in future?",
                to_complete=True,
            ),
            Question(
                "wellbeing_impact",
                "Impact of caring on the carer's wellbeing",
                hint="Physical and mental health, emotional wellbeing, control over their own life",
                to_complete=True,
            ),
        ],
        key="caring",
    ),
    Section(
        "Outcomes",
        [
            Question(
                "outcomes_not_achieved",
                "Outcomes the carer cannot achieve because of caring",
                "checkboxes",
                CARER_OUTCOMES,
                hint="Select all that apply",
            ),
            Question("outcomes_notes", "About these outcomes"),
            Question(
                "desired_outcomes",
                "What the carer wants to achieve",
                hint="In their own words",
                to_complete=True,
            ),
        ],
        key="outcomes",
    ),
    Section(
        "Decision and support",
        [
            Question("eligibility", "Eligibility decision", "choice", ELIGIBILITY, True),
            Question("eligibility_reasons", "Reasons for the decision", to_complete=True),
            Question(
                "support_plan",
                "Support plan or signposting",
                hint="What support is agreed, or where the carer has been signposted",
                to_complete=True,
            ),
            Question("copy_given_on", "Date a copy was given to the carer", "date"),
        ],
        key="decision",
    ),
]


# -- Mental capacity assessment (MCA 2005) ----------------------------------------------------

FUNCTIONAL = [
    ("understand", "Understand the information relevant to the decision"),
    ("retain", "Retain that information"),
    ("weigh", "Use or weigh that information as part of making the decision"),
    ("communicate", "Communicate the decision (by any means)"),
]
FUNCTIONAL_EVIDENCE = {
    "understand": "Evidence about understanding",
    "retain": "Evidence about retaining",
    "weigh": "Evidence about using or weighing",
    "communicate": "Evidence about communicating",
}

CAPACITY = [
    Section(
        "The decision",
        [
            Question(
                "decision",
                "The specific decision",
                hint="Capacity is decided one decision at a time, for example 'whether to move to supported housing'",
                to_complete=True,
            ),
            Question(
                "support_steps",
                "Practicable steps taken to help the person make the decision",
                hint="For example: time of day, place, interpreter, easy-read information, someone they trust present",
                to_complete=True,
            ),
        ],
        intro="The person is presumed to have capacity unless it is shown that they lack it.",
        key="decision",
    ),
    Section(
        "Stage 1: impairment",
        [
            Question(
                "impairment",
                "Is there an impairment of, or a disturbance in the functioning of, the mind or brain?",
                "yesno",
                YES_NO,
                True,
                True,
            ),
            Question("impairment_evidence", "Evidence about the impairment", to_complete=True),
        ],
        key="stage1",
    ),
    Section(
        "Stage 2: can the person make the decision?",
        [
            q
            for key, label in FUNCTIONAL
            for q in (
                Question(key, label, "choice", ABLE_UNABLE, True, True),
                Question(f"{key}_evidence", FUNCTIONAL_EVIDENCE[key], to_complete=True),
            )
        ]
        + [
            Question(
                "because_of_impairment",
                "If the person is unable to do any of these, is that because of the impairment?",
                "choice",
                [("yes", "Yes"), ("no", "No"), ("not_applicable", "Not applicable: able to do all four")],
                inline=False,
            ),
        ],
        key="stage2",
    ),
]


SCHEMAS = {Kind.INITIAL: INITIAL, Kind.HOLISTIC: HOLISTIC, Kind.CARER: CARER, Kind.CAPACITY: CAPACITY}


def questions(kind):
    return [question for section in SCHEMAS[kind] for question in section.questions]


HAS_CAPACITY = "has_capacity"
LACKS_CAPACITY = "lacks_capacity"
CAPACITY_OUTCOME_LABELS = {
    HAS_CAPACITY: "Has capacity to make this decision",
    LACKS_CAPACITY: "Lacks capacity to make this decision",
    None: "Not yet decided: the person is presumed to have capacity",
}


def capacity_outcome(answers: dict):
    """The outcome that follows from the answers (MCA 2005 ss2-3), or None while it does not follow yet.

    Lacks capacity only if there is an impairment, the person is unable to do at least one of the
    four things, and that inability is because of the impairment. Otherwise, once answered, the
    person has capacity for this decision.
    """
    impairment = answers.get("impairment")
    functional = [answers.get(key) for key, _ in FUNCTIONAL]
    if impairment == "no":
        return HAS_CAPACITY
    if functional and all(answer == "able" for answer in functional):
        return HAS_CAPACITY
    if impairment == "yes" and "unable" in functional:
        causal = answers.get("because_of_impairment")
        if causal == "yes":
            return LACKS_CAPACITY
        if causal == "no":
            return HAS_CAPACITY
    return None
