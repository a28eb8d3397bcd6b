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
        self.fields["code"].choices = [(d.code, f"{d.name}: {d.title}") for d in definitions]


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
