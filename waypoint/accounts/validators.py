"""Password rules beyond Django's own validators."""

from django.core.exceptions import ValidationError


class MaximumLengthValidator:
    """Refuse passwords longer than max_length characters (Django sets no upper limit).

    The limit is generous (128 by default) so that pass phrases and password managers work;
    it exists so a megabyte "password" cannot make the hasher do needless work.
    """

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"Your password must be {self.max_length} characters or fewer.",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self):
        return f"Your password must be {self.max_length} characters or fewer."
