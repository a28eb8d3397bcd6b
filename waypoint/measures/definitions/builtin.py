"""The measures every Trust may use without a licence of its own: PHQ-9, GAD-7, CORE-10, DIALOG
and Goal-Based Outcomes. Each is data: `definitions.build` reads it, `scoring.score` scores it.

Sources for the scoring rules (tests in tests/test_scoring.py follow them):
- PHQ-9: Kroenke, Spitzer & Williams 2001 (bands 5/10/15/20); NHS Talking Therapies manual
  (caseness 10 or more, reliable change 6). Item text free to use (Pfizer).
- GAD-7: Spitzer et al. 2006 (bands 5/10/15); NHS Talking Therapies (caseness 8 or more, reliable
  change 4). Item text free to use.
- CORE-10: Barkham et al. 2013 (clinical score = mean x 10, 0-40; one missing item prorated;
  cut-off 11; severity bands at 11/15/20/25; reliable change 6). Items 2 and 3 reverse-scored.
  Item text reproduced unaltered with the CORE System Trust's attribution (CC BY-NC-ND 4.0).
- DIALOG: Priebe et al. (11 items, 1-7); NHS England: quality of life = mean of the 8 life
  domains, treatment satisfaction = mean of the 3 treatment items, reliable change 1.
- Goal-Based Outcomes: Law & Jacob (CORC), CC BY-NC-SA; up to three goals rated 0-10;
  NHS England reliable change 3.
"""

PHQ_GAD_OPTIONS = [
    (0, "Not at all"),
    (1, "Several days"),
    (2, "More than half the days"),
    (3, "Nearly every day"),
]

PHQ9 = {
    "code": "phq9",
    "name": "PHQ-9",
    "title": "Patient Health Questionnaire (PHQ-9)",
    "snomed": "720433000",
    "licence": "free",
    "attribution": "PHQ-9 developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues. "
    "No permission is required to reproduce, translate, display or distribute.",
    "stem": "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    "options": PHQ_GAD_OPTIONS,
    "items": [
        {"key": "1", "short": "Interest or pleasure", "text": "Little interest or pleasure in doing things"},
        {"key": "2", "short": "Feeling down", "text": "Feeling down, depressed, or hopeless"},
        {"key": "3", "short": "Sleep", "text": "Trouble falling or staying asleep, or sleeping too much"},
        {"key": "4", "short": "Tiredness", "text": "Feeling tired or having little energy"},
        {"key": "5", "short": "Appetite", "text": "Poor appetite or overeating"},
        {
            "key": "6",
            "short": "Feeling bad about yourself",
            "text": "Feeling bad about yourself - or that you are a failure or have let yourself or your family down",
        },
        {
            "key": "7",
            "short": "Concentration",
            "text": "Trouble concentrating on things, such as reading the newspaper or watching television",
        },
        {
            "key": "8",
            "short": "Moving or speaking slowly, or restless",
            "text": "Moving or speaking so slowly that other people could have noticed? Or the opposite - being so "
            "fidgety or restless that you have been moving around a lot more than usual",
        },
        {
            "key": "9",
            "short": "Thoughts of being better off dead or of self-harm",
            "text": "Thoughts that you would be better off dead or of hurting yourself in some way",
            "safety": True,
        },
    ],
    "method": "sum",
    "range": (0, 27),
    "higher_is_better": False,
    "bands": [(0, "Minimal"), (5, "Mild"), (10, "Moderate"), (15, "Moderately severe"), (20, "Severe")],
    "cutoff": 10,
    "cutoff_label": "10 or more: clinical range",
    "reliable_change": 6,
    "item_text_is_short_name": False,
}

GAD7 = {
    "code": "gad7",
    "name": "GAD-7",
    "title": "Generalised Anxiety Disorder assessment (GAD-7)",
    "snomed": "445455005",
    "licence": "free",
    "attribution": "GAD-7 developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues. "
    "No permission is required to reproduce, translate, display or distribute.",
    "stem": "Over the last 2 weeks, how often have you been bothered by the following problems?",
    "options": PHQ_GAD_OPTIONS,
    "items": [
        {"key": "1", "short": "Nervous or on edge", "text": "Feeling nervous, anxious or on edge"},
        {"key": "2", "short": "Cannot stop worrying", "text": "Not being able to stop or control worrying"},
        {"key": "3", "short": "Worrying too much", "text": "Worrying too much about different things"},
        {"key": "4", "short": "Trouble relaxing", "text": "Trouble relaxing"},
        {"key": "5", "short": "Restless", "text": "Being so restless that it is hard to sit still"},
        {"key": "6", "short": "Annoyed or irritable", "text": "Becoming easily annoyed or irritable"},
        {"key": "7", "short": "Afraid", "text": "Feeling afraid as if something awful might happen"},
    ],
    "method": "sum",
    "range": (0, 21),
    "higher_is_better": False,
    "bands": [(0, "Minimal"), (5, "Mild"), (10, "Moderate"), (15, "Severe")],
    "cutoff": 8,
    "cutoff_label": "8 or more: clinical range",
    "reliable_change": 4,
    "item_text_is_short_name": False,
}

CORE10 = {
    "code": "core10",
    "name": "CORE-10",
    "title": "Clinical Outcomes in Routine Evaluation (CORE-10)",
    "snomed": "718583008",
    "licence": "free",
    "attribution": "CORE-10 © CORE System Trust, licensed under CC BY-NC-ND 4.0 "
    "(https://www.coresystemtrust.org.uk). Reproduced unaltered.",
    "stem": "This form has 10 statements about how you have been OVER THE LAST WEEK. Please read each "
    "statement and think how often you felt that way last week. Then tick the box which is closest to this.",
    "options": [
        (0, "Not at all"),
        (1, "Only occasionally"),
        (2, "Sometimes"),
        (3, "Often"),
        (4, "Most or all of the time"),
    ],
    "items": [
        {"key": "1", "short": "Tense, anxious or nervous", "text": "I have felt tense, anxious or nervous"},
        {
            "key": "2",
            "short": "Someone to turn to",
            "text": "I have felt I have someone to turn to for support when needed",
            "reverse": True,
        },
        {
            "key": "3",
            "short": "Able to cope",
            "text": "I have felt able to cope when things go wrong",
            "reverse": True,
        },
        {
            "key": "4",
            "short": "Talking to people too much",
            "text": "Talking to people has felt too much for me",
        },
        {"key": "5", "short": "Panic or terror", "text": "I have felt panic or terror"},
        {"key": "6", "short": "Plans to end my life", "text": "I made plans to end my life", "safety": True},
        {
            "key": "7",
            "short": "Sleep",
            "text": "I have had difficulty getting to sleep or staying asleep",
        },
        {"key": "8", "short": "Despairing or hopeless", "text": "I have felt despairing or hopeless"},
        {"key": "9", "short": "Unhappy", "text": "I have felt unhappy"},
        {
            "key": "10",
            "short": "Unwanted images or memories",
            "text": "Unwanted images or memories have been distressing me",
        },
    ],
    "method": "mean_x10",
    "max_missing": 1,
    "range": (0, 40),
    "higher_is_better": False,
    "bands": [
        (0, "Below the clinical range"),
        (11, "Mild"),
        (15, "Moderate"),
        (20, "Moderately severe"),
        (25, "Severe"),
    ],
    "cutoff": 11,
    "cutoff_label": "11 or more: clinical range",
    "reliable_change": 6,
    "decimals": 1,
    "item_text_is_short_name": False,
}

DIALOG_OPTIONS = [
    (1, "Totally dissatisfied"),
    (2, "Very dissatisfied"),
    (3, "Fairly dissatisfied"),
    (4, "In the middle"),
    (5, "Fairly satisfied"),
    (6, "Very satisfied"),
    (7, "Totally satisfied"),
]

# SNOMED CT item codes for DIALOG run 1037651000000100 ... 1037751000000109 (domain.md section 5).
# PARTIAL: only the first and last are given there; the nine between are not shipped until
# checked against the UK edition (an unchecked code would be wrong in MHSDS).
DIALOG = {
    "code": "dialog",
    "name": "DIALOG",
    "title": "DIALOG: satisfaction with life and treatment",
    "licence": "free",
    "attribution": "DIALOG scale (Priebe and colleagues, Queen Mary University of London), free to use.",
    "stem": "How satisfied are you with ...",
    "options": DIALOG_OPTIONS,
    "items": [
        {
            "key": "mental_health",
            "short": "Mental health",
            "subscale": "quality_of_life",
            "snomed": "1037651000000100",
        },
        {"key": "physical_health", "short": "Physical health", "subscale": "quality_of_life"},
        {"key": "job", "short": "Job situation", "subscale": "quality_of_life"},
        {"key": "accommodation", "short": "Accommodation", "subscale": "quality_of_life"},
        {"key": "leisure", "short": "Leisure activities", "subscale": "quality_of_life"},
        {"key": "family", "short": "Relationship with partner or family", "subscale": "quality_of_life"},
        {"key": "friendships", "short": "Friendships", "subscale": "quality_of_life"},
        {"key": "safety", "short": "Personal safety", "subscale": "quality_of_life"},
        {"key": "medication", "short": "Medication", "subscale": "treatment"},
        {"key": "practical_help", "short": "Practical help received", "subscale": "treatment"},
        {
            "key": "meetings",
            "short": "Meetings with mental health professionals",
            "subscale": "treatment",
            "snomed": "1037751000000109",
        },
    ],
    "method": "subscale:quality_of_life",  # the headline score is the quality of life mean
    "subscales": [
        ("quality_of_life", "Subjective quality of life", "mean"),
        ("treatment", "Treatment satisfaction", "mean"),
    ],
    "range": (1, 7),
    "higher_is_better": True,
    "reliable_change": 1,
    "decimals": 2,
}

GBO = {
    "code": "gbo",
    "name": "Goal-Based Outcomes",
    "title": "Goal-Based Outcomes (GBO)",
    "licence": "free",
    "attribution": "Goal-Based Outcomes (Law and Jacob, CORC), CC BY-NC-SA 4.0.",
    "stem": "How close are you to reaching each goal? 0 is not at all, 10 is goal reached.",
    "options": [(n, str(n)) for n in range(0, 11)],
    "items": [
        {"key": "goal_1", "short": "Goal 1"},
        {"key": "goal_2", "short": "Goal 2"},
        {"key": "goal_3", "short": "Goal 3"},
    ],
    "method": "mean",  # the mean of the goals rated (one, two or three)
    "max_missing": 2,
    "range": (0, 10),
    "higher_is_better": True,
    "reliable_change": 3,
    "decimals": 1,
}

BUILT_IN = [PHQ9, GAD7, CORE10, DIALOG, GBO]
