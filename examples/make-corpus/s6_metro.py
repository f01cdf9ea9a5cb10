# Story 6: the capital's metro opens its Red Line; a wire story, its copy, reports and a follow-up on ridership.
WIRE_TITLE = 'افتتاح الخط الأحمر لمترو العاصمة بطول 24 كيلومترا و19 محطة'
WIRE = [
    'العاصمة (الشرق) - افتتح وزير النقل خالد الهاشمي صباح اليوم الخميس الخط الأحمر لمترو العاصمة، أول خطوط شبكة النقل السريع في البلاد، بطول 24 كيلومترا ويضم 19 محطة تربط الضواحي الشمالية بوسط المدينة والمطار الدولي.',
    'وقال الهاشمي في كلمة خلال حفل الافتتاح في محطة الميدان المركزي إن الخط سيخدم نحو 150 ألف راكب يوميا في مرحلته الأولى، وسيختصر زمن الرحلة بين المطار ووسط العاصمة من ساعة في أوقات الذروة إلى 28 دقيقة.',
    'وأوضح الوزير أن القطارات ستعمل من السادسة صباحا حتى منتصف الليل، بفاصل زمني لا يتجاوز أربع دقائق في ساعات الذروة، وأن سعر التذكرة الموحدة حدد بدولار واحد مع اشتراكات شهرية مخفضة للطلاب وكبار السن.',
    'وبلغت كلفة المشروع 3.4 مليار دولار، وتأخر افتتاحه نحو عامين عن الموعد المقرر بسبب تعقيدات الحفر تحت الأحياء القديمة ونقل شبكات المياه والكهرباء، بحسب ما أعلنته هيئة النقل في وقت سابق.',
    'ومن المقرر أن يبدأ العمل على الخط الأزرق، الذي يمتد من الشرق إلى الغرب، مطلع العام المقبل.',
]


def build(add, edit, indic, STORIES):
    STORIES.append({
        'story': 6, 'about': "The capital's metro Red Line (24 km, 19 stations) opens; first-days ridership",
        'first': '2025-07-03',
        'entities': [
            {'name': 'خالد الهاشمي', 'variants': ['خالد الهاشمى', 'Khalid Al-Hashimi']},
            {'name': 'الخط الأحمر', 'variants': ['الخط الاحمر', 'Red Line']},
            {'name': 'مترو العاصمة', 'variants': ['المترو', 'metro']},
        ],
        'disagreements': [],
    })
    add(key='sharq-20250703-012', story=6, outlet='sharq', fmt='text', feed='alsharq-wire', lang='ar',
        date='2025-07-03', feed_date='2025-07-03T07:12:00Z', title=WIRE_TITLE, paras=WIRE,
        dateline='العاصمة (الشرق)', url='https://wire.alsharq-agency.example/ar/20250703/012')
    add(key='metro-ligne-rouge', story=6, outlet='sabah', fmt='txt', lang='ar', date='2025-07-03', time='10:05:30', views=410,
        copy_of='sharq-20250703-012',
        title='تدشين أول خط مترو في العاصمة',
        dl_line='العاصمة ـ الصباح المغاربي',
        paras=edit(WIRE, subs=[('العاصمة (الشرق) - افتتح', 'افتتح'), ('الهاشمي', 'الهاشمى'), ('الأحمر', 'الاحمر')], drop_last=True),
        dateline='العاصمة ـ الصباح المغاربي')
    add(key='metro-red-line', story=6, outlet='khaleej', fmt='txt', lang='ar', date='2025-07-03', hijri=True, author='محليات',
        title='بعد تأخر عامين.. الخط الأحمر للمترو يستقبل ركابه الأوائل',
        paras=[
            'استقبل الخط الأحمر لمترو العاصمة صباح الخميس ركابه الأوائل، بعد حفل افتتاح رسمي حضره وزير النقل خالد الهاشمي، لتدخل البلاد بذلك عصر النقل الحضري السريع بعد سنوات من الانتظار والتأجيل.',
            'ويمتد الخط على مسافة ٢٤ كيلومترا، ويضم ١٩ محطة، منها ٨ محطات تحت الأرض في وسط المدينة، ويربط الضواحي الشمالية بالمطار الدولي مرورا بالميدان المركزي.',
            'وشهدت المحطات منذ الساعات الأولى إقبالا كبيرا من المواطنين الذين حرص كثير منهم على تجربة الرحلة مع أطفالهم، فيما انتشر موظفو هيئة النقل لإرشاد الركاب إلى آلات بيع التذاكر.',
            'وقال الوزير الهاشمي إن الخط سيخفف الازدحام المروري في الشوارع الرئيسية ويقلل الانبعاثات، مؤكدا أن العمل على الخط الأزرق سيبدأ في العام المقبل.',
        ], dateline=None)
    add(key='metro-opening', story=6, outlet='alofoq', fmt='txt', lang='ar', date='2025-07-03', time='02:45 م',
        author='نادية الشريف',
        title='المترو يدخل الخدمة: 19 محطة ودولار للتذكرة',
        paras=[
            'دخل الخط الأول من مترو العاصمة الخدمة اليوم، بعد افتتاحه رسميا على يد وزير النقل خالد الهاشمي، وسط ترقب كبير من سكان الضواحي الذين يقضون يوميا ساعات في طوابير السيارات للوصول إلى أعمالهم.',
            'وحددت هيئة النقل سعر التذكرة بدولار واحد للرحلة الواحدة أيا كانت المسافة، مع اشتراك شهري بخصم للطلاب والمتقاعدين، فيما تعمل القطارات يوميا من السادسة صباحا حتى منتصف الليل.',
            'وانتقد خبراء في التخطيط الحضري غياب مواقف كافية للسيارات بجوار محطات الأطراف، معتبرين أن نجاح المشروع مرهون بربطه بخطوط حافلات منتظمة تنقل الركاب إلى المحطات.',
            'وكانت كلفة المشروع قد ارتفعت خلال سنوات التنفيذ لتبلغ 3.4 مليار دولار، وهو ما أثار جدلا في البرلمان حول إدارة العقود مع شركات المقاولات.',
        ], dateline=None)
    add(key='metro-ridership', story=6, outlet='annahar', fmt='txt', lang='ar', date='2025-07-05', time='09:15',
        section='مجتمع', tags='مترو، نقل عام',
        title='85 ألف راكب في اليومين الأولين لمترو العاصمة',
        paras=[
            'أعلنت هيئة النقل أن الخط الأحمر لمترو العاصمة نقل نحو 85 ألف راكب في يومي التشغيل الأولين، وهو رقم أقل من الطاقة التي أعلنها وزير النقل خالد الهاشمى عند الافتتاح، لكنه "مشجع" بحسب الهيئة.',
            'وسجلت محطة المطار ومحطة الميدان المركزي أعلى معدلات الاستخدام، فيما اشتكى ركاب من طوابير طويلة أمام آلات بيع التذاكر التي تعطل بعضها في الساعات الأولى.',
            'وقالت الهيئة إنها ستضيف ابتداء من الأسبوع المقبل نقاط بيع يدوية في المحطات المزدحمة، وستطلق تطبيقا للهاتف يتيح شراء التذاكر والاشتراكات إلكترونيا.',
            'ويتوقع مسؤولو الهيئة أن يرتفع عدد الركاب تدريجيا مع عودة المدارس والجامعات في أيلول، وبعد ربط المحطات الطرفية بخطوط الحافلات.',
        ], dateline=None)
    add(key='gl-red-line-opens', story=6, outlet='gulfledger', fmt='warc', lang='en', date='2025-07-03', iso_time='08:30:00',
        fetch_time='12:40:19', warc_id='urn:uuid:c31e9a04-6b27-4d8f-b1a5-92e0d7f4e6b2', section='Region', author='Staff Reporter',
        url='https://www.gulfledger.example/region/2025/07/03/red-line-opens',
        title="Capital's first metro line opens after two-year delay",
        paras=[
            'The capital’s first metro line opened to passengers on Thursday, two years behind schedule and at a cost of $3.4 billion, promising to cut the trip from the airport to the city centre to 28 minutes.',
            'Transport Minister Khalid Al-Hashimi inaugurated the 24-kilometre Red Line at Central Square station. Its 19 stations link the northern suburbs with downtown and the international airport.',
            'Trains will run from 6am to midnight, every four minutes at peak times. A single fare costs one dollar, with discounted monthly passes for students and pensioners.',
            'Work on a second, east-west Blue Line is due to start early next year.',
        ], dateline=None)
