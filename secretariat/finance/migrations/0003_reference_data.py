"""Finance roles (named in six languages) and the journals every installation needs."""

from django.db import migrations

from secretariat.core.migration_support import create_roles

VIEW = ["finance.view_journalentry", "finance.view_ledger", "finance.view_account", "finance.view_fund",
        "finance.view_fiscalperiod", "finance.view_exchangerate"]

ROLES = [
    ("finance_officer", {
        "en": "Finance officer", "fr": "Spécialiste des finances", "es": "Oficial de finanzas",
        "ru": "Сотрудник по финансовым вопросам", "zh-hans": "财务干事", "ar": "موظف الشؤون المالية"},
     VIEW + ["finance.add_journalentry", "finance.submit_journalentry", "finance.view_vendor", "finance.add_vendor",
             "finance.view_vendorinvoice", "finance.add_vendorinvoice", "finance.view_otherreceivable",
             "finance.add_otherreceivable"]),
    ("finance_certifier", {
        "en": "Finance certifier", "fr": "Certificateur financier", "es": "Certificador financiero",
        "ru": "Финансовый удостоверяющий сотрудник", "zh-hans": "财务核证人", "ar": "مصدّق مالي"},
     VIEW + ["finance.certify_journalentry"]),
    ("finance_approver", {
        "en": "Finance approver", "fr": "Ordonnateur financier", "es": "Aprobador financiero",
        "ru": "Финансовый утверждающий сотрудник", "zh-hans": "财务核准人", "ar": "معتمد مالي"},
     VIEW + ["finance.approve_journalentry"]),
    ("chief_accountant", {
        "en": "Chief accountant", "fr": "Chef comptable", "es": "Jefe de contabilidad",
        "ru": "Главный бухгалтер", "zh-hans": "总会计师", "ar": "كبير المحاسبين"},
     VIEW + ["finance.post_journalentry", "finance.close_fiscalperiod", "finance.add_account",
             "finance.change_account", "finance.add_fund", "finance.add_analyticcode", "finance.add_exchangerate", "finance.add_bankaccount"]),
    ("treasury_officer", {
        "en": "Treasury officer", "fr": "Spécialiste de la trésorerie", "es": "Oficial de tesorería",
        "ru": "Сотрудник казначейства", "zh-hans": "财务主管干事", "ar": "موظف الخزانة"},
     VIEW + ["finance.post_journalentry", "finance.view_vendorinvoice", "finance.view_paymentrun",
             "finance.add_paymentrun", "finance.view_bankaccount", "finance.add_bankstatement",
             "finance.view_bankstatement", "finance.change_bankstatementline", "finance.view_receipt",
             "finance.add_receipt"]),
    ("contributions_officer", {
        "en": "Contributions officer", "fr": "Spécialiste des contributions", "es": "Oficial de cuotas",
        "ru": "Сотрудник по взносам", "zh-hans": "会费干事", "ar": "موظف الاشتراكات"},
     VIEW + ["finance.post_journalentry", "finance.view_assessment", "finance.add_assessment",
             "finance.add_assessmentrate", "finance.view_receipt", "finance.add_receipt",
             "finance.add_receiptapplication"]),
]

JOURNALS = [
    ("GJ", {"en": "General journal", "fr": "Journal général", "es": "Diario general", "ru": "Общий журнал",
            "zh-hans": "普通日记账", "ar": "دفتر اليومية العام"}),
    ("AP", {"en": "Payables journal", "fr": "Journal des fournisseurs", "es": "Diario de cuentas por pagar",
            "ru": "Журнал кредиторской задолженности", "zh-hans": "应付款日记账", "ar": "دفتر يومية الحسابات الدائنة"}),
    ("AR", {"en": "Receivables journal", "fr": "Journal des créances", "es": "Diario de cuentas por cobrar",
            "ru": "Журнал дебиторской задолженности", "zh-hans": "应收款日记账", "ar": "دفتر يومية الحسابات المدينة"}),
    ("CB", {"en": "Cash and bank journal", "fr": "Journal de trésorerie", "es": "Diario de caja y bancos",
            "ru": "Кассово-банковский журнал", "zh-hans": "现金和银行日记账", "ar": "دفتر يومية النقدية والمصارف"}),
    ("FX", {"en": "Revaluation journal", "fr": "Journal de réévaluation", "es": "Diario de revaluación",
            "ru": "Журнал переоценки", "zh-hans": "重估日记账", "ar": "دفتر يومية إعادة التقييم"}),
    ("IF", {"en": "Interface journal", "fr": "Journal des interfaces", "es": "Diario de interfaces",
            "ru": "Журнал интерфейсов", "zh-hans": "接口日记账", "ar": "دفتر يومية الواجهات"}),
]


def load(apps, schema_editor):
    Journal = apps.get_model("finance", "Journal")
    create_roles(apps, ROLES)
    for code, names in JOURNALS:
        Journal.objects.create(code=code, name=names["en"], name_translations=names)


def unload(apps, schema_editor):
    apps.get_model("core", "Role").objects.filter(code__in=[code for code, _n, _p in ROLES]).delete()
    apps.get_model("finance", "Journal").objects.filter(code__in=[code for code, _n in JOURNALS]).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_ledger_integrity_triggers"), ("core", "0003_reference_data")]
    operations = [migrations.RunPython(load, unload)]
