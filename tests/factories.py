"""factory-boy factories for every model.

Related rows default to the same company, so a factory-built session is
always valid: `ChatSessionFactory(company=c)` gives a user and client of `c`
when asked for them (`user=UserFactory(company=c)`).
"""

import datetime

import factory
from django.utils import timezone

from accounts.models import User
from chat.models import ChatMessage, ChatSession
from clients.models import Client
from companies.models import Company


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    default_language = "es"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    company = factory.SubFactory(CompanyFactory)
    password = factory.django.Password("password-for-tests")


class StaffUserFactory(UserFactory):
    is_staff = True


class SuperUserFactory(UserFactory):
    company = None
    is_staff = True
    is_superuser = True


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name", locale="es_ES")
    email = factory.Sequence(lambda n: f"client{n}@example.com")
    phone = factory.Sequence(lambda n: f"+34 600 {n:06d}")


class ChatSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatSession

    company = factory.SubFactory(CompanyFactory)
    language = "es"
    metadata = factory.LazyFunction(dict)


class ChatMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChatMessage

    session = factory.SubFactory(ChatSessionFactory)
    role = ChatMessage.Role.USER
    content = factory.Faker("sentence", locale="es_ES")
    created_at = factory.LazyFunction(timezone.now)


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)
