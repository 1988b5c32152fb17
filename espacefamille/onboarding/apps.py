from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "espacefamille.onboarding"
    label = "onboarding"
    verbose_name = "Arrivée des familles"
