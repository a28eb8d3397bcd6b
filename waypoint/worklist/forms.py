from django import forms

from .selectors import SORTS


class CaseloadFilterForm(forms.Form):
    """Sort and filter a caseload. Bad values fall back to the defaults: it is a GET form."""

    sort = forms.ChoiceField(label="Sort by", choices=list(SORTS.items()), required=False)
    kind = forms.ChoiceField(label="Kind of item", required=False)
    overdue = forms.BooleanField(label="Only overdue items", required=False)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds")] + list(kinds)

    def values(self):
        if not self.is_bound or not self.is_valid():
            return {"sort": "worst", "kind": "", "overdue": False}
        data = self.cleaned_data
        return {
            "sort": data.get("sort") or "worst",
            "kind": data.get("kind") or "",
            "overdue": bool(data.get("overdue")),
        }
