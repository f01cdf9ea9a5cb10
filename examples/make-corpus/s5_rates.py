# Story 5: the Sahel Central Bank cuts its key rate; an English wire story and its copies, plus Arabic reports.
WIRE_TITLE = 'Sahel Central Bank cuts key rate by 25 basis points to 4.75%'
WIRE = [
    '(MNA) — The Sahel Central Bank cut its benchmark interest rate by 25 basis points to 4.75% on Wednesday, its first reduction in more than two years, citing easing inflation and slowing growth in the non-oil economy.',
    'Governor Mona Al-Hakim told a news conference that annual inflation had fallen to 2.1% in May from a peak of 6.8% in 2023, giving the bank "room to support credit to households and small businesses without putting price stability at risk".',
    'Nine of 12 economists polled by Meridian News Agency last week had expected a cut of that size. Two forecast no change and one expected a larger, 50 basis point move.',
    'Al-Hakim said the bank would keep its reserve requirement for commercial banks unchanged at 7% and would continue to watch the exchange rate closely. She declined to say whether further cuts would follow, saying decisions would be taken "meeting by meeting".',
    'Shares of listed banks fell slightly after the announcement, while property developers gained, with traders betting that cheaper mortgages would revive home sales.',
    'The bank’s monetary policy committee is next due to meet on September 17.',
]


def build(add, edit, indic, STORIES):
    STORIES.append({
        'story': 5, 'about': 'Sahel Central Bank cuts its benchmark rate by 25 basis points to 4.75%',
        'first': '2025-07-02',
        'entities': [
            {'name': 'منى الحكيم', 'variants': ['مُنى الحكيم', 'الحكيم', 'Mona Al-Hakim', 'Mona Al Hakim']},
            {'name': 'مصرف الساحل المركزي', 'variants': ['المصرف المركزي', 'مصرف الساحل', 'Sahel Central Bank']},
        ],
        'disagreements': [],
    })
    add(key='mna-20250702-0931', story=5, outlet='meridian', fmt='text', feed='meridian-wire', lang='en',
        date='2025-07-02', feed_date='2025-07-02T09:31:00Z', title=WIRE_TITLE, paras=WIRE, dateline='(MNA)',
        url='https://meridian-news.example/wire/2025/07/02/0931')
    add(key='sahel-rate-cut', story=5, outlet='gulfledger', fmt='txt', lang='en', date='2025-07-02', time='11:02 AM',
        updated='just now', section='Business', author='Meridian News Agency', copy_of='mna-20250702-0931',
        title='Sahel central bank makes first rate cut in two years',
        paras=edit(WIRE, subs=[('(MNA) — The', 'The'), ('4.75%', '4.75 percent'), ('2.1%', '2.1 percent'), ('6.8%', '6.8 percent'), ('7%', '7 percent')]),
        dateline=None)
    add(key='ct-0702-rates', story=5, outlet='coastal', fmt='page', feed='coastal-times', lang='en', date='2025-07-02',
        readtime='2 min read', copy_of='mna-20250702-0931',
        title='Central bank trims key rate to 4.75% as inflation cools',
        paras=edit(WIRE, subs=[('(MNA) —', 'July 2 (MNA) -'), ('Al-Hakim', 'Al Hakim')], drop_last=True),
        dateline='July 2 (MNA)')
    add(key='markazi-faida', story=5, outlet='khaleej', fmt='txt', lang='ar', date='2025-07-02', author='اقتصاد',
        title='المصرف المركزي يخفض سعر الفائدة إلى ٤٫٧٥٪',
        paras=[
            'قرر مصرف الساحل المركزي اليوم الأربعاء خفض سعر الفائدة الرئيسي بمقدار ٢٥ نقطة أساس إلى ٤٫٧٥٪، في أول خفض منذ أكثر من عامين، مستندا إلى تراجع معدلات التضخم وتباطؤ نمو القطاعات غير النفطية.',
            'وقالت محافظة المصرف منى الحكيم في مؤتمر صحفي إن التضخم السنوي انخفض إلى ٢٫١٪ في مايو الماضي بعد أن بلغ ذروته عند ٦٫٨٪ في عام ٢٠٢٣، ما يتيح للمصرف دعم الإقراض للأسر والمنشآت الصغيرة.',
            'وأبقى المصرف على نسبة الاحتياطي الإلزامي للبنوك التجارية دون تغيير عند ٧٪، فيما رفضت الحكيم الإفصاح عما إذا كانت تخفيضات أخرى ستتبع خلال العام.',
            'وتراجعت أسهم البنوك المدرجة بشكل طفيف عقب القرار، في حين ارتفعت أسهم شركات التطوير العقاري وسط توقعات بانتعاش التمويل السكني.',
        ], dateline=None)
    add(key='central-bank-cut', story=5, outlet='alofoq', fmt='txt', lang='ar', date='2025-07-02', time='03:10 م',
        author='الأفق - اقتصاد',
        title='أول خفض للفائدة منذ عامين.. مصرف الساحل يخفض سعره الرئيسي ربع نقطة',
        paras=[
            'خفض مصرف الساحل المركزي سعر الفائدة الرئيسي ربع نقطة مئوية إلى 4.75 في المئة، في خطوة توقعها معظم المحللين، بعد أن واصل التضخم تراجعه للشهر الثامن على التوالي.',
            'وقالت المحافظة مُنى الحكيم إن القرار يهدف إلى "دعم الائتمان للأسر والمشروعات الصغيرة من دون المساس باستقرار الأسعار"، مؤكدة أن المصرف سيتخذ قراراته المقبلة "اجتماعا باجتماع".',
            'ويرى اقتصاديون أن الخفض سيخفف أعباء القروض العقارية والاستهلاكية، لكنه قد يضغط على هوامش أرباح البنوك التي استفادت خلال العامين الماضيين من ارتفاع أسعار الفائدة.',
            'وكان المصرف قد رفع أسعار الفائدة خمس مرات متتالية بين عامي 2022 و2023 لمواجهة موجة التضخم التي أعقبت ارتفاع أسعار الغذاء والطاقة عالميا، قبل أن يثبتها طوال العام الماضي، وهو ما أدى إلى تباطؤ ملحوظ في نمو القروض الممنوحة للقطاع الخاص وتراجع مبيعات العقارات والسيارات، بحسب بيانات المصرف نفسه.',
            'وأشار محللون إلى أن المصرف أبقى الباب مفتوحا أمام خفض إضافي في اجتماعه المقبل في سبتمبر، إذا استمرت مؤشرات التضخم على مسارها الحالي واستقر سعر الصرف.',
        ], dateline=None)
    add(key='taux-banque-centrale', story=5, outlet='sabah', fmt='txt', lang='ar', date='2025-07-02', time='17:44:09', views=58,
        title='مصرف الساحل المركزي يخفض فائدته إلى 4,75 في المائة',
        paras=[
            'أعلن مصرف الساحل المركزي، يوم الأربعاء، عن خفض سعر الفائدة الرئيسي بـ25 نقطة أساس ليستقر في 4,75 في المائة، وذلك لأول مرة منذ ما يزيد عن سنتين.',
            'وأوضحت محافظة المصرف، منى الحكيم، أن هذا القرار يأتي في ظل تباطؤ التضخم الذي نزل إلى 2,1 في المائة خلال شهر ماي الماضي، مقابل 6,8 في المائة سنة 2023.',
            'وأبرزت المسؤولة ذاتها أن المصرف سيواصل تتبع تطورات سعر الصرف عن كثب، مع الإبقاء على نسبة الاحتياطي الإلزامي في مستوى 7 في المائة.',
            'ويرتقب أن ينعكس القرار على كلفة القروض الموجهة للسكن والاستهلاك خلال الأشهر المقبلة، حسب مهنيين في القطاع البنكي.',
        ], dateline=None)
    add(key='rate-cut-reactions', story=5, outlet='annahar', fmt='txt', lang='ar', date=None, date_known=False,
        shown_date='2025-07-02', relative='منذ 5 ساعات', section='اقتصاد', tags='فائدة، مصارف، تضخم',
        title='خفض الفائدة: ارتياح في سوق العقارات وحذر في المصارف',
        paras=[
            'قابل مطورون عقاريون قرار المصرف المركزي خفض سعر الفائدة ربع نقطة بارتياح واضح، معتبرين أنه قد يعيد الحياة إلى سوق الشقق السكنية الذي شهد ركودا منذ ارتفاع كلفة القروض قبل عامين.',
            'أما في المصارف فالنبرة أكثر حذرا، إذ يقول مديرون إن الخفض سيقلص الفارق بين فوائد الإيداع والإقراض، وإن أثره على حجم التمويل لن يظهر قبل أشهر.',
            'ويقدر سماسرة عقاريون أن خفض الفائدة ربع نقطة يعني تراجع القسط الشهري لقرض سكني متوسط بنحو ثلاثة في المئة، وهو فرق "رمزي" بحسب أحدهم، لكنه قد يكفي لإقناع المترددين بالعودة إلى السوق إذا تبعته تخفيضات أخرى قبل نهاية العام.',
            'وكانت محافظة المصرف منى الحكيم قد ربطت أي خطوة لاحقة بمسار التضخم وسعر الصرف، رافضة الالتزام بجدول زمني لتخفيضات إضافية.',
        ], dateline=None)
