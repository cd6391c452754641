from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "monev.budgets"
    label = "budgets"
