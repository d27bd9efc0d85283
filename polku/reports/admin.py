from django.contrib import admin

from polku.reports.models import EnteredFigure, Goal, Target


class TargetInline(admin.TabularInline[Target, Goal]):
    model = Target
    extra = 1


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ("title", "organisation", "order")
    list_filter = ("organisation",)
    inlines = (TargetInline,)


@admin.register(EnteredFigure)
class EnteredFigureAdmin(admin.ModelAdmin[EnteredFigure]):
    list_display = ("kind", "month", "unit", "value", "organisation")
    list_filter = ("organisation", "kind")
    date_hierarchy = "month"
