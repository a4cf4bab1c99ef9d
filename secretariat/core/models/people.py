from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GradeCategory(models.TextChoices):
    SENIOR = "senior", _("Senior appointments")
    DIRECTOR = "director", _("Director")
    PROFESSIONAL = "professional", _("Professional")
    GENERAL_SERVICE = "general_service", _("General Service")
    FIELD_SERVICE = "field_service", _("Field Service")
    NATIONAL_OFFICER = "national_officer", _("National Professional Officer")


class Grade(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True)
    category = models.CharField(_("category"), max_length=30, choices=GradeCategory.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Higher ranks are more senior."))

    class Meta:
        ordering = ["-rank"]
        verbose_name = _("grade")
        verbose_name_plural = _("grades")

    def __str__(self) -> str:
        return self.code


class PersonKind(models.TextChoices):
    STAFF = "staff", _("Staff member")
    CONSULTANT = "consultant", _("Consultant")
    DELEGATE = "delegate", _("Member State delegate")
    EXTERNAL = "external", _("External user")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Person(models.Model):
    """Anyone the platform knows: staff, consultants, delegates and other external users.

    A person may have a login (``user``); delegates and external users have no org unit in the
    Secretariat and therefore fall in no organisational scope.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="person"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PersonKind.choices, default=PersonKind.STAFF)
    index_number = models.CharField(_("index number"), max_length=20, unique=True, null=True, blank=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    nationality = models.ForeignKey(
        "Country", on_delete=models.PROTECT, related_name="nationals", verbose_name=_("nationality")
    )
    email = models.EmailField(_("e-mail"), unique=True)
    preferred_language = models.CharField(_("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en")
    grade = models.ForeignKey(
        "Grade", on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("grade")
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        "OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("org unit")
    )
    duty_station = models.ForeignKey(
        "DutyStation", on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("duty station")
    )
    represents = models.ForeignKey(
        "Country", on_delete=models.PROTECT, null=True, blank=True, related_name="delegates",
        verbose_name=_("Member State represented"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    scope_paths = {"org_unit": "org_unit", "entity": "org_unit__entity", "duty_station": "duty_station"}

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=PersonKind.values), name="core_person_kind_valid"),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="core_person_gender_valid"),
            models.CheckConstraint(
                condition=~Q(kind="delegate") | Q(represents__isnull=False),
                name="core_delegate_represents_member_state",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name.upper()}"
