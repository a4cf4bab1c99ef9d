"""The catalogue (services, levels, subscriptions), desks, configuration items and knowledge articles."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content.search import prepare_text
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.models import DutyStation, OrgUnit
from secretariat.servicedesk.models import (
    AnnualSurveyResult,
    ArticleVersion,
    ConfigurationItem,
    ConfigurationItemRelationship,
    Desk,
    EscalationAction,
    EscalationRule,
    KnowledgeArticle,
    Priority,
    Service,
    ServiceLevel,
    ServiceLevelTarget,
    Subscription,
)
from secretariat.servicedesk.selectors import CHANGE_KNOWLEDGE_ARTICLE, CHANGE_SERVICE, CHANGE_TICKET


@transaction.atomic
def publish_article(*, actor, code: str, language: str, title: str, body: str, review_on: datetime.date,
                    service: Service | None = None) -> ArticleVersion:
    """Publish a new version of an article in one language (earlier versions stay readable)."""
    require_permission(actor=actor, permission=CHANGE_KNOWLEDGE_ARTICLE, action=_("publish knowledge articles"))
    article, _created = KnowledgeArticle.objects.get_or_create(
        code=code, defaults={"owner": actor, "review_on": review_on, "service": service})
    article = KnowledgeArticle.objects.select_for_update(no_key=True).get(pk=article.pk)
    article.review_on = review_on
    article.save(update_fields=["review_on"])
    last = article.versions.filter(language=language).order_by("-version").first()
    article.versions.filter(language=language, is_current=True).update(is_current=False)
    version = ArticleVersion.objects.create(article=article, language=language,
                                            version=(last.version + 1) if last else 1, title=title, body=body,
                                            search_text=prepare_text(f"{title}\n{body}"),
                                            published_at=timezone.now(), published_by=actor)
    record_audit_event(actor=actor, action="servicedesk.article.published", target=article,
                       changes={"language": language, "version": version.version})
    return version


@transaction.atomic
def relate_configuration_items(*, actor, source: ConfigurationItem, target: ConfigurationItem,
                               kind: str) -> ConfigurationItemRelationship:
    """Agents keep the relationships between configuration items (no role holds a CMDB permission of its own)."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("relate configuration items"))
    relationship, _created = ConfigurationItemRelationship.objects.get_or_create(source=source, target=target,
                                                                                 kind=kind)
    record_audit_event(actor=actor, action="servicedesk.configuration_item.related", target=source,
                       changes={"target": target.code, "kind": kind})
    return relationship


class LevelOfAnotherService(DomainError):
    message = _("The level “%(level)s” belongs to another service than “%(service)s”.")
    code = "level_of_another_service"


class IncompleteTargets(DomainError):
    message = _("A service level needs a target for every priority (1 to 4); missing: %(missing)s.")
    code = "incomplete_targets"


@transaction.atomic
def publish_service(*, actor, code: str, kind: str, names: dict[str, str], unit_price: Decimal,
                    currency: str = "USD", descriptions: dict[str, str] | None = None,
                    request_fields: list | None = None, approver=None, is_core_ict: bool = False) -> Service:
    """Create or update a catalogue entry and publish it (names in up to six languages)."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("publish services"))
    if not names.get("en"):
        raise InvalidInput(errors={"names": [_("Give at least the English name.")]})
    service, created = Service.objects.select_for_update(no_key=True).get_or_create(
        code=code, defaults={"kind": kind, "name": names["en"], "owner": actor})
    service.kind, service.name, service.name_translations = kind, names["en"], names
    service.description_translations = descriptions or {}
    service.unit_price_amount, service.currency = unit_price, currency
    service.request_fields = request_fields or []
    service.requires_approval, service.approver = approver is not None, approver
    service.is_core_ict, service.is_published = is_core_ict, True
    service.save()
    record_audit_event(actor=actor, action="servicedesk.service.published", target=service,
                       changes={"created": created, "unit_price": unit_price, "languages": sorted(names)})
    return service


@transaction.atomic
def define_service_level(*, actor, service: Service, code: str, name: str, cover: str,
                         targets: dict[int, tuple[int, int]]) -> ServiceLevel:
    """A level with its (response, resolution) minutes per priority; all four priorities required."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("define service levels"))
    missing = sorted(set(Priority.values) - set(targets))
    if missing:
        raise IncompleteTargets(missing=", ".join(str(p) for p in missing))
    level, _created = ServiceLevel.objects.update_or_create(service=service, code=code,
                                                             defaults={"name": name, "cover": cover})
    for priority, (response, resolution) in targets.items():
        ServiceLevelTarget.objects.update_or_create(level=level, priority=priority, defaults={
            "response_minutes": response, "resolution_minutes": resolution})
    record_audit_event(actor=actor, action="servicedesk.service_level.defined", target=level,
                       changes={"cover": cover, "targets": {str(p): list(t) for p, t in targets.items()}})
    return level


@transaction.atomic
def subscribe_department(*, actor, department: OrgUnit, service: Service, level: ServiceLevel,
                         valid_from: datetime.date) -> Subscription:
    """Subscribe a department (and its subtree) to a service at a level; replaces the level if subscribed."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("subscribe departments"))
    if level.service_id != service.pk:
        raise LevelOfAnotherService(level=str(level), service=service.localized_name)
    subscription, created = Subscription.objects.update_or_create(
        department=department, service=service, defaults={"level": level, "valid_from": valid_from})
    record_audit_event(actor=actor, action="servicedesk.subscription.changed", target=subscription,
                       changes={"department": department.code, "service": service.code, "level": level.code,
                                "created": created})
    return subscription


@transaction.atomic
def define_escalation_rule(*, actor, level: ServiceLevel, offset_minutes: int, action: str,
                           reassign_to: Desk | None = None, target: str = "resolution") -> EscalationRule:
    """A rule of a service level: ``offset_minutes`` before (negative) or after the due time of ``target``
    (the first response or the resolution)."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("define escalation rules"))
    if action == EscalationAction.REASSIGN and reassign_to is None:
        raise InvalidInput(errors={"reassign_to": [_("Choose the desk the ticket is reassigned to.")]})
    rule = EscalationRule.objects.create(level=level, target=target, offset_minutes=offset_minutes, action=action,
                                         reassign_to=reassign_to if action == EscalationAction.REASSIGN else None)
    record_audit_event(actor=actor, action="servicedesk.escalation_rule.defined", target=level, changes={
        "rule": rule.pk, "target": target, "offset_minutes": offset_minutes, "action": action})
    return rule


@transaction.atomic
def open_desk(*, actor, code: str, name: str, duty_station: DutyStation, languages: list[str],
              skills: list[str]) -> Desk:
    """Open (or reconfigure) a service desk at a duty station, with the languages it speaks and the kinds it handles."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("open service desks"))
    if not languages:
        raise InvalidInput(errors={"languages": [_("Give at least one language the desk speaks.")]})
    desk, created = Desk.objects.update_or_create(code=code, defaults={
        "name": name, "duty_station": duty_station, "languages": languages, "skills": skills, "is_active": True})
    record_audit_event(actor=actor, action="servicedesk.desk.opened", target=desk, changes={
        "created": created, "duty_station": duty_station.code, "languages": languages, "skills": skills})
    return desk


@transaction.atomic
def staff_desk(*, actor, desk: Desk, user) -> Desk:
    """Add an agent to a desk (round-robin and hand-over consider its agents)."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, target=desk, action=_("staff service desks"))
    desk.agents.add(user)
    record_audit_event(actor=actor, action="servicedesk.desk.staffed", target=desk,
                       changes={"agent": user.get_username()})
    return desk


@transaction.atomic
def record_configuration_item(*, actor, code: str, name: str, ci_type: str, attributes: dict | None = None,
                              owner: OrgUnit | None = None, location: DutyStation | None = None) -> ConfigurationItem:
    """Record (or update) a configuration item; agents keep the CMDB, as for its relationships."""
    require_permission(actor=actor, permission=CHANGE_TICKET, action=_("record configuration items"))
    item, created = ConfigurationItem.objects.update_or_create(code=code, defaults={
        "name": name, "ci_type": ci_type, "attributes": attributes or {}, "owner": owner, "location": location})
    record_audit_event(actor=actor, action="servicedesk.configuration_item.recorded", target=item,
                       changes={"created": created, "type": ci_type})
    return item


@transaction.atomic
def record_annual_survey_result(*, actor, year: int, service: Service, respondents: int,
                                satisfied: int) -> AnnualSurveyResult:
    """The annual user survey's result for a core ICT service (replaces an earlier figure for the year)."""
    require_permission(actor=actor, permission=CHANGE_SERVICE, action=_("record survey results"))
    if not 0 <= satisfied <= respondents:
        raise InvalidInput(errors={"satisfied": [_("Between none and all of the respondents.")]})
    result, _created = AnnualSurveyResult.objects.update_or_create(
        year=year, service=service, defaults={"respondents": respondents, "satisfied": satisfied})
    record_audit_event(actor=actor, action="servicedesk.annual_survey.recorded", target=service,
                       changes={"year": year, "respondents": respondents, "satisfied": satisfied})
    return result
