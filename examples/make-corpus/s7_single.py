# Stories 7-12: single-article stories, so that not every article belongs to a group.


def build(add, edit, indic, STORIES):
    STORIES += [
        {'story': 7, 'about': 'Eighth Maghrebi Book Fair opens in Oujda', 'first': '2025-07-04',
         'entities': [{'name': 'وجدة', 'variants': ['بوجدة']}], 'disagreements': []},
        {'story': 8, 'about': 'Harbour City FC signs striker Tomas Ferreira', 'first': '2025-07-05',
         'entities': [{'name': 'Harbour City FC', 'variants': ['Harbour City']}], 'disagreements': []},
        {'story': 9, 'about': 'Heatwave warning: temperatures above 44C expected in inland areas', 'first': '2025-06-30',
         'entities': [], 'disagreements': []},
        {'story': 10, 'about': 'New children\'s hospital opens in the capital on the first day of Muharram', 'first': '2025-06-26',
         'entities': [], 'disagreements': []},
        {'story': 11, 'about': 'Youth handball team qualifies for the world championship', 'first': '2025-07-04',
         'entities': [], 'disagreements': []},
        {'story': 12, 'about': 'National carrier adds three weekly flights to East Africa', 'first': '2025-06-27',
         'entities': [], 'disagreements': []},
    ]
    add(key='salon-livre-oujda', story=7, outlet='sabah', fmt='txt', lang='ar', date='2025-07-04', time='19:27:12', views=133,
        title='افتتاح الدورة الثامنة لمعرض الكتاب المغاربي بوجدة',
        dl_line='وجدة ـ الصباح المغاربي',
        paras=[
            'افتتحت مساء الجمعة بمدينة وجدة فعاليات الدورة الثامنة لمعرض الكتاب المغاربي، بمشاركة أزيد من مئتي دار نشر من بلدان المغرب العربي وإفريقيا وأوروبا، وبرنامج ثقافي يمتد إلى غاية 13 جويلية الجاري.',
            'ويحل الأدب الموريتاني ضيف شرف على هذه الدورة، من خلال جناح خاص يعرض مخطوطات نادرة وإصدارات حديثة، إلى جانب أمسيات شعرية يحييها شعراء من نواكشوط وأطار.',
            'وأكد مدير المعرض في كلمة الافتتاح أن الدورة الحالية تراهن على استقطاب الشباب عبر ورشات في الكتابة والرسم والقصص المصورة، وتخفيضات على الكتب المدرسية والجامعية تصل إلى أربعين في المائة.',
            'وعرفت الدورة السابقة، التي نظمت في فيفري من السنة الماضية، توافد أكثر من ثمانين ألف زائر، وهو رقم يأمل المنظمون تجاوزه هذه السنة بعد نقل موعد المعرض إلى العطلة الصيفية.',
        ], dateline='وجدة ـ الصباح المغاربي')
    add(key='ct-0705-ferreira', story=8, outlet='coastal', fmt='page', feed='coastal-times', lang='en', date='2025-07-05',
        readtime='2 min read',
        title='Harbour City complete signing of striker Tomas Ferreira',
        paras=[
            'Harbour City FC have signed Portuguese striker Tomas Ferreira on a three-year contract, the club announced on Saturday, ending a summer-long search for a forward after last season’s top scorer left for Turkey.',
            'Ferreira, 27, scored 14 league goals for his former club last season. The fee was not disclosed, but local media put it at around 2.5 million euros.',
            '"He is quick, he works for the team and he knows where the goal is," head coach Adel Karim said. "We needed exactly this profile."',
            'The striker is expected to join the squad at its pre-season training camp next week and could make his debut in the friendly against Al Shabab on July 19.',
        ], dateline=None)
    add(key='heatwave', story=9, outlet='annahar', fmt='txt', lang='ar', date='2025-06-30', time='13:00',
        section='مجتمع', tags='طقس، موجة حر',
        title='موجة حر تضرب المناطق الداخلية والحرارة تتجاوز 44 درجة',
        paras=[
            'حذرت دائرة الأرصاد الجوية من موجة حر شديدة تبدأ غدا الثلاثاء وتستمر حتى نهاية الأسبوع، ترتفع خلالها درجات الحرارة في المناطق الداخلية والصحراوية إلى ما فوق 44 درجة مئوية، أي أعلى من معدلاتها لمثل هذا الوقت من السنة بنحو سبع درجات.',
            'ودعت الدائرة المواطنين إلى تجنب التعرض المباشر لأشعة الشمس بين الحادية عشرة صباحا والرابعة عصرا، والإكثار من شرب المياه، والانتباه بشكل خاص إلى كبار السن والأطفال والمصابين بأمراض مزمنة.',
            'وأعلنت وزارة العمل تقليص ساعات العمل في المواقع المكشوفة خلال فترة الذروة، فيما طلبت شركة الكهرباء من المشتركين ترشيد استخدام المكيفات تفاديا للضغط على الشبكة.',
            'ويتوقع أن تنحسر الموجة تدريجيا اعتبارا من الأحد مع عودة الرياح الغربية، على أن تبقى الأجواء حارة نسبيا حتى منتصف تموز.',
        ], dateline=None)
    add(key='children-hospital', story=10, outlet='khaleej', fmt='txt', lang='ar', date='2025-06-26', hijri=True, author='صحة',
        title='افتتاح مستشفى جديد للأطفال بسعة ٣٢٠ سريرا',
        paras=[
            'افتتحت وزارة الصحة اليوم الخميس مستشفى جديدا متخصصا في طب الأطفال في العاصمة، بسعة ٣٢٠ سريرا، يضم وحدات للعناية المركزة لحديثي الولادة وجراحة القلب والأورام.',
            'وأوضح مدير المستشفى أن المنشأة ستبدأ العمل تدريجيا، إذ تستقبل العيادات الخارجية المرضى اعتبارا من الأسبوع المقبل، على أن تفتح الأقسام الداخلية كاملة قبل نهاية العام.',
            'ويأتي افتتاح المستشفى في إطار خطة لتقليص قوائم الانتظار في المستشفيات العامة، التي تجاوزت في بعض التخصصات ستة أشهر، بحسب تقارير رقابية.',
            'وأشار وكيل وزارة الصحة إلى أن المستشفى سيعتمد نظاما إلكترونيا موحدا للملفات الطبية يربطه بالمراكز الصحية الأولية، بحيث يحال الأطفال إليه مباشرة من دون الحاجة إلى مراجعة أكثر من جهة، كما سيضم مركزا لتدريب الأطباء المقيمين في تخصصات طب الأطفال الدقيقة.',
        ], dateline=None)
    add(key='handball-youth', story=11, outlet='alofoq', fmt='txt', lang='ar', date='2025-07-04', time='11:55 م',
        author='القسم الرياضي',
        title='منتخب الشباب لكرة اليد يتأهل إلى بطولة العالم',
        paras=[
            'تأهل منتخب الشباب لكرة اليد إلى نهائيات بطولة العالم للمرة الثالثة في تاريخه، بعد فوزه مساء اليوم الجمعة على نظيره التونسي بنتيجة 31 مقابل 29 في الدور نصف النهائي للبطولة القارية.',
            'وتقدم المنتخب في الشوط الأول بفارق أربعة أهداف، قبل أن يعود المنافس في الدقائق العشر الأخيرة، إلا أن تألق الحارس في التصديات الحاسمة حافظ على الفوز حتى صافرة النهاية.',
            'وقال المدير الفني للمنتخب إن اللاعبين قدموا "مباراة بطولية"، مؤكدا أن الهدف الآن هو التتويج باللقب القاري في النهائي المقرر بعد غد الأحد.',
            'ويلتقي المنتخب في المباراة النهائية الفائز من مواجهة الجزائر ومصر، في إعادة لنهائي النسخة الماضية، فيما تقام بطولة العالم للشباب في شهر أغسطس من العام المقبل بمشاركة أربعة وعشرين منتخبا.',
        ], dateline=None)
    add(key='sharq-20250627-031', story=12, outlet='sharq', fmt='text', feed='alsharq-wire', lang='ar',
        date='2025-06-27', feed_date='2025-06-27T11:48:00Z', url='https://wire.alsharq-agency.example/ar/20250627/031',
        title='الناقل الوطني يضيف ثلاث رحلات أسبوعية إلى شرق أفريقيا',
        paras=[
            'العاصمة (الشرق) - أعلنت شركة الطيران الوطنية اليوم الجمعة إضافة ثلاث رحلات أسبوعية إلى وجهات في شرق أفريقيا اعتبارا من منتصف أيلول المقبل، ضمن خطة لتوسيع شبكتها في القارة.',
            'وقال الرئيس التنفيذي للشركة إن الرحلات الجديدة ستخدم المسافرين من رجال الأعمال والجاليات المقيمة، إضافة إلى شحن المنتجات الزراعية الطازجة، مشيرا إلى أن الطلب على هذه الخطوط ارتفع بنسبة ثلاثين في المئة خلال العام الجاري.',
            'وأوضح أن الشركة ستستخدم على هذه الخطوط طائرات ضيقة البدن بسعة 162 مقعدا، مع درجة رجال أعمال، وأنها تدرس إطلاق رحلات شحن مخصصة للمنتجات الزراعية في حال نجاح التجربة خلال الأشهر الستة الأولى.',
            'وتشغل الشركة حاليا أسطولا من 46 طائرة، وتخطط لاستلام ست طائرات جديدة ضيقة البدن قبل نهاية العام المقبل.',
        ], dateline='العاصمة (الشرق)')
