from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is not active. Ask your system administrator.",
    }

    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter your username"}
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


PASSWORD_RULES = (
    "Use 12 characters or more. A few unrelated words make a good password. "
    "Do not use a common password or one you use anywhere else."
)


class _NewPasswordFields(forms.Form):
    """A new password typed twice, checked against Django's password validators."""

    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        help_text=PASSWORD_RULES,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter a new password"},
    )
    new_password2 = forms.CharField(
        label="Type the new password again",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Type the new password again"},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password2(self):
        first, second = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if first and second and first != second:
            raise forms.ValidationError("The two passwords do not match")
        return second

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and "new_password2" not in self.errors:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", " ".join(error.messages))
            else:
                if self.user.check_password(password):
                    self.add_error("new_password1", "Choose a password different from your current one")
        return cleaned


class NewPasswordForm(_NewPasswordFields):
    """At first sign-in with a password someone else set."""


class ChangePasswordForm(_NewPasswordFields):
    """A signed-in member of staff changes their own password."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["current_password", "new_password1", "new_password2"]

    def clean_current_password(self):
        current = self.cleaned_data["current_password"]
        if not self.user.check_password(current):
            raise forms.ValidationError("Your current password is not right")
        return current

    def clean(self):
        if "current_password" in self.errors:
            # Do not say whether the new password would have been accepted.
            return self.cleaned_data
        return super().clean()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        error_messages={"required": "Enter the code", "max_length": "The code is not right"},
    )

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label
        self.fields["code"].help_text = help_text
