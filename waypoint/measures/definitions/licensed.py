"""Licensed packs: off unless a Trust names its licence (see `licences.py`).

Only what may be shipped is here: short scale names, answer anchors and scoring rules. The full
item text belongs to the copyright holders; a Trust that holds a licence may load it from its own
file (WAYPOINT_MEASURE_ITEM_TEXT). Never add licensed item text to this repository.
"""

HONOS_ANCHORS = [
    (0, "No problem"),
    (1, "Minor problem requiring no action"),
    (2, "Mild problem but definitely present"),
    (3, "Moderately severe problem"),
    (4, "Severe to very severe problem"),
    (9, "Not known"),
]

# Scale 8 asks which kind of problem it is (A to J; J "other" needs words).
HONOS_PROBLEM_TYPES = [
    ("A", "Phobic"),
    ("B", "Anxiety"),
    ("C", "Obsessive-compulsive"),
    ("D", "Mental strain or tension"),
    ("E", "Dissociative"),
    ("F", "Somatoform"),
    ("G", "Eating"),
    ("H", "Sleep"),
    ("I", "Sexual"),
    ("J", "Other"),
]

# SNOMED CT item codes for HoNOS run 979641000000103 ... 979751000000109 (domain.md section 5;
# there is no total code). PARTIAL: only the first and last are given there.
HONOS = {
    "code": "honos",
    "name": "HoNOS",
    "title": "Health of the Nation Outcome Scales (HoNOS)",
    "licence": "honos",
    "attribution": "HoNOS © Royal College of Psychiatrists. Used under the Trust's licence.",
    "stem": "Rate each scale for the worst the problem has been in the period rated.",
    "options": HONOS_ANCHORS,
    "not_known": 9,
    "items": [
        {
            "key": "1",
            "short": "Overactive, aggressive, disruptive or agitated behaviour",
            "subscale": "behaviour",
            "snomed": "979641000000103",
        },
        {"key": "2", "short": "Non-accidental self-injury", "subscale": "behaviour"},
        {"key": "3", "short": "Problem drinking or drug-taking", "subscale": "behaviour"},
        {"key": "4", "short": "Cognitive problems", "subscale": "impairment"},
        {"key": "5", "short": "Physical illness or disability problems", "subscale": "impairment"},
        {
            "key": "6",
            "short": "Problems associated with hallucinations and delusions",
            "subscale": "symptoms",
        },
        {"key": "7", "short": "Problems with depressed mood", "subscale": "symptoms"},
        {
            "key": "8",
            "short": "Other mental and behavioural problems",
            "subscale": "symptoms",
            "needs_problem_type": True,
        },
        {"key": "9", "short": "Problems with relationships", "subscale": "social"},
        {"key": "10", "short": "Problems with activities of daily living", "subscale": "social"},
        {"key": "11", "short": "Problems with living conditions", "subscale": "social"},
        {
            "key": "12",
            "short": "Problems with occupation and activities",
            "subscale": "social",
            "snomed": "979751000000109",
        },
    ],
    "method": "sum",
    "max_missing": 12,  # "not known" (9) is excluded from the total, which is the sum of the rated scales
    "subscales": [
        ("behaviour", "Behaviour (scales 1-3)", "sum"),
        ("impairment", "Impairment (scales 4-5)", "sum"),
        ("symptoms", "Symptoms (scales 6-8)", "sum"),
        ("social", "Social (scales 9-12)", "sum"),
    ],
    "prorate": False,
    "range": (0, 48),
    "higher_is_better": False,
    "reliable_change": 8,
}

REQOL_OPTIONS = [(0, "0"), (1, "1"), (2, "2"), (3, "3"), (4, "4")]

REQOL10 = {
    "code": "reqol10",
    "name": "ReQoL-10",
    "title": "Recovering Quality of Life (ReQoL-10)",
    "snomed": "1091071000000100",
    "licence": "reqol",
    "attribution": "ReQoL © Oxford University Innovation. Used under the Trust's licence.",
    "stem": "Each item is entered as its score from 0 to 4 (the Trust's item text file gives the wording and "
    "which items are reverse-scored).",
    "options": REQOL_OPTIONS,
    "items": [{"key": str(n), "short": f"ReQoL-10 item {n}"} for n in range(1, 11)],
    "method": "sum",
    "range": (0, 40),
    "higher_is_better": True,
    "cutoff": 25,
    "cutoff_label": "below 25: clinical range",
    "reliable_change": 5,
}

SWEMWBS_OPTIONS = [
    (1, "None of the time"),
    (2, "Rarely"),
    (3, "Some of the time"),
    (4, "Often"),
    (5, "All of the time"),
]

# Raw total (7-35) to metric score, from the published SWEMWBS conversion table (Rasch model).
SWEMWBS_METRIC = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75",
    14: "15.32", 15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59",
    21: "19.25", 22: "19.98", 23: "20.73", 24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11",
    28: "25.03", 29: "26.02", 30: "27.03", 31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55",
    35: "35.00",
}  # fmt: skip

SWEMWBS = {
    "code": "swemwbs",
    "name": "SWEMWBS",
    "title": "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    "snomed": "718466001",
    "licence": "swemwbs",
    "attribution": "SWEMWBS © University of Warwick, NHS Health Scotland and the University of Edinburgh. "
    "Used under the Trust's licence.",
    "stem": "Below are some statements about feelings and thoughts. Tick the box that best describes your "
    "experience of each over the last 2 weeks.",
    "options": SWEMWBS_OPTIONS,
    "items": [
        {"key": "1", "short": "Optimistic about the future"},
        {"key": "2", "short": "Feeling useful"},
        {"key": "3", "short": "Feeling relaxed"},
        {"key": "4", "short": "Dealing with problems well"},
        {"key": "5", "short": "Thinking clearly"},
        {"key": "6", "short": "Feeling close to other people"},
        {"key": "7", "short": "Able to make up my own mind"},
    ],
    "method": "sum",
    "conversion": SWEMWBS_METRIC,
    "range": (7, 35),
    "higher_is_better": True,
    "reliable_change": 3,
    "decimals": 2,
}

# Pack name (as named in WAYPOINT_MEASURE_LICENCES) -> the measures it switches on.
PACKS = {"honos": [HONOS], "reqol": [REQOL10], "swemwbs": [SWEMWBS]}
