from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "coproduce.support"
    label = "support"
    verbose_name = "Support"
