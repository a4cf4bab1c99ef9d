
import factory

from secretariat.continuity.models import Application, BusinessProcess, DataCentre, RecoveryPlan
from secretariat.core.tests.factories import DutyStationFactory, OrgUnitFactory, PersonFactory


class DataCentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataCentre

    code = factory.Sequence(lambda n: f"DC{n}")
    name = factory.LazyAttribute(lambda d: f"Data centre {d.code}")
    duty_station = factory.SubFactory(DutyStationFactory)


class BusinessProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessProcess

    org_unit = factory.SubFactory(OrgUnitFactory)
    name = factory.Sequence(lambda n: f"Process {n}")
    owner = factory.SubFactory(PersonFactory, org_unit=factory.SelfAttribute("..org_unit"))
    maximum_tolerable_downtime_hours = 200
    rto_band = "24-72h"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Application {n}")
    owner_unit = factory.SubFactory(OrgUnitFactory)
    owner = factory.SubFactory(PersonFactory, org_unit=factory.SelfAttribute("..owner_unit"))
    data_centre = factory.SubFactory(DataCentreFactory)
    replication_method = "none"


class RecoveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecoveryPlan

    title = factory.Sequence(lambda n: f"Plan {n}")
    application = factory.SubFactory(ApplicationFactory)
    owner_unit = factory.LazyAttribute(lambda p: p.application.owner_unit)
    steps = "1. Fail over the database.\n2. Start the app servers."
