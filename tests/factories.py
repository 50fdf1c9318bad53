import datetime

import factory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from organisation import roles
from organisation.models import Department, StaffProfile

PASSWORD = "test-pass-2026"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试处室{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])
        self.save()


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(UserFactory, roles=[roles.STAFF])
    employee_no = factory.Sequence(lambda n: f"E{n:05d}")
    real_name = factory.Sequence(lambda n: f"职工{n}")
    department = factory.SubFactory(DepartmentFactory)
    position = "科员"
    joined_on = datetime.date(2015, 1, 1)


def staff(username: str, *, department=None, role_names=(roles.STAFF,), enforcer=False, **profile):
    """A user with a staff profile and the given roles."""
    user = UserFactory(username=username, roles=list(role_names))
    StaffProfileFactory(
        user=user,
        department=department or DepartmentFactory(),
        is_law_enforcement=enforcer,
        enforcement_cert_no="浙文执0001" if enforcer else "",
        real_name=profile.pop("real_name", username),
        **profile,
    )
    return user
