# Story 3: regional water-security conference in Amman; sources disagree on the number of countries.
WIRE_TITLE = 'انطلاق المؤتمر الإقليمي للأمن المائي في عمّان بمشاركة 13 دولة'
WIRE = [
    'عمّان (الشرق) - انطلقت اليوم الثلاثاء في العاصمة الأردنية عمّان أعمال المؤتمر الإقليمي للأمن المائي بمشاركة وزراء وممثلين عن 13 دولة، لبحث سبل مواجهة شح المياه وتراجع معدلات الأمطار في المنطقة خلال العقد الأخير، وسط تحذيرات من أن الجفاف بات يهدد الزراعة ومياه الشرب في مدن كبرى.',
    'وقال وزير المياه والري هاني العبادلة في كلمة الافتتاح إن المنطقة تواجه «أزمة صامتة» تهدد الأمن الغذائي لملايين السكان، داعيا إلى إنشاء آلية إقليمية دائمة لتبادل البيانات المائية والإنذار المبكر من موجات الجفاف، وإلى التعامل مع المياه المشتركة بوصفها مسؤولية جماعية لا ساحة للتنافس.',
    'ويناقش المشاركون على مدى يومين مشروع «إعلان عمّان للمياه»، الذي يتضمن إنشاء صندوق إقليمي بقيمة 500 مليون دولار لتمويل مشروعات تحلية المياه وإعادة استخدام المياه المعالجة في الزراعة، إضافة إلى برنامج لتدريب المهندسين على تقنيات الري الحديث.',
    'وأكدت الأمينة العامة للمؤتمر الدكتورة رنا السقا أن نصيب الفرد من المياه المتجددة في بعض دول المنطقة انخفض إلى أقل من 100 متر مكعب سنويا، وهو ما يقل كثيرا عن خط الفقر المائي المحدد عالميا بألف متر مكعب، مشيرة إلى أن الفاقد في شبكات التوزيع يتجاوز أربعين في المئة في مدن عدة.',
    'ومن المقرر أن تصدر الدول المشاركة في ختام أعمال المؤتمر يوم غد الأربعاء بيانا مشتركا، على أن تستضيف العاصمة التونسية الدورة المقبلة في العام 2026.',
]


def build(add, edit, indic, STORIES):
    STORIES.append({
        'story': 3, 'about': 'Regional water-security conference in Amman adopts the "Amman Water Declaration" and a $500m fund',
        'first': '2025-07-01',
        'entities': [
            {'name': 'هاني العبادلة', 'variants': ['هاني العبادله', 'هانى العبادلة', 'Hani Al-Abadleh', 'Hani Abadla']},
            {'name': 'عمّان', 'variants': ['عمان', 'Amman']},
            {'name': 'إعلان عمّان للمياه', 'variants': ['اعلان عمان للمياه', 'إعلان عمان', 'Amman Water Declaration', "Déclaration d'Amman sur l'eau"]},
            {'name': 'رنا السقا', 'variants': ['رنا السقّا', 'Rana Al-Saqqa', 'Rana Saqqa']},
        ],
        'disagreements': [{'about': 'number of participating countries', 'field': 'countries'}],
    })
    add(key='sharq-20250701-044', story=3, outlet='sharq', fmt='text', feed='alsharq-wire', lang='ar',
        date='2025-07-01', feed_date='2025-07-01T08:05:00Z', title=WIRE_TITLE, paras=WIRE,
        claims={'countries': '13'}, dateline='عمّان (الشرق)', url='https://wire.alsharq-agency.example/ar/20250701/044')
    add(key='water-13-states', story=3, outlet='annahar', fmt='txt', lang='ar', date='2025-07-01', time='12:40',
        section='سياسة', tags='مياه، جفاف، عمان', copy_of='sharq-20250701-044', claims={'countries': '13'},
        title='13 دولة تبحث في عمان أزمة شح المياه',
        paras=edit(WIRE, subs=[('عمّان (الشرق) - انطلقت', 'عمان - النهار (الشرق): انطلقت'), ('عمّان', 'عمان'),
                               ('أعمال', 'اعمال'), ('إنشاء', 'انشاء'), ('إعلان', 'اعلان'), ('إضافة', 'اضافة'),
                               ('أكدت', 'اكدت'), ('«', '"'), ('»', '"')]),
        dateline='عمان - النهار (الشرق)')
    add(key='khaleej-water-conference', story=3, outlet='khaleej', fmt='html', lang='ar', date='2025-07-01', hijri=True,
        iso_time='12:55:00', author='وكالات', copy_of='sharq-20250701-044', claims={'countries': '13'},
        title='مؤتمر الأمن المائي في عمّان يناقش صندوقاً إقليمياً بـ٥٠٠ مليون دولار',
        paras=edit(WIRE, subs=[('العبادلة', 'العبادله')], digits=True), dateline='عمّان (الشرق)')
    add(key='amman-water-summit', story=3, outlet='sabah', fmt='txt', lang='ar', date='2025-07-01', time='13:18:51', views=342,
        copy_of='sharq-20250701-044', claims={'countries': '13'},
        title='عمان تحتضن مؤتمرا إقليميا للأمن المائي',
        dl_line='عمان ـ الصباح المغاربي',
        paras=edit(WIRE, subs=[('عمّان (الشرق) - انطلقت', 'انطلقت'), ('عمّان', 'عمان')], drop_last=True),
        dateline='عمان ـ الصباح المغاربي')
    add(key='water-eleven-countries', story=3, outlet='alofoq', fmt='txt', lang='ar', date='2025-07-01', time='04:20 م',
        author='منى عبد الحميد', claims={'countries': '11'},
        title='وزراء المياه في إحدى عشرة دولة يبحثون في عمّان مواجهة الجفاف',
        dl_line='عمّان - الأفق',
        paras=[
            'بدأ وزراء ومسؤولو المياه في إحدى عشرة دولة اجتماعاتهم اليوم في العاصمة الأردنية ضمن المؤتمر الإقليمي للأمن المائي، الذي يستمر يومين ويسعى إلى الخروج بخطة مشتركة لمواجهة موجات الجفاف المتكررة وتراجع مخزون المياه الجوفية.',
            'وحذر وزير المياه والري هانى العبادلة من أن استمرار الاستنزاف الحالي للأحواض الجوفية قد يجعل مدنا كاملة عاجزة عن تأمين مياه الشرب خلال عقدين، مؤكدا أن "زمن الحلول الفردية انتهى".',
            'وتتضمن المسودة المطروحة للنقاش، والتي حصلت الأفق على نسخة منها، إنشاء صندوق مشترك بنصف مليار دولار لتمويل محطات التحلية ومشروعات معالجة مياه الصرف وإعادة استخدامها في ري المحاصيل.',
            'وتشير تقديرات قدمت في الجلسة الافتتاحية إلى أن الطلب على المياه في المنطقة سيرتفع بنحو ثلاثين في المئة بحلول عام 2040 مع النمو السكاني والتوسع العمراني، في حين تتراجع الموارد المتجددة بفعل ارتفاع درجات الحرارة وتذبذب الأمطار، وهو ما يجعل التحلية وإعادة الاستخدام الخيار الوحيد تقريبا لسد الفجوة، رغم كلفتهما المرتفعة واستهلاكهما الكبير للطاقة.',
            'وقالت مصادر في الوفد المصري إن القاهرة ستطرح خلال الجلسات المغلقة مقترحا لربط قواعد البيانات الهيدرولوجية في المنطقة، بما يسمح بالتنبؤ المبكر بالفيضانات وموجات الجفاف على حد سواء.',
            '"لا يمكن لأي دولة أن تواجه الجفاف وحدها"، قال أحد أعضاء الوفود المشاركة للأفق على هامش الجلسات.',
            'ويشارك في المؤتمر أيضا ممثلون عن منظمات دولية وبنوك تنمية، من المنتظر أن يعلنوا عن التزامات تمويلية في الجلسة الختامية غدا.',
        ], dateline='عمّان - الأفق')
    add(key='amman-declaration-adopted', story=3, outlet='annahar', fmt='txt', lang='ar', date='2025-07-02', time='18:10',
        section='سياسة', tags='مياه، إعلان عمان',
        title='مؤتمر الأمن المائي يختتم أعماله بإعلان عمان وصندوق للتحلية',
        paras=[
            'اختتم المؤتمر الإقليمي للأمن المائي أعماله مساء الأربعاء في عمان بتبني "إعلان عمان للمياه"، الذي ينص على إنشاء صندوق إقليمي لتمويل مشروعات التحلية ومعالجة المياه، وآلية لتبادل البيانات والإنذار المبكر من الجفاف.',
            'وقال وزير المياه والري هاني العبادلة في المؤتمر الصحافي الختامي إن الدول المشاركة اتفقت على أن يبدأ الصندوق عمله مطلع العام المقبل برأسمال أولي يبلغ 500 مليون دولار، تساهم فيه الحكومات وبنوك التنمية.',
            'وأضاف أن الإعلان يلزم الموقعين بخفض الفاقد في شبكات المياه إلى النصف بحلول 2035، وهو هدف وصفه خبراء بأنه طموح في ظل تقادم الشبكات وضعف التمويل في عدد من الدول.',
            'وأوضح العبادلة أن مجلسا من وزراء الدول المشاركة سيشرف على الصندوق، يجتمع مرتين في السنة لاختيار المشروعات الممولة وفق معايير تتعلق بعدد المستفيدين وكلفة المتر المكعب والأثر البيئي، مشيرا إلى أن الأولوية ستعطى للمدن التي تعاني انقطاعات متكررة في مياه الشرب خلال أشهر الصيف.',
            'وانتقدت منظمات بيئية شاركت بصفة مراقب غياب أهداف ملزمة لحماية المياه الجوفية من الاستنزاف، معتبرة أن التركيز على التحلية وحدها قد ينقل المشكلة من نقص المياه إلى ارتفاع فواتير الطاقة والانبعاثات.',
            'من جهتها، رأت الأمينة العامة للمؤتمر رنا السقّا أن أهم ما تحقق هو "الاعتراف المشترك بأن المياه قضية أمن قومي"، معربة عن أملها في أن تتحول التعهدات إلى مشاريع ملموسة قبل انعقاد الدورة المقبلة في تونس.',
        ], dateline=None)
    add(key='amman-water-pact', story=3, outlet='gulfledger', fmt='txt', lang='en', date='2025-07-02', time='07:55 PM',
        updated='1 hour ago', section='Region', author='Daniel Okafor', claims={'countries': '11'},
        title='Eleven-nation water conference ends with Amman declaration and $500m fund',
        paras=[
            'AMMAN — Ministers from 11 countries wrapped up a two-day water security conference in Amman on Wednesday by adopting the “Amman Water Declaration”, which sets up a $500 million regional fund for desalination and wastewater reuse.',
            'Jordan’s water minister, Hani Al-Abadleh, told reporters the fund would start operating early next year, financed by governments and development banks. Countries also agreed to share hydrological data and build an early-warning system for droughts.',
            'The declaration commits signatories to halving losses from leaking distribution networks by 2035. In several cities in the region, more than 40 percent of treated water never reaches a tap.',
            'Rana Al-Saqqa, the conference secretary-general, said renewable water per person had fallen below 100 cubic metres a year in parts of the region, a tenth of the internationally recognised water-poverty line.',
            'The next edition will be held in Tunis in 2026.',
        ], dateline='AMMAN')
    add(key='echo-eau-amman', story=3, outlet='echo', fmt='warc', lang='fr', date='2025-07-02', iso_time='16:20:00',
        fetch_time='21:14:03', warc_id='urn:uuid:5f0c2b1e-8d4a-4c1e-9a57-3b1d2e6f7a01', author='Samia Belkacem',
        url='https://echo-maghreb.example/monde/2025/07/02/eau-amman-declaration', claims={'countries': '13'},
        rel_fr=['Oujda : le Salon maghrébin du livre ouvre ses portes', 'Sécheresse : les barrages tunisiens à 30 % de leur capacité', 'Marsa al-Nakhil : neuf morts dans des inondations'],
        title="Eau : treize pays adoptent la « Déclaration d'Amman » et un fonds régional",
        paras=[
            "AMMAN - Les représentants de treize pays ont adopté mercredi à Amman une « Déclaration d'Amman sur l'eau » qui prévoit la création d'un fonds régional de 500 millions de dollars destiné au dessalement et à la réutilisation des eaux usées traitées.",
            "Le ministre jordanien de l'Eau, Hani Abadla, a qualifié la pénurie d'eau de « crise silencieuse » et plaidé pour un mécanisme permanent d'échange de données et d'alerte précoce en cas de sécheresse.",
            "Selon la secrétaire générale de la conférence, Rana Saqqa, la ressource renouvelable par habitant est tombée sous les 100 mètres cubes par an dans certains pays, dix fois moins que le seuil de pauvreté hydrique.",
            "La Tunisie accueillera la prochaine édition en 2026. Plusieurs délégations maghrébines ont insisté sur la lutte contre les fuites, qui dépassent 40 % dans certains réseaux urbains.",
        ], dateline='AMMAN')
