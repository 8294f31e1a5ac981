from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "coproduce.fund"
    label = "fund"
    verbose_name = "Fund"
