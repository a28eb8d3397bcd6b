"""The form for one measure, built from its definition: one radio question per item."""

from django import forms

from waypoint.core.forms import DateField

from .definitions import Definition
from .definitions.licensed import HONOS_PROBLEM_TYPES
from .models import CompletedBy, Mode, Timing


def item_field_name(key: str) -> str:
    return f"item_{key}"


class MeasureForm(forms.Form):
    timing = forms.ChoiceField(
        label="When in the care is this?",
        choices=Timing.choices,
        error_messages={"required": "Select when in the care this is"},
        widget=forms.RadioSelect,
    )
    completed_on = DateField(label="Date completed", label_for_errors="Date completed", past_only=True)
    completed_by_who = forms.ChoiceField(
        label="Who completed it?",
        choices=CompletedBy.choices,
        error_messages={"required": "Select who completed it"},
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(
        label="How was it completed?",
        choices=[(value, label) for value, label in Mode.choices if value != Mode.SELF],
        error_messages={"required": "Select how it was completed"},
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, defn: Definition, replacing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.defn = defn
        self.replacing = replacing
        optional = defn.max_missing > 0
        for number, item in enumerate(defn.items, start=1):
            self.fields[item_field_name(item.key)] = forms.TypedChoiceField(
                label=f"{number}. {item.text}" if defn.code != "gbo" else item.short,
                choices=[
                    (str(o.value), f"{o.value}: {o.label}" if o.label != str(o.value) else o.label)
                    for o in item.options
                ],
                coerce=int,
                required=not optional,
                empty_value=None,
                error_messages={
                    "required": f"Select an answer to question {number}",
                    "invalid_choice": f"Select one of the answers to question {number}",
                },
                widget=forms.RadioSelect,
            )
            if defn.code == "gbo":
                self.fields[f"goal_text_{item.key}"] = forms.CharField(
                    label=f"{item.short}: in the person's own words",
                    max_length=500,
                    required=item.key == "goal_1",
                    error_messages={"required": "Enter the first goal in the person's own words"},
                )
            if item.needs_problem_type:
                self.fields["problem_type"] = forms.ChoiceField(
                    label=f"Scale {number}: which kind of problem?",
                    choices=[("", "Not rated above 0"), *HONOS_PROBLEM_TYPES],
                    required=False,
                )
                self.fields["problem_type_other"] = forms.CharField(
                    label="If other, what kind of problem", max_length=200, required=False
                )
        if replacing:
            self.fields["reason"] = forms.CharField(
                label="Why is it being corrected?",
                widget=forms.Textarea,
                max_length=2000,
                error_messages={"required": "Say why the measure is being corrected"},
            )

    def item_fields(self):
        return [self[item_field_name(item.key)] for item in self.defn.items]

    def clean(self):
        cleaned = super().clean()
        if self.defn.max_missing:
            unanswered = [
                item
                for item in self.defn.items
                if cleaned.get(item_field_name(item.key)) is None
                and item_field_name(item.key) not in self.errors
            ]
            if len(unanswered) > self.defn.max_missing:
                for item in unanswered:
                    number = self.defn.items.index(item) + 1
                    if self.defn.code == "gbo" and item.key != "goal_1":
                        continue
                    self.add_error(
                        item_field_name(item.key),
                        f"Select an answer to question {number}"
                        + (
                            f" ({self.defn.name} can be scored with at most {self.defn.max_missing} unanswered)"
                            if self.defn.max_missing < len(self.defn.items) - 1
                            else ""
                        ),
                    )
        if self.defn.code == "gbo":
            for item in self.defn.items:
                rated = cleaned.get(item_field_name(item.key)) is not None
                words = (cleaned.get(f"goal_text_{item.key}") or "").strip()
                if rated and not words and f"goal_text_{item.key}" not in self.errors:
                    self.add_error(
                        f"goal_text_{item.key}", f"Enter {item.short.lower()} in the person's own words"
                    )
                if words and not rated and item_field_name(item.key) not in self.errors:
                    self.add_error(
                        item_field_name(item.key), f"Select how close the person is to {item.short.lower()}"
                    )
        if "problem_type" in self.fields:
            if cleaned.get("problem_type") == "J" and not (cleaned.get("problem_type_other") or "").strip():
                self.add_error("problem_type_other", "Say what kind of problem it is")
            scale = next(i for i in self.defn.items if i.needs_problem_type)
            rating = cleaned.get(item_field_name(scale.key))
            if rating not in (None, 0, 9) and not cleaned.get("problem_type"):
                self.add_error("problem_type", "Select which kind of problem scale 8 rates")
        return cleaned

    def answers(self) -> dict:
        return {item.key: self.cleaned_data.get(item_field_name(item.key)) for item in self.defn.items}

    def details(self) -> dict:
        details = {}
        if self.defn.code == "gbo":
            details["goals"] = {
                item.key: self.cleaned_data.get(f"goal_text_{item.key}", "").strip()
                for item in self.defn.items
            }
        if "problem_type" in self.fields and self.cleaned_data.get("problem_type"):
            details["problem_type"] = self.cleaned_data["problem_type"]
            details["problem_type_other"] = self.cleaned_data.get("problem_type_other", "").strip()
        return details

    def columns(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("timing", "completed_on", "completed_by_who", "mode")
        }


class SelfStartForm(forms.Form):
    """Staff choose the questionnaire to hand over."""

    code = forms.ChoiceField(
        label="Which questionnaire will the person fill in?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a questionnaire", "invalid_choice": "Select a questionnaire"},
    )
    timing = forms.ChoiceField(
        label="When in the care is this?",
        choices=Timing.choices,
        error_messages={"required": "Select when in the care this is"},
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, definitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            (d.code, d.title if d.name in d.title else f"{d.name}: {d.title}") for d in definitions
        ]


class SelfAnswerForm(forms.Form):
    """One question on one screen, for the person."""

    def __init__(self, *args, defn: Definition, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        item = defn.items[number - 1]
        self.item = item
        self.fields["answer"] = forms.TypedChoiceField(
            label=item.text,
            choices=[(str(o.value), o.label) for o in item.options],
            coerce=int,
            required=not defn.max_missing,
            empty_value=None,
            error_messages={
                "required": "Choose the answer that fits best",
                "invalid_choice": "Choose one of the answers",
            },
            widget=forms.RadioSelect,
        )


class HandBackForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to take the device back"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password")
        return password


MAX_DIALOG_PLUS_DOMAINS = 3
ACTIONS_PER_DOMAIN = 3


class DialogPlusStartForm(MeasureForm):
    """The 11 DIALOG ratings, then the domains the person chooses to talk about (up to three)."""

    def __init__(self, *args, defn: Definition, **kwargs):
        super().__init__(*args, defn=defn, **kwargs)
        self.fields["domains"] = forms.MultipleChoiceField(
            label="Which would the person like to talk about today?",
            help_text=f"Up to {MAX_DIALOG_PLUS_DOMAINS}, chosen by the person",
            choices=[(item.key, item.short) for item in defn.items],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Select at least one area the person would like to talk about",
                "invalid_choice": "Select the areas from the list",
            },
        )

    def clean_domains(self):
        domains = self.cleaned_data["domains"]
        if len(domains) > MAX_DIALOG_PLUS_DOMAINS:
            raise forms.ValidationError(
                f"Select up to {MAX_DIALOG_PLUS_DOMAINS} areas: the others can be talked about next time"
            )
        return domains


class ConversationForm(forms.Form):
    """The four steps for each chosen domain, with up to three agreed actions each."""

    add_to_plan = forms.BooleanField(
        label="Add the agreed actions to the person's care plan (as needs with goals and interventions)",
        required=False,
    )

    def __init__(self, *args, defn: Definition, domains: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        from .models import FOUR_STEPS

        names = {item.key: item.short for item in defn.items}
        self.domains = [(key, names[key]) for key in domains]
        for key, name in self.domains:
            for step, label, hint in FOUR_STEPS[:3]:
                self.fields[f"{key}__{step}"] = forms.CharField(
                    label=f"{label}: {name.lower()}",
                    help_text=hint,
                    widget=forms.Textarea,
                    max_length=4000,
                    required=False,
                )
            for n in range(ACTIONS_PER_DOMAIN):
                for part, label, length in (
                    ("what", "What will be done", 1000),
                    ("who", "Who will do it", 200),
                    ("how_often", "How often or by when", 200),
                ):
                    self.fields[f"{key}__action_{n}_{part}"] = forms.CharField(
                        label=label, max_length=length, required=False
                    )

    def blocks(self):
        """For the template: each domain with its bound fields."""
        from .models import FOUR_STEPS

        return [
            {
                "key": key,
                "name": name,
                "steps": [self[f"{key}__{step}"] for step, _, _ in FOUR_STEPS[:3]],
                "actions": [
                    [self[f"{key}__action_{n}_{part}"] for part in ("what", "who", "how_often")]
                    for n in range(ACTIONS_PER_DOMAIN)
                ],
            }
            for key, name in self.domains
        ]

    def clean(self):
        cleaned = super().clean()
        any_action = False
        for key, name in self.domains:
            for n in range(ACTIONS_PER_DOMAIN):
                parts = {
                    p: (cleaned.get(f"{key}__action_{n}_{p}") or "").strip()
                    for p in ("what", "who", "how_often")
                }
                if not any(parts.values()):
                    continue
                any_action = True
                for part, message in (
                    ("what", "Enter what will be done"),
                    ("who", "Enter who will do it"),
                    ("how_often", "Enter how often, or by when"),
                ):
                    if not parts[part]:
                        self.add_error(f"{key}__action_{n}_{part}", f"{message} ({name}, action {n + 1})")
        if cleaned.get("add_to_plan") and not any_action:
            self.add_error("add_to_plan", "Agree at least one action to add to the care plan")
        from .models import FOUR_STEPS

        written = any_action or any(
            (cleaned.get(f"{key}__{step}") or "").strip()
            for key, _ in self.domains
            for step, _, _ in FOUR_STEPS[:3]
        )
        if not written and self.domains:
            first = self.domains[0]
            self.add_error(
                f"{first[0]}__understanding",
                "Write what was talked about for at least one area (any of the four steps)",
            )
        return cleaned

    def discussion(self) -> dict:
        from .models import FOUR_STEPS

        return {
            key: {
                **{step: self.cleaned_data.get(f"{key}__{step}", "") for step, _, _ in FOUR_STEPS[:3]},
                "actions": [
                    {
                        p: self.cleaned_data.get(f"{key}__action_{n}_{p}", "")
                        for p in ("what", "who", "how_often")
                    }
                    for n in range(ACTIONS_PER_DOMAIN)
                ],
            }
            for key, _ in self.domains
        }


class TeamSettingsForm(forms.Form):
    care_approach = forms.ChoiceField(
        label="The team's care approach",
        help_text="NHS England retired the Care Programme Approach in 2021: teams working to the "
        "Community Mental Health Framework name a keyworker for everyone. The team's pages use the "
        "matching word, and new episodes of care start with this approach.",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the team's care approach"},
    )
    baseline_within_days = forms.IntegerField(
        label="Baseline outcome measure due (days after the first attended contact)",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter a whole number of days, like 42",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter 365 days or fewer",
        },
    )
    review_lookback_days = forms.IntegerField(
        label="A measure counts for a planned review if done this many days before it",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter a whole number of days, like 28",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter 365 days or fewer",
        },
    )
    show_days_before = forms.IntegerField(
        label="Show a measure on the worklist this many days before it is due",
        min_value=0,
        max_value=90,
        error_messages={
            "required": "Enter the number of days",
            "invalid": "Enter a whole number of days, like 14",
            "min_value": "Enter 0 or more days",
            "max_value": "Enter 90 days or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import TeamApproach

        self.fields["care_approach"].choices = TeamApproach.choices
