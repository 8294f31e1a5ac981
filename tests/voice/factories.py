from __future__ import annotations

import factory
from django.utils import timezone

from coproduce.voice.models import Challenge, Comment, Idea
from tests.factories import PartnershipFactory, UserFactory


class ChallengeFactory(factory.django.DjangoModelFactory[Challenge]):
    class Meta:
        model = Challenge

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"How could job fairs work for parents of toddlers? ({n})")
    body = "Tell us what would help."
    body_html = "<p>Tell us what would help.</p>"


class IdeaFactory(factory.django.DjangoModelFactory[Idea]):
    class Meta:
        model = Idea

    partnership = factory.SubFactory(PartnershipFactory)
    author = factory.SubFactory(UserFactory)
    author_kind = Idea.AuthorKind.MEMBER
    title = factory.Sequence(lambda n: f"Idea {n}")
    body = "A crèche at the job fair."
    body_html = "<p>A crèche at the job fair.</p>"
    search_text = factory.LazyAttribute(lambda idea: f"{idea.title}\n{idea.body}")
    created_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    author_kind = Idea.AuthorKind.MEMBER
    body = "Yes, please."
    body_html = "<p>Yes, please.</p>"
