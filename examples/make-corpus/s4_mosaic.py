# Story 4: a Byzantine mosaic floor found at Khirbet al-Sawsana in Wadi al-Rayhan.


def build(add, edit, indic, STORIES):
    STORIES.append({
        'story': 4, 'about': 'Archaeologists uncover a sixth-century Byzantine mosaic floor at Khirbet al-Sawsana',
        'first': '2025-06-27',
        'entities': [
            {'name': 'خربة السوسنة', 'variants': ['خربة السوسنه', 'Khirbet al-Sawsana', 'Khirbat Sawsaneh']},
            {'name': 'ليلى الحداد', 'variants': ['ليلى حداد', 'ليلي الحداد', 'Leila Haddad', 'Layla al-Haddad']},
            {'name': 'وادي الريحان', 'variants': ['Wadi al-Rayhan', 'Wadi Rayhan']},
        ],
        'disagreements': [],
    })
    add(key='fosayfisaa-wadi', story=4, outlet='annahar', fmt='txt', lang='ar', date='2025-06-27', time='16:45',
        section='ثقافة', tags='آثار، فسيفساء، وادي الريحان',
        title='اكتشاف أرضية فسيفساء بيزنطية نادرة في خربة السوسنة',
        paras=[
            'كشفت بعثة أثرية محلية في موقع خربة السوسنة بوادي الريحان عن أرضية فسيفساء بيزنطية تعود إلى القرن السادس الميلادي، تغطي مساحة تقارب 42 مترا مربعا، وتعد من أكمل الأرضيات المكتشفة في المنطقة خلال السنوات العشرين الأخيرة.',
            'وقالت رئيسة البعثة الدكتورة ليلى الحداد إن الأرضية تضم مشاهد لطيور وأسماك وأغصان كرمة، يتوسطها نقش يوناني من أربعة أسطر يذكر اسم المتبرع الذي موّل بناء الكنيسة الصغيرة وتاريخ إنجازها.',
            'وأوضحت الحداد أن الفريق عثر على الأرضية أثناء أعمال تنقيب إنقاذية سبقت شق طريق زراعي، مشيرة إلى أن الجزء الشرقي منها تضرر بفعل جذور الأشجار، لكن معظم الألوان ما زالت محفوظة بشكل لافت.',
            'ويعمل في الموقع فريق من اثني عشر باحثا وطالب آثار، إلى جانب عمال من القرى المجاورة، وقد استخدم الفريق تقنيات التصوير الجوي بالطائرات المسيرة والمسح ثلاثي الأبعاد لتوثيق الأرضية بالتفصيل قبل أي تدخل للترميم، على أن تنشر النتائج الأولية في مجلة علمية متخصصة قبل نهاية العام.',
            'وأعلنت دائرة الآثار أن الموقع سيغلق أمام الزوار مؤقتا ريثما تستكمل أعمال التوثيق والترميم، على أن يدرس نقل الأرضية إلى متحف المدينة أو حمايتها في مكانها بمظلة دائمة.',
        ], dateline=None)
    add(key='mosaic-discovery', story=4, outlet='alofoq', fmt='txt', lang='ar', date='2025-06-28', time='12:30 م',
        author='قسم الثقافة',
        title='بعثة أثرية تعثر على فسيفساء من القرن السادس بوادي الريحان',
        paras=[
            'أعلنت بعثة تنقيب أثري عن اكتشاف أرضية من الفسيفساء الملونة في خربة السوسنه، على بعد نحو خمسة عشر كيلومترا من مدينة وادي الريحان، يرجح أنها كانت جزءا من كنيسة ريفية صغيرة شيدت في القرن السادس الميلادي.',
            'وقالت الدكتورة ليلى حداد، التي تقود فريق البحث، إن الأرضية تمتد على نحو أربعين مترا مربعا وتزينها رسوم لطاووسين متقابلين وسلال فاكهة، إلى جانب كتابة باليونانية تذكر اسم أحد وجهاء القرية.',
            'وأضافت أن الاكتشاف جاء مصادفة خلال حفريات إنقاذ عاجلة قبل تنفيذ مشروع طريق، وهو ما يطرح، بحسب قولها، ضرورة إجراء مسوح أثرية مسبقة لكل مشروعات البنية التحتية في المناطق الغنية بالآثار.',
            'ويأمل مسؤولون في قطاع السياحة أن يسهم الاكتشاف في جذب الزوار إلى الوادي، الذي يضم بالفعل بقايا معاصر زيتون ومدافن صخرية تعود إلى الحقبتين الرومانية والبيزنطية.',
            'ومن المتوقع أن يستمر عمل البعثة حتى نهاية الصيف، مع توسيع نطاق الحفر إلى المباني المجاورة للكنيسة.',
        ], dateline=None)
    add(key='fusayfisa-sawsana', story=4, outlet='sabah', fmt='txt', lang='ar', date='2025-06-29', time='11:02:37', views=96,
        title='فسيفساء خربة السوسنة.. كنز بيزنطي يخرج من تحت طريق زراعي',
        dl_line='وادي الريحان ـ الصباح المغاربي',
        paras=[
            'لم يكن عمال الحفر الذين بدأوا قبل أسابيع تمهيد طريق زراعي في وادي الريحان يتوقعون أن تتوقف آلياتهم فوق أرضية فسيفساء عمرها نحو ألف وخمسمئة عام، تعد اليوم من أجمل ما عثر عليه من فن الفسيفساء البيزنطي في المنطقة.',
            'وتقول عالمة الآثار ليلي الحداد إن فريقها أمضى ثلاثة أسابيع في إزالة التراب بالفرشاة قبل أن تظهر الأرضية كاملة، بطيورها وأسماكها وعناقيد العنب التي تحيط بنقش يوناني يؤرخ البناء.',
            'ويرى باحثون أن أهمية الاكتشاف لا تكمن في جماله فحسب، بل فيما يكشفه عن حياة القرى الزراعية في تلك الحقبة، إذ يدل النقش على أن أهل القرية أنفسهم مولوا بناء كنيستهم.',
            'وفي انتظار قرار السلطات بشأن مصير الأرضية، غطى الفريق أجزاء منها بطبقة من الرمل لحمايتها من الشمس ومن فضول الزوار الذين بدأوا يتوافدون على الموقع.',
        ], dateline='وادي الريحان ـ الصباح المغاربي')
    add(key='gulfledger-mosaic', story=4, outlet='gulfledger', fmt='html', lang='en', date='2025-06-27', broken=True,
        iso_time='19:20:00', section='Culture', author='Hannah Cole',
        title='Rare Byzantine mosaic unearthed at Khirbet al-Sawsana',
        paras=[
            'Archaeologists working at Khirbet al-Sawsana in Wadi al-Rayhan have uncovered a sixth-century Byzantine mosaic floor covering about 42 square metres, one of the most complete finds of its kind in the region in two decades.',
            'Excavation director Dr Leila Haddad said the floor shows birds, fish and vine branches around a four-line Greek inscription naming the donor who paid for the small church it once belonged to.',
            'The mosaic was found during a rescue excavation ahead of the construction of a farm road. Tree roots have damaged its eastern edge, but most of the colours survive.',
            'The antiquities department has closed the site to visitors while the floor is documented. Officials are weighing whether to lift it into a museum or protect it where it lies under a permanent shelter.',
        ], dateline=None)
    add(key='ct-0628-mosaic', story=4, outlet='coastal', fmt='page', feed='coastal-times', lang='en', date='2025-06-28',
        readtime='2 min read',
        title='Road works reveal 1,500-year-old church floor in Wadi Rayhan',
        paras=[
            'A farm road in Wadi Rayhan will have to wait. Bulldozers clearing the route stopped last month when they hit stone tesserae, and what archaeologists have since brushed clean is a Byzantine church floor of remarkable quality.',
            'Layla al-Haddad, who leads the dig at Khirbat Sawsaneh, says the mosaic dates to the sixth century. Peacocks, fish and baskets of fruit surround a Greek dedication naming a local notable.',
            '"The villagers paid for their own church, and they wanted everyone to know it," she said.',
            'The team expects to keep digging until the end of summer, widening the trench to the buildings next to the church.',
        ], dateline=None)
    add(key='khaleej-sawsana-mosaic', story=4, outlet='khaleej', fmt='warc', lang='ar', date='2025-06-29', iso_time='09:00:00',
        fetch_time='10:02:47', warc_id='urn:uuid:0a7d3c55-2f61-4b9e-8c02-6e4f1a9b3c10', author='ثقافة',
        url='https://khaleej-today.example/culture/2025/06/29/sawsana-mosaic',
        title='أرضية فسيفساء عمرها ١٥٠٠ عام في وادي الريحان',
        paras=[
            'أعلنت دائرة الآثار العامة عن اكتشاف أرضية فسيفساء بيزنطية في موقع خربة السوسنة بوادي الريحان، تعود إلى القرن السادس الميلادي وتبلغ مساحتها نحو ٤٢ مترا مربعا.',
            'وأوضحت رئيسة فريق التنقيب الدكتورة ليلى الحداد أن الأرضية كانت تغطي صحن كنيسة صغيرة، وأنها تحمل نقشا يونانيا يذكر اسم المتبرع الذي مول البناء.',
            'وتضم الأرضية، بحسب الصور التي نشرتها الدائرة، مشاهد لطيور متقابلة وأسماك وأغصان كرمة تحيط بإطار النقش، بألوان يغلب عليها الأحمر والأصفر والأسود، فيما تضرر جزؤها الشرقي بفعل جذور أشجار الزيتون المحيطة بالموقع.',
            'وأضافت أن الفريق سيعمل خلال الأسابيع المقبلة على تقوية حواف الأرضية المتضررة قبل اتخاذ قرار نهائي بشأن عرضها في موقعها أو نقلها إلى المتحف.',
        ], dateline=None)
