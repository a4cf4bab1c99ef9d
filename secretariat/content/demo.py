"""Demo content for the demo organisation: a classification scheme with retention rules,
libraries, official documents in six languages (most issued), records (some due for disposition),
a committee workspace, and the knowledge corpus in six languages that the search relevance set
is measured on (``demo_corpus``). Everything goes through the services, as the demo administrator."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from secretariat.content import services
from secretariat.content.demo_corpus import load_search_corpus
from secretariat.content.models import DocumentType, Library, OfficialDocument, RecordClass
from secretariat.core.models import OrgUnit

# (code, parent, level, title, {language: title}, retention years, trigger, action)
SCHEME = [
    ("GOV", None, "function", "Intergovernmental support", {"fr": "Appui intergouvernemental"}, None, "closure", "review"),
    ("GOV-DOC", "GOV", "activity", "Parliamentary documentation", {"fr": "Documentation parlementaire"}, None,
     "closure", "transfer"),
    ("GOV-DOC-ISS", "GOV-DOC", "transaction", "Issued official documents", {"fr": "Documents officiels publiés"}, 10,
     "declaration", "transfer"),
    ("FIN", None, "function", "Financial management", {"fr": "Gestion financière"}, None, "closure", "destroy"),
    ("FIN-AP", "FIN", "activity", "Accounts payable", {"fr": "Comptes créditeurs"}, None, "closure", "destroy"),
    ("FIN-AP-INV", "FIN-AP", "transaction", "Invoices and payment vouchers",
     {"fr": "Factures et pièces de paiement"}, 7, "closure", "destroy"),
    ("HR", None, "function", "Human resources", {"fr": "Ressources humaines"}, None, "closure", "review"),
    ("HR-PF", "HR", "activity", "Personnel files", {"fr": "Dossiers individuels"}, None, "closure", "review"),
    ("HR-PF-SEP", "HR-PF", "transaction", "Separated staff files", {"fr": "Dossiers du personnel cessant ses fonctions"},
     50, "closure", "review"),
    ("PRC", None, "function", "Procurement", {"fr": "Achats"}, None, "closure", "destroy"),
    ("PRC-CON", "PRC", "activity", "Contracts", {"fr": "Contrats"}, None, "closure", "destroy"),
    ("PRC-CON-AWD", "PRC-CON", "transaction", "Awarded contracts", {"fr": "Contrats attribués"}, 10, "closure",
     "destroy"),
]
SUBJECTS = [
    {"en": "Programme budget for the biennium", "fr": "Projet de budget-programme pour l'exercice biennal",
     "es": "Proyecto de presupuesto por programas para el bienio", "ru": "Предлагаемый бюджет по программам на двухгодичный период",
     "ar": "الميزانية البرنامجية المقترحة لفترة السنتين", "zh-hans": "两年期拟议方案预算"},
    {"en": "Information and communications technology strategy", "fr": "Stratégie informatique et communications",
     "es": "Estrategia de tecnología de la información y las comunicaciones",
     "ru": "Стратегия в области информационно-коммуникационных технологий",
     "ar": "استراتيجية تكنولوجيا المعلومات والاتصالات", "zh-hans": "信息和通信技术战略"},
    {"en": "Financing of peacekeeping operations", "fr": "Financement des opérations de maintien de la paix",
     "es": "Financiación de las operaciones de mantenimiento de la paz",
     "ru": "Финансирование операций по поддержанию мира", "ar": "تمويل عمليات حفظ السلام",
     "zh-hans": "维持和平行动经费的筹措"},
    {"en": "Scale of assessments for the apportionment of expenses", "fr": "Barème des quotes-parts pour la répartition des dépenses",
     "es": "Escala de cuotas para el prorrateo de los gastos", "ru": "Шкала взносов для распределения расходов",
     "ar": "جدول الأنصبة المقررة لقسمة النفقات", "zh-hans": "会费分摊比额表"},
    {"en": "Human resources management", "fr": "Gestion des ressources humaines", "es": "Gestión de los recursos humanos",
     "ru": "Управление людскими ресурсами", "ar": "إدارة الموارد البشرية", "zh-hans": "人力资源管理"},
    {"en": "Capital master plan", "fr": "Plan-cadre d'équipement", "es": "Plan maestro de mejoras de infraestructura",
     "ru": "Генеральный план капитального ремонта", "ar": "المخطط العام لتجديد مباني المقر", "zh-hans": "基本建设总计划"},
]
SYMBOLS = ["A/62/510", "A/C.5/63/24", "A/RES/63/262", "A/64/6/Add.1", "S/2009/612", "A/65/491"]


def unit_for(*codes) -> OrgUnit:
    for code in codes:
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is not None:
            return unit
    return OrgUnit.objects.order_by("path").first()


@transaction.atomic
def load_content_demo(*, seed: int = 2026) -> bool:
    """Load the demo content once (needs the demo organisation). Returns whether it loaded."""
    if RecordClass.objects.exists():
        return False
    admin = get_user_model().objects.get(username="admin")
    rng = random.Random(seed)
    classes: dict[str, RecordClass] = {}
    for code, parent, level, title, translations, years, trigger, action in SCHEME:
        classes[code] = services.create_record_class(
            actor=admin, code=code, title=title, level=level, parent=classes.get(parent), retention_years=years,
            retention_trigger=trigger, disposition_action=action, title_translations={"en": title, **translations})
    documents_unit, finance_unit = unit_for("DGACM", "OICT"), unit_for("FD-AS", "FD", "DMSPC")
    report = DocumentType.objects.get_or_create(code="report", defaults={"name": "Report"})[0]
    memo = DocumentType.objects.get_or_create(code="memo", defaults={"name": "Memorandum"})[0]
    invoice = DocumentType.objects.get_or_create(code="invoice", defaults={"name": "Invoice", "field_rules": [
        {"name": "vendor", "label": "Vendor", "type": "text", "required": True},
        {"name": "amount_usd", "label": "Amount (USD)", "type": "integer", "required": True}]})[0]
    parliamentary = Library.objects.create(code="parliamentary", name="Parliamentary documentation",
                                           org_unit=documents_unit, default_classification="internal")
    finance = Library.objects.create(code="finance-records", name="Finance records", org_unit=finance_unit,
                                     allowed_extensions=["pdf", "txt", "eml", "png", "jpg", "xlsx", "docx"],
                                     default_classification="confidential")
    for index, (symbol, subject) in enumerate(zip(SYMBOLS, SUBJECTS)):
        official = services.register_official_document(actor=admin, symbol=symbol, title=subject["en"],
                                                        org_unit=documents_unit)
        for language, title in subject.items():
            body = f"{symbol}\n{title}\n" + " ".join([title] * rng.randint(3, 8))
            services.add_language_version(actor=admin, official_id=official.pk, language=language, title=title,
                                          file_name=f"{symbol.replace('/', '_')}_{language}.txt",
                                          data=body.encode(), document_type=report)
        services.move_official_document(actor=admin, official_id=official.pk, to_status="review")
        services.move_official_document(actor=admin, official_id=official.pk, to_status="translation")
        if index < len(SYMBOLS) - 1:  # the last one stays in translation
            for document in official.language_versions.all():
                services.mark_language_version_final(actor=admin, document_id=document.pk)
            services.issue_official_document(actor=admin, official_id=official.pk)
            for document in OfficialDocument.objects.get(pk=official.pk).language_versions.all():
                services.declare_record(actor=admin, document_id=document.pk, record_class=classes["GOV-DOC-ISS"])
    today = timezone.localdate()
    for number in range(1, 21):
        vendor = rng.choice(["Acme Logistics", "Blue Fuel SA", "Nile Catering", "Andes Telecom"])
        document = services.upload_document(
            actor=admin, library=finance, file_name=f"invoice-{number}.txt",
            data=f"Invoice {number} from {vendor} for services rendered.".encode(), title=f"Invoice {number} — {vendor}",
            language="en", document_type=invoice, custom_fields={"vendor": vendor, "amount_usd": rng.randint(500, 90000)})
        closed = today - datetime.timedelta(days=365 * rng.choice([2, 5, 8, 9]))
        services.declare_record(actor=admin, document_id=document.pk, record_class=classes["FIN-AP-INV"],
                                closed_on=closed)
    services.upload_document(actor=admin, library=parliamentary, file_name="note.txt",
                             data=b"Note to correspondents on the documentation schedule.", title="Documentation schedule",
                             language="en", document_type=memo)
    load_search_corpus(actor=admin, library=parliamentary, document_type=report)
    workspace = services.create_workspace(actor=admin, name="Fifth Committee informal consultations",
                                          template="committee", org_unit=documents_unit,
                                          purpose="Drafting of the resolution on the programme budget.")
    services.upload_document(actor=admin, workspace=workspace, file_name="draft.txt",
                             data=b"Draft resolution: The General Assembly, recalling its resolution 63/262 ...",
                             title="Draft resolution on the programme budget", language="en", document_type=memo)
    return True
