"""Demo data for the service desk, on top of the core demo organisation: the catalogue with
levels and prices, desks following the sun, agents, knowledge articles, configuration items,
and a year of realistic tickets brought in through ``services.import_tickets``. Everything goes
through the services, as for any client, so the demo data is audited like any other."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from secretariat.core.demo import DEMO_PASSWORD
from secretariat.core.models import DutyStation, OrgUnit, Person, Role
from secretariat.core.scopes import Scope
from secretariat.core.services import grant_role
from secretariat.servicedesk import services
from secretariat.servicedesk.models import Desk, Service

User = get_user_model()

# code, kind, price, core ICT?, {language: name}
CATALOGUE = [
    ("email", "ict", "42.00", True, {"en": "E-mail and calendar", "fr": "Messagerie et calendrier",
                                     "es": "Correo electrónico y calendario", "ru": "Электронная почта и календарь",
                                     "zh-hans": "电子邮件和日历", "ar": "البريد الإلكتروني والتقويم"}),
    ("network", "ict", "65.00", True, {"en": "Network and remote access", "fr": "Réseau et accès à distance",
                                       "es": "Red y acceso remoto", "ru": "Сеть и удалённый доступ",
                                       "zh-hans": "网络和远程访问", "ar": "الشبكة والوصول عن بعد"}),
    ("desktop", "ict", "38.00", True, {"en": "Desktop and laptop support", "fr": "Assistance bureautique",
                                       "es": "Soporte de equipos", "ru": "Поддержка рабочих станций",
                                       "zh-hans": "台式机和笔记本电脑支持", "ar": "دعم الحواسيب"}),
    ("applications", "ict", "80.00", True, {"en": "Enterprise applications", "fr": "Applications institutionnelles",
                                            "es": "Aplicaciones institucionales", "ru": "Корпоративные приложения",
                                            "zh-hans": "企业应用", "ar": "التطبيقات المؤسسية"}),
    ("accounts", "ict", "18.00", False, {"en": "Accounts and passwords", "fr": "Comptes et mots de passe",
                                         "es": "Cuentas y contraseñas", "ru": "Учётные записи и пароли",
                                         "zh-hans": "账户和密码", "ar": "الحسابات وكلمات المرور"}),
    ("conference", "ict", "120.00", False, {"en": "Conference and video services", "fr": "Services de conférence",
                                            "es": "Servicios de conferencias", "ru": "Конференц-услуги",
                                            "zh-hans": "会议和视频服务", "ar": "خدمات المؤتمرات والفيديو"}),
    ("building", "facilities", "55.00", False, {"en": "Building maintenance", "fr": "Entretien des bâtiments",
                                                "es": "Mantenimiento de edificios", "ru": "Обслуживание зданий",
                                                "zh-hans": "楼宇维护", "ar": "صيانة المباني"}),
    ("moves", "facilities", "150.00", False, {"en": "Office moves", "fr": "Déménagements de bureaux",
                                              "es": "Mudanzas de oficina", "ru": "Переезды офисов",
                                              "zh-hans": "办公室搬迁", "ar": "نقل المكاتب"}),
]
LEVELS = {
    "bronze": ("Bronze", "business_hours", {1: (60, 480), 2: (120, 960), 3: (240, 1920), 4: (480, 3840)}),
    "silver": ("Silver", "business_hours", {1: (30, 240), 2: (60, 480), 3: (120, 1440), 4: (240, 2880)}),
    "gold": ("Gold", "round_the_clock", {1: (15, 120), 2: (30, 240), 3: (60, 480), 4: (120, 960)}),
}
DESKS = [("NYC", ["en", "es", "fr"]), ("GVA", ["en", "fr", "ru"]), ("VIE", ["en", "ru", "ar"]),
         ("NBO", ["en", "fr"]), ("BKK", ["en", "zh-hans"])]
SUBJECTS = {"email": ["Mailbox full", "Cannot send e-mail", "Shared calendar access"],
            "network": ["VPN disconnects", "Wi-Fi slow in conference room", "No network on floor 3"],
            "desktop": ["Laptop will not start", "New monitor", "Printer driver"],
            "applications": ["Umoja role request", "Report runs slowly", "Error saving travel request"],
            "accounts": ["Password reset", "Account locked", "New staff account"],
            "conference": ["Interpretation booth audio", "Video link to Nairobi", "Webcast setup"],
            "building": ["Air conditioning", "Broken door lock", "Light out in corridor"],
            "moves": ["Move office to 12th floor", "Furniture for new staff", "Boxes for move"]}


def load_catalogue(admin) -> list[Service]:
    catalogue = []
    for code, kind, price, core, names in CATALOGUE:
        moves = code == "moves"  # requests for an office move need the approver's consent and two rooms
        service = services.publish_service(
            actor=admin, code=code, kind=kind, names=names, unit_price=Decimal(price), currency="USD",
            is_core_ict=core, approver=admin if moves else None,
            request_fields=[{"name": "from_room", "label": "From room", "required": True},
                            {"name": "to_room", "label": "To room", "required": True}] if moves else None)
        for level_code, (name, cover, targets) in LEVELS.items():
            level = services.define_service_level(actor=admin, service=service, code=level_code, name=name,
                                                  cover=cover, targets=targets)
            if level_code != "gold":
                services.define_escalation_rule(actor=admin, level=level, offset_minutes=-60, action="notify")
                services.define_escalation_rule(actor=admin, level=level, offset_minutes=60,
                                                action="raise_priority")
        catalogue.append(service)
    return catalogue


def load_subscriptions(admin, catalogue, rng: random.Random) -> None:
    top_units = OrgUnit.objects.filter(parent__isnull=True)
    today = timezone.localdate()
    for unit in top_units:
        for service in catalogue:
            level = service.levels.get(code=rng.choice(["bronze", "silver", "silver", "gold"]))
            services.subscribe_department(actor=admin, department=unit, service=service, level=level,
                                          valid_from=datetime.date(today.year - 2, 1, 1))


def load_people(admin) -> None:
    agent_role, owner_role = Role.objects.get(code="servicedesk_agent"), Role.objects.get(code="servicedesk_manager")
    for station_code, _languages in DESKS:
        desk = Desk.objects.get(code=station_code.lower())
        user = User.objects.create_user(f"agent.{station_code.lower()}", email=f"agent.{station_code.lower()}@demo.secretariat.example",
                                        password=DEMO_PASSWORD)
        grant_role(actor=admin, user=user, role=agent_role, scope=Scope("global"))
        services.staff_desk(actor=admin, desk=desk, user=user)
    manager = User.objects.create_user("servicedesk.manager", email="servicedesk.manager@demo.secretariat.example",
                                       password=DEMO_PASSWORD)
    grant_role(actor=admin, user=manager, role=owner_role, scope=Scope("global"))


def load_tickets(admin, catalogue, rng: random.Random, count: int) -> int:
    people = list(Person.objects.filter(org_unit__isnull=False, is_active=True).select_related(
        "org_unit", "duty_station")[:2000])
    now = timezone.now()
    start = now - datetime.timedelta(days=365)
    weights = [25, 15, 20, 12, 14, 6, 5, 3]
    drafts = []
    for _ in range(count):
        service = rng.choices(catalogue, weights)[0]
        opened = start + datetime.timedelta(seconds=rng.randrange(365 * 86400))
        response = datetime.timedelta(minutes=rng.lognormvariate(3.3, 1.0))
        resolution = response + datetime.timedelta(minutes=rng.lognormvariate(6.0, 1.3))
        done = opened + resolution < now - datetime.timedelta(days=2) or rng.random() < 0.3
        drafts.append(services.TicketDraft(
            requester=rng.choice(people), service=service, subject=rng.choice(SUBJECTS[service.code]),
            kind="incident" if service.kind == "ict" and rng.random() < 0.7 else "service_request",
            impact=rng.choice([1, 2, 2, 3, 3, 3]), urgency=rng.choice([1, 2, 2, 3]),
            channel=rng.choice(["portal", "portal", "email", "agent"]), opened_at=opened,
            answers={"from_room": "S-1201", "to_room": "S-1410"},
            responded_at=opened + response if done else None, resolved_at=opened + resolution if done else None))
    imported = 0
    clocks, desks, subscriptions = services.ClockBook(), services.active_desks(), {}
    for offset in range(0, len(drafts), 2000):
        imported += len(services.import_tickets(actor=admin, drafts=drafts[offset:offset + 2000], clocks=clocks,
                                                desks=desks, subscriptions=subscriptions, now=now))
    return imported


@transaction.atomic
def load_servicedesk_demo(*, tickets: int = 20000, seed: int = 2026) -> bool:
    """Load the service-desk demo unless it is already there. Returns whether it loaded."""
    if Service.objects.exists():
        return False
    rng = random.Random(seed)
    admin = User.objects.get(username="admin")
    catalogue = load_catalogue(admin)
    load_subscriptions(admin, catalogue, rng)
    for station_code, languages in DESKS:
        station = DutyStation.objects.get(code=station_code)
        services.open_desk(actor=admin, code=station_code.lower(), name=f"{station.name} service desk",
                           duty_station=station, languages=languages, skills=["ict", "facilities"])
    load_people(admin)
    review = timezone.localdate() + datetime.timedelta(days=180)
    for language, title, body in [
        ("en", "Connect to the VPN", "Open the VPN client, choose your duty station and sign in with your account."),
        ("fr", "Se connecter au VPN", "Ouvrez le client VPN, choisissez votre lieu d'affectation et connectez-vous."),
        ("es", "Conectarse a la VPN", "Abra el cliente VPN, elija su lugar de destino e inicie sesión."),
        ("ru", "Подключение к VPN", "Откройте клиент VPN, выберите место службы и войдите в систему."),
    ]:
        services.publish_article(actor=admin, code="vpn-connect", language=language, title=title, body=body,
                                 review_on=review, service=catalogue[1])
    services.publish_article(actor=admin, code="password-reset", language="en", title="Reset your password",
                             body="Use the self-service password page; the desk never asks for your password.",
                             review_on=review, service=catalogue[4])
    server = services.record_configuration_item(actor=admin, code="srv-mail-01", name="Mail server 01",
                                                ci_type="server", attributes={"os": "Linux", "cpu": 16})
    mail = services.record_configuration_item(actor=admin, code="svc-email", name="E-mail service", ci_type="service")
    services.relate_configuration_items(actor=admin, source=mail, target=server, kind="runs_on")
    year = timezone.localdate().year
    for service in catalogue:
        if service.is_core_ict:
            services.record_annual_survey_result(actor=admin, year=2009, service=service, respondents=1000,
                                                 satisfied=716)
            services.record_annual_survey_result(actor=admin, year=year - 1, service=service, respondents=1200,
                                                 satisfied=rng.randrange(900, 1080))
    load_tickets(admin, catalogue, rng, tickets)
    return True
