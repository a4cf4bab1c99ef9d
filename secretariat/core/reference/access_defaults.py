"""Built-in roles, delegable authorities and segregation-of-duties rules, named in six languages."""

# (code, {language: name}, [permissions as "app_label.codename"])
ROLES = [
    ("administrator", {
        "en": "Administrator", "fr": "Administrateur", "es": "Administrador", "ru": "Администратор",
        "zh-hans": "管理员", "ar": "مسؤول النظام"},
     ["core.add_roleassignment", "core.delete_roleassignment", "core.view_roleassignment", "core.view_delegation",
      "core.view_person", "core.add_person", "core.change_person", "core.add_orgunit", "core.change_orgunit",
      "core.change_dutystation", "core.view_auditevent"]),
    ("access_administrator", {
        "en": "Access administrator", "fr": "Administrateur des accès", "es": "Administrador de accesos",
        "ru": "Администратор доступа", "zh-hans": "访问权限管理员", "ar": "مسؤول صلاحيات الوصول"},
     ["core.add_roleassignment", "core.delete_roleassignment", "core.view_roleassignment", "core.view_delegation",
      "core.view_person"]),
    ("hr_officer", {
        "en": "Human resources officer", "fr": "Spécialiste des ressources humaines",
        "es": "Oficial de recursos humanos", "ru": "Сотрудник по людским ресурсам", "zh-hans": "人力资源干事",
        "ar": "موظف الموارد البشرية"},
     ["core.view_person", "core.add_person", "core.change_person"]),
    ("auditor", {
        "en": "Auditor", "fr": "Auditeur", "es": "Auditor", "ru": "Ревизор", "zh-hans": "审计员", "ar": "مراجع حسابات"},
     ["core.view_person", "core.view_roleassignment", "core.view_delegation", "core.view_auditevent",
      "core.export_auditevent"]),
    ("staff_directory", {
        "en": "Staff directory reader", "fr": "Lecteur de l'annuaire du personnel",
        "es": "Lector del directorio del personal", "ru": "Читатель справочника персонала",
        "zh-hans": "工作人员名录查阅者", "ar": "قارئ دليل الموظفين"},
     ["core.view_person"]),
]

# (code, is_monetary, {language: name})
AUTHORITIES = [
    ("certifying_officer", True, {
        "en": "Certifying officer", "fr": "Agent certificateur", "es": "Oficial certificador",
        "ru": "Удостоверяющий сотрудник", "zh-hans": "核证干事", "ar": "موظف التصديق"}),
    ("approving_officer", True, {
        "en": "Approving officer", "fr": "Agent ordonnateur", "es": "Oficial aprobador",
        "ru": "Утверждающий сотрудник", "zh-hans": "核准干事", "ar": "موظف الاعتماد"}),
    ("hiring_manager", False, {
        "en": "Hiring manager", "fr": "Responsable du recrutement", "es": "Director de contratación",
        "ru": "Руководитель, принимающий на работу", "zh-hans": "征聘经理", "ar": "مدير التوظيف"}),
    ("receiving_officer", True, {
        "en": "Receiving officer", "fr": "Agent réceptionnaire", "es": "Oficial receptor",
        "ru": "Сотрудник по приемке", "zh-hans": "收货干事", "ar": "موظف الاستلام"}),
    ("procurement_authority", True, {
        "en": "Procurement authority", "fr": "Pouvoir en matière d'achats", "es": "Autoridad de adquisiciones",
        "ru": "Полномочия на закупки", "zh-hans": "采购权", "ar": "سلطة الشراء"}),
]

# (code, first duty, second duty, {language: name})
SEGREGATION_RULES = [
    ("certify_approve", "certify", "approve", {
        "en": "The certifying and approving officers of a transaction must be different people.",
        "fr": "L'agent certificateur et l'agent ordonnateur d'une opération doivent être des personnes différentes.",
        "es": "El oficial certificador y el oficial aprobador de una transacción deben ser personas distintas.",
        "ru": "Удостоверяющий и утверждающий сотрудники одной операции должны быть разными лицами.",
        "zh-hans": "同一笔交易的核证干事和核准干事必须是不同的人。",
        "ar": "يجب أن يكون موظف التصديق وموظف الاعتماد للمعاملة الواحدة شخصين مختلفين."}),
    ("requisition_approve", "requisition", "approve_requisition", {
        "en": "A requisitioner cannot approve their own requisition.",
        "fr": "Un demandeur ne peut pas approuver sa propre demande d'achat.",
        "es": "Un solicitante no puede aprobar su propia solicitud de compra.",
        "ru": "Заявитель не может утверждать собственную заявку.",
        "zh-hans": "申购人不得核准自己的申购单。",
        "ar": "لا يجوز لمقدم طلب الشراء أن يعتمد طلبه بنفسه."}),
    ("prepare_certify", "prepare", "certify", {
        "en": "Whoever prepares a transaction cannot also certify it.",
        "fr": "Celui qui prépare une opération ne peut pas aussi la certifier.",
        "es": "Quien prepara una transacción no puede también certificarla.",
        "ru": "Подготовивший операцию не может ее удостоверять.",
        "zh-hans": "编制交易的人不得同时核证该交易。",
        "ar": "لا يجوز لمن يُعِدّ المعاملة أن يصدّق عليها أيضًا."}),
    ("receive_pay", "receive", "approve_payment", {
        "en": "Whoever receives goods cannot approve their payment.",
        "fr": "Celui qui réceptionne les biens ne peut pas approuver leur paiement.",
        "es": "Quien recibe los bienes no puede aprobar su pago.",
        "ru": "Принявший товары не может утверждать их оплату.",
        "zh-hans": "收货人不得核准该货物的付款。",
        "ar": "لا يجوز لمن يستلم السلع أن يعتمد دفع ثمنها."}),
]

# (code, category, rank)
GRADES = (
    [("USG", "senior", 100), ("ASG", "senior", 95), ("D-2", "director", 90), ("D-1", "director", 85)]
    + [(f"P-{n}", "professional", 50 + n * 5) for n in range(5, 0, -1)]
    + [(f"FS-{n}", "field_service", 20 + n * 3) for n in range(7, 0, -1)]
    + [(f"NO-{letter}", "national_officer", 30 + i) for i, letter in enumerate("ABCD")]
    + [(f"GS-{n}", "general_service", n) for n in range(7, 0, -1)]
)
