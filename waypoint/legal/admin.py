from django.contrib import admin

from .models import RuleSet, SectionRule, TermRule


class SectionRuleInline(admin.TabularInline):
    model = SectionRule
    extra = 0


class TermRuleInline(admin.TabularInline):
    model = TermRule
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    """The legal rules as data. A Trust sets "In force from" when commencement regulations say so.

    Periods already recorded keep the rule in force on the day they started. People's legal records
    are not in the admin: their changes must be audited."""

    list_display = ["title", "commences_on"]
    inlines = [SectionRuleInline, TermRuleInline]
