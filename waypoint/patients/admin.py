"""Only reference data here. People's records are never edited in the admin: it bypasses audit."""

from django.contrib import admin

from .forms import GPPracticeForm
from .models import GPPractice


@admin.register(GPPractice)
class GPPracticeAdmin(admin.ModelAdmin):
    form = GPPracticeForm
    list_display = ("name", "ods_code", "postcode")
    search_fields = ("name", "ods_code")
