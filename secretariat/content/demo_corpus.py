"""A small knowledge corpus in the six official languages for the demo, and for the search
relevance set (``tests/relevance_set.py``): eight short documents per language on the same
eight subjects, written as the Organization writes them (accents, Arabic articles, ё, plurals)."""

from secretariat.content import services

# key: (language, title, text)
CORPUS = {
    "en-water": ("en", "Access to safe drinking water",
                 "Safe drinking water and sanitation remain out of reach for millions of people. The report "
                 "describes wells, pipelines and the treatment of wastewater."),
    "en-children": ("en", "Children's rights in armed conflict",
                    "Grave violations against children, including recruitment and abduction, were verified by the "
                    "country task force."),
    "en-elections": ("en", "Electoral assistance",
                     "The Organization provided electoral assistance to national authorities. Presidential elections "
                     "were held without incident and voters turned out in large numbers."),
    "en-security": ("en", "Security sector reform",
                    "Security sector reform strengthens police and defence institutions under civilian oversight."),
    "en-education": ("en", "Education for all",
                     "Primary education and literacy programmes reached girls in rural areas. Teachers were trained."),
    "en-climate": ("en", "Climate change and small island States",
                   "Rising sea levels threaten small island developing States. Adaptation finance was pledged."),
    "en-women": ("en", "Women, peace and security",
                 "Women's participation in peace processes and the protection of women human rights defenders."),
    "en-crises": ("en", "Humanitarian crises",
                  "Protracted humanitarian crises displaced refugees across borders; the appeal was underfunded."),

    "fr-eau": ("fr", "Accès à l'eau potable",
               "L'accès à l'eau potable et à l'assainissement reste hors de portée pour des millions de personnes. "
               "Le rapport décrit les puits et le traitement des eaux usées."),
    "fr-enfants": ("fr", "Les enfants et les conflits armés",
                   "Des violations graves commises contre des enfants, notamment le recrutement et l'enlèvement, "
                   "ont été vérifiées."),
    "fr-elections": ("fr", "Assistance électorale",
                     "L'Organisation a fourni une assistance électorale aux autorités nationales. L'élection "
                     "présidentielle s'est déroulée sans incident et les électeurs ont voté en grand nombre."),
    "fr-securite": ("fr", "Réforme du secteur de la sécurité",
                    "La réforme du secteur de la sécurité renforce la police et les institutions de défense sous "
                    "contrôle civil."),
    "fr-education": ("fr", "L'éducation pour tous",
                     "L'enseignement primaire et les programmes d'alphabétisation ont atteint les filles des zones "
                     "rurales. Les enseignants ont été formés."),
    "fr-climat": ("fr", "Changements climatiques et petits États insulaires",
                  "L'élévation du niveau de la mer menace les petits États insulaires en développement. Des fonds "
                  "d'adaptation ont été promis."),
    "fr-femmes": ("fr", "Les femmes et la paix et la sécurité",
                  "La participation des femmes aux processus de paix et la protection des défenseuses des droits "
                  "humains."),
    "fr-crises": ("fr", "Crises humanitaires",
                  "Des crises humanitaires prolongées ont déplacé des réfugiés au-delà des frontières ; l'appel de "
                  "fonds n'a pas été entièrement financé."),

    "es-agua": ("es", "Acceso al agua potable",
                "El acceso al agua potable y al saneamiento sigue fuera del alcance de millones de personas. El "
                "informe describe los pozos y el tratamiento de las aguas residuales."),
    "es-ninos": ("es", "Los niños y los conflictos armados",
                 "Se verificaron violaciones graves contra niños y niñas, incluidos el reclutamiento y el secuestro."),
    "es-elecciones": ("es", "Asistencia electoral",
                      "La Organización prestó asistencia electoral a las autoridades nacionales. La elección "
                      "presidencial se celebró sin incidentes y los votantes acudieron en gran número."),
    "es-seguridad": ("es", "Reforma del sector de la seguridad",
                     "La reforma del sector de la seguridad fortalece la policía y las instituciones de defensa bajo "
                     "supervisión civil."),
    "es-educacion": ("es", "Educación para todos",
                     "La educación primaria y los programas de alfabetización llegaron a las niñas de las zonas "
                     "rurales. Se capacitó a los maestros."),
    "es-clima": ("es", "Cambio climático y pequeños Estados insulares",
                 "La subida del nivel del mar amenaza a los pequeños Estados insulares en desarrollo. Se prometieron "
                 "fondos para la adaptación."),
    "es-mujeres": ("es", "Las mujeres y la paz y la seguridad",
                   "La participación de las mujeres en los procesos de paz y la protección de las defensoras de los "
                   "derechos humanos."),
    "es-crisis": ("es", "Crisis humanitarias",
                  "Las crisis humanitarias prolongadas desplazaron a refugiados más allá de las fronteras; el "
                  "llamamiento no recibió fondos suficientes."),

    "ru-voda": ("ru", "Доступ к питьевой воде",
                "Безопасная питьевая вода и санитария остаются недоступными для миллионов людей. В докладе описаны "
                "колодцы и очистка сточных вод."),
    "ru-deti": ("ru", "Дети и вооружённые конфликты",
                "Были подтверждены серьёзные нарушения в отношении детей, включая вербовку и похищения."),
    "ru-vybory": ("ru", "Помощь в проведении выборов",
                  "Организация оказала национальным властям помощь в проведении выборов. Президентские выборы "
                  "прошли без инцидентов."),
    "ru-bezopasnost": ("ru", "Реформа сектора безопасности",
                       "Реформа сектора безопасности укрепляет полицию и оборонные учреждения под гражданским "
                       "контролем."),
    "ru-obrazovanie": ("ru", "Образование для всех",
                       "Начальное образование и программы ликвидации неграмотности охватили девочек в сельских "
                       "районах. Учителя прошли подготовку."),
    "ru-klimat": ("ru", "Изменение климата и малые островные государства",
                  "Повышение уровня моря угрожает малым островным развивающимся государствам. Были обещаны "
                  "средства на адаптацию."),
    "ru-zhenshchiny": ("ru", "Женщины, мир и безопасность",
                       "Участие женщин в мирных процессах и защита женщин — правозащитников."),
    "ru-krizisy": ("ru", "Гуманитарные кризисы",
                   "Затяжные гуманитарные кризисы вынудили беженцев пересечь границы; призыв не получил "
                   "достаточного финансирования."),

    "ar-miyah": ("ar", "الحصول على مياه الشرب المأمونة",
                 "لا تزال المياه الصالحة للشرب والصرف الصحي بعيدة المنال لملايين الناس. ويصف التقرير الآبار "
                 "ومعالجة المياه المستعملة."),
    "ar-atfal": ("ar", "الأطفال والنزاع المسلح",
                 "تم التحقق من انتهاكات جسيمة ضد الأطفال، بما في ذلك التجنيد والاختطاف."),
    "ar-intikhabat": ("ar", "المساعدة الانتخابية",
                      "قدمت المنظمة المساعدة الانتخابية إلى السلطات الوطنية. وجرت الانتخابات الرئاسية دون حوادث."),
    "ar-amn": ("ar", "إصلاح قطاع الأمن",
               "يعزز إصلاح قطاع الأمن مؤسسات الشرطة والدفاع في ظل رقابة مدنية."),
    "ar-taalim": ("ar", "التعليم للجميع",
                  "وصل التعليم الابتدائي وبرامج محو الأمية إلى الفتيات في المناطق الريفية. وتلقى المعلمون التدريب."),
    "ar-munakh": ("ar", "تغير المناخ والدول الجزرية الصغيرة",
                  "يهدد ارتفاع مستوى سطح البحر الدول الجزرية الصغيرة النامية. وقُطعت تعهدات بتمويل التكيف."),
    "ar-nisa": ("ar", "المرأة والسلام والأمن",
                "مشاركة المرأة في عمليات السلام وحماية المدافعات عن حقوق الإنسان."),
    "ar-azamat": ("ar", "الأزمات الإنسانية",
                  "أدت الأزمات الإنسانية الطويلة الأمد إلى تشريد اللاجئين عبر الحدود، ولم يحصل النداء على تمويل كاف."),

    "zh-shui": ("zh-hans", "获得安全饮用水", "数百万人仍然无法获得安全饮用水和卫生设施。报告介绍了水井和废水处理。"),
    "zh-ertong": ("zh-hans", "儿童与武装冲突", "已核实对儿童的严重侵害行为，包括招募和绑架。"),
    "zh-xuanju": ("zh-hans", "选举援助", "本组织向国家当局提供了选举援助。总统选举顺利举行。"),
    "zh-anquan": ("zh-hans", "安全部门改革", "安全部门改革加强了文职监督下的警察和国防机构。"),
    "zh-jiaoyu": ("zh-hans", "全民教育", "初等教育和扫盲方案惠及农村地区的女童。教师接受了培训。"),
    "zh-qihou": ("zh-hans", "气候变化与小岛屿国家", "海平面上升威胁着小岛屿发展中国家。已认捐适应资金。"),
    "zh-funv": ("zh-hans", "妇女与和平与安全", "妇女参与和平进程以及保护妇女人权维护者。"),
    "zh-weiji": ("zh-hans", "人道主义危机", "长期的人道主义危机使难民流离失所，跨越边境；呼吁资金不足。"),
}


def load_search_corpus(*, actor, library, document_type) -> dict[str, object]:
    """Upload the corpus through the services; returns the documents by key."""
    return {key: services.upload_document(actor=actor, library=library, file_name=f"{key}.txt",
                                          data=f"{title}\n\n{text}".encode(), title=title, language=language,
                                          document_type=document_type)
            for key, (language, title, text) in CORPUS.items()}
