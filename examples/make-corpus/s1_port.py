# Story 1: the trade minister signs a container-terminal deal in the port city of Marsa al-Nakhil.
WIRE_TITLE = 'توقيع اتفاقية بـ1.2 مليار دولار لإنشاء محطة حاويات جديدة في ميناء مرسى النخيل'
WIRE = [
    'مرسى النخيل (الشرق) - وقع وزير التجارة والصناعة عبد الرحمن الأنصاري اليوم الأربعاء في مدينة مرسى النخيل اتفاقية مع مجموعة أمواج للموانئ لإنشاء محطة حاويات جديدة في الميناء التجاري للمدينة، باستثمارات تبلغ 1.2 مليار دولار على مدى خمس سنوات، في خطوة تقول الحكومة إنها ستضاعف الطاقة الاستيعابية للميناء وتعزز موقعه على خطوط الملاحة الإقليمية.',
    'وقال الأنصاري في مؤتمر صحفي عقب مراسم التوقيع إن المحطة الجديدة ستستقبل السفن العملاقة للمرة الأولى، وسترفع قدرة الميناء من 900 ألف حاوية إلى مليوني حاوية سنويا بحلول عام 2030، مضيفا أن المشروع سيوفر نحو أربعة آلاف فرصة عمل مباشرة لأبناء المنطقة، إلى جانب آلاف الوظائف غير المباشرة في النقل والتخزين.',
    'ومن جهته، أوضح المدير التنفيذي لمجموعة أمواج للموانئ فيصل المنصوري أن أعمال الحفر والردم ستبدأ مطلع العام المقبل، وأن المرحلة الأولى تشمل رصيفا بطول 800 متر وساحة تخزين مبردة لخدمة صادرات الخضار والأسماك، على أن تدخل المحطة الخدمة جزئيا قبل نهاية عام 2027.',
    'وتتضمن الاتفاقية، بحسب نسخة اطلعت عليها وكالة الشرق للأنباء، امتيازا لتشغيل المحطة مدته ثلاثون عاما، تعود بعده ملكية المنشآت كاملة إلى هيئة الموانئ، على أن تحصل الدولة على حصة من الإيرادات تبدأ بعشرة في المئة وترتفع تدريجيا مع زيادة حجم المناولة.',
    'وأشار الوزير إلى أن الحكومة تعمل بالتوازي على توسعة الطريق السريع الذي يربط مرسى النخيل بالمنطقة الصناعية، وإنشاء خط سكة حديد للشحن، حتى لا تتحول زيادة حركة الحاويات إلى اختناقات مرورية داخل أحياء المدينة القديمة المحاذية للميناء.',
    'ويعد ميناء مرسى النخيل ثاني أكبر موانئ البلاد من حيث حجم المناولة، وقد سجل العام الماضي نموا في حركة الحاويات بنسبة 14 في المئة، وفق بيانات هيئة الموانئ، فيما تنافسه موانئ مجاورة على استقطاب خطوط الشحن القادمة من شرق آسيا.',
]


def build(add, edit, indic, STORIES):
    STORIES.append({
        'story': 1, 'about': 'Trade minister al-Ansari signs a $1.2bn container-terminal deal with Amwaj Ports Group in Marsa al-Nakhil',
        'first': '2025-06-25',
        'entities': [
            {'name': 'عبد الرحمن الأنصاري', 'variants': ['عبدالرحمن الأنصاري', 'عبد الرحمن الانصاري', 'عبد الرحمن الأنصارى', 'الانصاري', 'Abdulrahman Al-Ansari', 'Abdul Rahman al-Ansary']},
            {'name': 'مرسى النخيل', 'variants': ['مرسي النخيل', 'Marsa Al Nakhil', 'Marsa al-Nakheel']},
            {'name': 'مجموعة أمواج للموانئ', 'variants': ['مجموعه امواج للموانئ', 'امواج', 'Amwaj Ports Group', 'Amwaj Ports']},
            {'name': 'فيصل المنصوري', 'variants': ['فيصل المنصورى', 'Faisal Al-Mansouri', 'Faisal Al Mansoori']},
        ],
        'disagreements': [],
    })
    add(key='sharq-20250625-017', story=1, outlet='sharq', fmt='text', feed='alsharq-wire', lang='ar',
        date='2025-06-25', feed_date='2025-06-25T09:20:00Z', title=WIRE_TITLE, paras=WIRE,
        dateline='مرسى النخيل (الشرق)', url='https://wire.alsharq-agency.example/ar/20250625/017')
    # copy 1: new title, new dateline prefix, split name form
    add(key='ansari-marsa-port-deal', story=1, outlet='alofoq', fmt='txt', lang='ar', date='2025-06-25',
        copy_of='sharq-20250625-017', time='01:35 م', author='الأفق - وكالات',
        title='الأنصاري يوقع اتفاقية محطة حاويات جديدة بمرسى النخيل باستثمارات 1.2 مليار دولار',
        paras=edit(WIRE, subs=[('مرسى النخيل (الشرق) - وقع', 'مرسى النخيل - الأفق (الشرق): وقع'),
                               ('عبد الرحمن الأنصاري', 'عبدالرحمن الأنصاري')]) + ['المصدر: وكالة الشرق للأنباء'],
        dateline='مرسى النخيل - الأفق (الشرق)')
    # copy 2: Arabic-Indic digits, hamza dropped, new title (HTML page)
    add(key='khaleej-ansari-terminal', story=1, outlet='khaleej', fmt='html', lang='ar', date='2025-06-25',
        copy_of='sharq-20250625-017', iso_time='14:10:00', author='وكالات',
        title='اتفاقية لإنشاء محطة حاويات جديدة في ميناء مرسى النخيل',
        paras=edit(WIRE, subs=[('الأنصاري', 'الانصاري'), ('المنصوري', 'المنصورى'), ('أمواج', 'امواج'), ('مجموعة', 'مجموعه')], digits=True),
        dateline='مرسى النخيل (الشرق)')
    # copy 3: last paragraph dropped, dateline on its own line, a stray shadda, final ya
    p = edit(WIRE, subs=[('مرسى النخيل (الشرق) - وقع', 'وقَّع'), ('الأنصاري', 'الأنصارى')], drop_last=True)
    add(key='marsa-nakhil-terminal', story=1, outlet='sabah', fmt='txt', lang='ar', date='2025-06-25',
        copy_of='sharq-20250625-017', time='15:02:10', views=87,
        title='وزير التجارة يوقع عقد محطة حاويات في مرسى النخيل',
        dl_line='مرسى النخيل ـ الصباح المغاربي', paras=p, dateline='مرسى النخيل ـ الصباح المغاربي')
    add(key='port-deal-analysis', story=1, outlet='annahar', fmt='txt', lang='ar', date='2025-06-26', time='11:20',
        section='اقتصاد', tags='موانئ، تجارة، مرسي النخيل، استثمار',
        title='محطة أمواج في مرسي النخيل: رهان على السفن العملاقة وأسئلة عن الكلفة',
        paras=[
            'لم تكن الاتفاقية التي وقعها وزير التجارة عبد الرحمن الانصاري أمس في مرسي النخيل مفاجئة للعاملين في قطاع الشحن، فالحديث عن محطة حاويات ثانية في الميناء يتردد منذ سنوات، لكن حجم الاستثمار المعلن، وهو 1.2 مليار دولار، وطول مدة الامتياز الممنوح لمجموعة أمواج للموانئ، أعادا فتح النقاش حول من يربح فعلا من هذه الصفقة.',
            'ويقول مسؤولون في هيئة الموانئ إن الميناء الحالي يعمل منذ عامين بأكثر من طاقته، وإن السفن الكبيرة تضطر إلى الانتظار في عرض البحر أياما قبل أن تجد رصيفا شاغرا، وهو ما يرفع كلفة الشحن على المستوردين ويدفع بعض الخطوط إلى تحويل رحلاتها إلى موانئ منافسة.',
            '"المحطة الجديدة ليست ترفا، بل شرط لبقاء الميناء على الخريطة"، يقول خبير النقل البحري سليم عواد، مضيفا أن التحدي الحقيقي لن يكون في بناء الرصيف بل في الطرق المؤدية إليه، لأن الشاحنات تعبر اليوم وسط الأحياء السكنية.',
            'وبحسب أرقام هيئة الموانئ، ارتفعت حركة الحاويات في مرسي النخيل بنسبة 14 في المئة العام الماضي لتقترب من 900 ألف حاوية، وهو رقم يتجاوز الطاقة التصميمية للأرصفة الحالية، ما يعني أن كل زيادة إضافية في الطلب تترجم مباشرة إلى طوابير أطول من السفن في عرض البحر، وإلى رسوم تأخير يدفعها المستوردون في النهاية ويحملونها على أسعار السلع في الأسواق المحلية.',
            'في المقابل، يرى نواب في لجنة الاقتصاد أن امتيازا لثلاثين عاما مع حصة حكومية تبدأ بعشرة في المئة من الإيرادات شروط سخية للمستثمر، ويطالبون بنشر نص الاتفاقية كاملا ومناقشته قبل بدء أعمال الحفر المقررة مطلع العام المقبل.',
            'أما في المدينة نفسها فالأسئلة أبسط: هل ستذهب الوظائف الأربعة آلاف الموعودة إلى أبناء مرسي النخيل؟ وهل سيتحمل الصيادون الذين يرسون قواربهم قرب الحوض القديم كلفة التوسعة؟ أسئلة قال الوزير إن الحكومة "ستجيب عنها بالأفعال".',
            'ويبقى أن المشروع، إن نفذ في مواعيده، سيغير وجه الواجهة البحرية للمدينة خلال خمس سنوات، بين رصيف جديد بطول 800 متر وساحات تخزين مبردة وطريق سريع موسع، في مدينة اعتاد أهلها أن يكون الميناء جزءا من حياتهم اليومية لا سورا يفصلهم عن البحر.',
        ], dateline=None)
    add(key='gulfledger-amwaj-terminal', story=1, outlet='gulfledger', fmt='html', lang='en', date='2025-06-25',
        iso_time='16:05:00', section='Business', author='Rania Mostafa',
        title='Amwaj Ports Group wins $1.2bn deal to build new container terminal at Marsa Al Nakhil',
        paras=[
            'MARSA AL NAKHIL — Amwaj Ports Group will build and operate a second container terminal at the port of Marsa Al Nakhil under a $1.2 billion agreement signed on Wednesday with the trade ministry, in the largest port investment the country has seen in a decade.',
            'Trade Minister Abdulrahman Al-Ansari said the terminal would lift the port’s annual capacity from 900,000 containers to two million by 2030 and allow it to handle the ultra-large vessels that now bypass it for rival hubs.',
            'Faisal Al-Mansouri, chief executive of Amwaj Ports Group, said dredging and reclamation work would begin early next year. The first phase includes an 800-metre quay and a refrigerated yard aimed at fruit, vegetable and seafood exporters.',
            'The deal grants Amwaj a 30-year concession, after which the facilities revert to the ports authority. The state will receive a share of revenue starting at 10 percent, rising as volumes grow, according to officials familiar with the terms.',
            'Shipping analysts welcomed the added capacity but warned that road and rail links into the port remain a bottleneck. Al-Ansari said a widening of the motorway to the industrial zone and a new freight rail line were being planned in parallel.',
        ], dateline='MARSA AL NAKHIL')
    add(key='ct-0626-ports', story=1, outlet='coastal', fmt='page', feed='coastal-times', lang='en', date='2025-06-26',
        readtime='4 min read',
        title='Marsa al-Nakheel port expansion: what the $1.2 billion terminal means for shipping',
        paras=[
            'When Abdul Rahman al-Ansary put his signature to the Amwaj terminal agreement on Wednesday, he did more than add a quay to a busy harbour. The trade minister bet that Marsa al-Nakheel can win back the large container ships that have been sailing past it for years.',
            'The port handled roughly 900,000 containers last year, up 14 percent, and its berths are full most of the time. Captains routinely wait offshore for two or three days, a delay that shipping lines pass straight on to importers.',
            '"Capacity is the whole story," said Faisal Al Mansoori, who runs Amwaj Ports and will oversee the project. "If the big ships cannot come alongside, the cargo simply goes somewhere else."',
            'Not everyone is convinced the price is right. Opposition lawmakers say a 30-year concession with a starting state share of ten percent is generous to the operator, and they have asked for the full contract to be published.',
            'Residents of the old town, meanwhile, worry about lorries. Until the promised motorway widening and freight railway are finished, every extra container will have to travel through streets that were never built for heavy traffic.',
        ], dateline=None)
