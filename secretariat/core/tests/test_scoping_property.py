"""Property: whatever the tree and the grants, a user sees exactly the people inside one of
their scopes holding the permission — never anyone else."""

import datetime

from hypothesis import given, settings, strategies as st
from hypothesis.extra.django import TestCase

from secretariat.core.access import scoped
from secretariat.core.models import Person
from secretariat.core.scopes import Scope
from secretariat.core.tests.factories import (
    DutyStationFactory,
    EntityFactory,
    OrgUnitFactory,
    PersonFactory,
    UserFactory,
    grant,
)

LEVELS = ["department", "office", "division", "service", "section", "unit"]


def inside(person: Person, scope: Scope) -> bool:
    """Plain-Python membership, independent of the SQL the access layer builds."""
    if scope.is_global:
        return True
    if scope.kind == "entity":
        return person.org_unit.entity_id == scope.object_id
    if scope.kind == "duty_station":
        return person.duty_station_id == scope.object_id
    unit = person.org_unit
    while unit is not None:
        if unit.pk == scope.object_id:
            return True
        unit = unit.parent
    return False


class ScopedListsShowExactlyTheScope(TestCase):
    @settings(max_examples=25, deadline=None)
    @given(
        parents=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8),
        homes=st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=12),
        grants=st.lists(st.tuples(st.sampled_from(["entity", "org_unit", "duty_station", "none"]),
                                  st.integers(min_value=0, max_value=100),
                                  st.sampled_from(["hr_officer", "auditor", "access_administrator"])),
                        max_size=3),
    )
    def test_visible_people_are_exactly_those_in_scope(self, parents, homes, grants):
        # given: two entities, a random forest of units, people spread over them
        stations = [DutyStationFactory(), DutyStationFactory()]
        entities = [EntityFactory(headquarters=stations[0]), EntityFactory(headquarters=stations[1])]
        units = []
        for index, parent_choice in enumerate(parents):
            candidates = [u for u in units if u.level != "unit"]
            parent = candidates[parent_choice % len(candidates)] if candidates and parent_choice % 3 else None
            entity = parent.entity if parent else entities[index % 2]
            level = LEVELS[LEVELS.index(parent.level) + 1] if parent else "department"
            units.append(OrgUnitFactory(entity=entity, parent=parent, level=level,
                                        duty_station=stations[index % 2]))
        for home in homes:
            PersonFactory(org_unit=units[home % len(units)])
        viewer = UserFactory()
        scopes = []
        for kind, choice, role in grants:
            target = {"entity": entities, "org_unit": units, "duty_station": stations,
                      "none": [None]}[kind]
            scope_object = target[choice % len(target)]
            grant(viewer, role, scope_object, valid_from=datetime.date(2000, 1, 1))
            scopes.append(Scope.of(scope_object))  # every one of these roles may view people
        # when
        visible = set(scoped(Person.objects.all(), actor=viewer, permission="core.view_person")
                      .values_list("pk", flat=True))
        # then
        expected = {p.pk for p in Person.objects.select_related("org_unit__parent")
                    if any(inside(p, scope) for scope in scopes)}
        assert visible == expected
