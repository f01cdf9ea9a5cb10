# Story 2: flash floods in Marsa al-Nakhil three days after the port deal (same city, same minister, other event).


def build(add, edit, indic, STORIES):
    STORIES.append({
        'story': 2, 'about': 'Flash floods in Marsa al-Nakhil kill 7 or 9 people and halt the port; relief for merchants and a rebuilding plan follow',
        'first': '2025-06-28',
        'entities': [
            {'name': 'مرسى النخيل', 'variants': ['مرسي النخيل', 'Marsa Al Nakhil', 'Marsa al-Nakheel']},
            {'name': 'ماجد الشهري', 'variants': ['ماجد الشهرى', 'Majed Al-Shehri', 'Maged al Shehry']},
            {'name': 'وادي السدر', 'variants': ['وادى السدر', 'Wadi al-Sidr', 'Wadi Sidr']},
            {'name': 'عبد الرحمن الأنصاري', 'variants': ['عبدالرحمن الأنصاري', 'عبد الرحمن الانصاري', 'Abdulrahman Al-Ansari']},
        ],
        'disagreements': [{'about': 'number of people killed by the floods', 'field': 'deaths'}],
    })
    add(key='marsa-floods', story=2, outlet='alofoq', fmt='txt', lang='ar', date='2025-06-28', time='09:50 ص',
        author='أحمد فتحي', claims={'deaths': '7'},
        title='مصرع 7 أشخاص في سيول جارفة ضربت مرسى النخيل',
        dl_line='مرسى النخيل - الأفق',
        paras=[
            'لقي 7 أشخاص مصرعهم وأصيب العشرات فجر اليوم السبت، إثر سيول جارفة اجتاحت مدينة مرسى النخيل الساحلية بعد أمطار غزيرة استمرت أكثر من ست ساعات متواصلة، وأدت إلى غرق عشرات المنازل والمحال التجارية في الأحياء المنخفضة القريبة من مجرى وادي السدر.',
            'وقال المتحدث باسم الدفاع المدني العقيد ماجد الشهري إن فرق الإنقاذ تمكنت من إجلاء أكثر من 300 شخص حاصرتهم المياه في منازلهم وسياراتهم، مشيرا إلى أن بين الضحايا طفلين جرفتهما المياه أثناء محاولة أسرتهما عبور أحد الجسور الصغيرة.',
            'وسجلت محطات الرصد الجوي هطول 110 ملم من الأمطار خلال ست ساعات فقط، وهي كمية تقارب ما تتلقاه المدينة في عام كامل، بحسب هيئة الأرصاد التي كانت قد أصدرت تحذيرا برتقاليا مساء الجمعة.',
            'وأعلنت هيئة الموانئ تعليق حركة الملاحة في ميناء مرسى النخيل حتى إشعار آخر، بعدما غمرت المياه ساحات التخزين وأجزاء من الطريق المؤدي إلى البوابة الرئيسية، فيما قررت السلطات المحلية تعطيل المدارس والدوائر الحكومية يوم غد الأحد.',
            'وناشدت السلطات السكان الابتعاد عن مجاري الأودية وعدم المجازفة بعبور الطرق المغمورة، في وقت تتوقع فيه الأرصاد استمرار الأمطار الرعدية على المناطق الساحلية حتى مساء الأحد.',
        ], dateline='مرسى النخيل - الأفق')
    add(key='floods-marsa', story=2, outlet='annahar', fmt='txt', lang='ar', date=None, date_known=False,
        shown_date='2025-06-28', relative='منذ ساعتين', section='مجتمع', tags='سيول، مرسي النخيل، الدفاع المدني',
        claims={'deaths': '9'},
        title='تسعة قتلى وعشرات المحتجزين بعد فيضان وادي السدر في مرسي النخيل',
        paras=[
            'ارتفعت حصيلة السيول التي ضربت مدينة مرسي النخيل إلى تسعة قتلى، بحسب مصادر طبية في المستشفى العام للمدينة، فيما لا تزال فرق الإنقاذ تبحث عن مفقودين في الأحياء المحاذية لوادي السدر الذي فاض فجر السبت بعد ليلة من الأمطار الغزيرة.',
            'وروى سكان في حي الشاطئ القديم أن المياه ارتفعت إلى أكثر من متر داخل البيوت خلال أقل من نصف ساعة، وأن كثيرين صعدوا إلى الأسطح بانتظار وصول القوارب المطاطية التي استعان بها الدفاع المدني لإخلاء العائلات.',
            '"لم نرَ شيئا كهذا منذ ثلاثين عاما"، قال أبو سامر، وهو صاحب محل للأدوات الصحية خسر بضاعته كلها، مضيفا أن المياه حملت معها السيارات والحاويات الفارغة من محيط الميناء إلى الشوارع الداخلية.',
            'وأكد المتحدث باسم الدفاع المدني العقيد ماجد الشهرى أن فرقه نفذت أكثر من 400 عملية إنقاذ، لكنه امتنع عن تأكيد الحصيلة النهائية للضحايا، قائلا إن الأرقام الرسمية ستصدر عن وزارة الصحة.',
            'ويتهم ناشطون من المدينة البلدية بإهمال صيانة قنوات تصريف مياه الأمطار، مشيرين إلى أن التحذيرات من انسداد مجرى الوادي بالردم ومخلفات البناء تتكرر منذ سنوات من دون استجابة.',
        ], dateline=None)
    add(key='seyoul-marsa', story=2, outlet='khaleej', fmt='txt', lang='ar', date='2025-06-28', author='متابعات',
        claims={'deaths': '7'},
        title='سيول مرسى النخيل: ٧ وفيات وتعليق الملاحة في الميناء',
        paras=[
            'أعلنت السلطات في مدينة مرسى النخيل وفاة ٧ أشخاص جراء السيول التي اجتاحت المدينة فجر السبت، بعد هطول أمطار غزيرة تجاوزت ١١٠ ملم في ساعات قليلة، ما أدى إلى فيضان وادى السدر وغمر أحياء بكاملها.',
            'وقالت هيئة الموانئ في بيان إن الملاحة في الميناء عُلّقت احترازيا، وإن فرقها تعمل على سحب المياه من ساحات الحاويات وتقييم الأضرار التي لحقت بالمستودعات، مؤكدة أن السفن الراسية بخير.',
            'وأوضح المتحدث باسم الدفاع المدني العقيد ماجد الشهري أن أكثر من ٣٠٠ شخص أُجلوا إلى مراكز إيواء مؤقتة في المدارس، وأن فرق الإنقاذ مدعومة بطائرتين مروحيتين لا تزال تمشط مجرى الوادي.',
            'ودعت هيئة الأرصاد إلى توخي الحذر مع استمرار الحالة الجوية غير المستقرة حتى مساء الأحد، متوقعة أمطارا رعدية متفرقة على السواحل مع رياح نشطة.',
        ], dateline=None)
    add(key='bilan-inondations', story=2, outlet='sabah', fmt='txt', lang='ar', date='2025-06-29', time='08:40:05',
        views=1532, claims={'deaths': '9'},
        title='فيضانات مرسى النخيل: تسعة قتلى وخسائر فادحة في الميناء والأسواق',
        dl_line='مرسى النخيل ـ الصباح المغاربي',
        paras=[
            'ذكرت مصادر محلية في مدينة مرسى النخيل أن عدد ضحايا الفيضانات التي شهدتها المدينة أمس السبت بلغ 9 قتلى، بينهم طفلان وامرأة مسنة، بعدما فاض وادي السدر وجرفت مياهه السيارات والمحال المطلة على مجراه.',
            'وتعمل الجرافات منذ صباح اليوم الأحد على إزالة الأوحال والحجارة من الشوارع الرئيسية، بينما لا تزال الكهرباء مقطوعة عن أجزاء واسعة من الأحياء الشرقية، حسب ما أفاد به سكان تحدثوا للصباح المغاربي.',
            'وفي الميناء، قدر تجار خسائرهم بملايين الدولارات بعد أن غمرت المياه المستودعات التي كانت تضم شحنات من المواد الغذائية والأجهزة الكهربائية، وسط مطالب بتعويضات عاجلة قبل أن تضطر محال كثيرة إلى الإغلاق.',
            'وتأتي الكارثة بعد أيام قليلة من توقيع اتفاقية لإنشاء محطة حاويات جديدة في الميناء نفسه، وهو ما دفع مهندسين إلى التساؤل عن مدى أخذ مخاطر السيول في الحسبان عند تصميم المشروع.',
        ], dateline='مرسى النخيل ـ الصباح المغاربي')
    add(key='marsa-floods-seven', story=2, outlet='gulfledger', fmt='txt', lang='en', date='2025-06-28', time='12:15 PM',
        updated='35 minutes ago', author='Omar Siddiqui', claims={'deaths': '7'},
        title='Flash floods kill seven in Marsa Al Nakhil, port operations suspended',
        paras=[
            'MARSA AL NAKHIL — Seven people were killed and dozens injured when flash floods tore through Marsa Al Nakhil before dawn on Saturday, after more than six hours of torrential rain sent the Wadi al-Sidr riverbed spilling into low-lying neighbourhoods.',
            'Civil defence spokesman Colonel Majed Al-Shehri said rescuers had evacuated more than 300 people trapped in homes and cars. Two children were among the dead, swept away as their family tried to cross a small bridge.',
            'Weather stations recorded 110mm of rain in six hours, close to what the city usually receives in an entire year. The meteorological office had issued an orange warning on Friday evening.',
            'The ports authority suspended all vessel movements at Marsa Al Nakhil after water flooded container yards and the approach road to the main gate. Schools and government offices will stay closed on Sunday.',
        ], dateline='MARSA AL NAKHIL')
    add(key='ct-0629-floods', story=2, outlet='coastal', fmt='page', feed='coastal-times', lang='en', date='2025-06-29',
        readtime='3 min read', claims={'deaths': '9'},
        title='Nine dead as floodwaters sweep through Marsa al-Nakheel',
        paras=[
            'The death toll from Saturday’s floods in Marsa al-Nakheel has risen to nine, hospital sources said on Sunday, as residents began shovelling mud out of homes and shops along the banks of Wadi Sidr.',
            'Colonel Maged al Shehry of the civil defence would not confirm the figure, saying official numbers would come from the health ministry, but he described the operation as the largest rescue effort in the city in decades.',
            'Traders at the port say the water reached warehouses full of food and electrical goods. "Everything on the ground floor is gone," said one importer, who asked not to be named.',
            'Activists blame blocked storm drains. For years, they say, builders have dumped rubble into the wadi, narrowing the channel that is supposed to carry rainwater to the sea.',
        ], dateline=None)
    add(key='ansari-flood-merchants', story=2, outlet='alofoq', fmt='txt', lang='ar', date='2025-06-30', numeric_date=True,
        time='17:05', author='محمد سعيد', claims={'deaths': '7'},
        title='الأنصاري يعلن حزمة تعويضات لتجار ميناء مرسى النخيل المتضررين من السيول',
        paras=[
            'أعلن وزير التجارة والصناعة عبد الرحمن الأنصاري اليوم الاثنين حزمة تعويضات عاجلة للتجار وأصحاب المستودعات في ميناء مرسى النخيل الذين تضررت بضائعهم جراء السيول التي ضربت المدينة يوم السبت وأودت بحياة سبعة أشخاص.',
            'وقال الأنصاري خلال جولة تفقدية في ساحات الميناء إن الحكومة خصصت 40 مليون دولار كمرحلة أولى لتعويض الخسائر الموثقة، على أن تتولى لجنة مشتركة من وزارة التجارة وهيئة الموانئ والغرفة التجارية حصر الأضرار خلال أسبوعين.',
            'وأضاف الوزير أن الرسوم الجمركية ورسوم التخزين على الشحنات المتضررة ستؤجل ستة أشهر، وأن المصارف الحكومية ستمنح قروضا ميسرة بلا فوائد للمحال الصغيرة التي فقدت مخزونها.',
            'وردا على سؤال حول مشروع محطة الحاويات الجديدة، أكد الأنصاري أن الجدول الزمني للمشروع لم يتغير، لكنه أشار إلى أن التصاميم ستُراجع لتشمل قنوات تصريف أوسع وحواجز لحماية الساحات من مياه الأودية.',
            'واستأنف الميناء صباح اليوم استقبال السفن بشكل جزئي، بعدما أنهت فرق الصيانة سحب المياه من الرصيفين الرئيسيين، بحسب ما أعلنته هيئة الموانئ.',
        ], dateline=None)
    add(key='rebuild-plan', story=2, outlet='annahar', fmt='txt', lang='ar', date='2025-07-01', time='19:30',
        section='سياسة', tags='مجلس الوزراء، سيول، إعادة الإعمار',
        title='الحكومة تقر خطة لإعادة تأهيل أحياء مرسي النخيل المنكوبة',
        paras=[
            'أقر مجلس الوزراء في جلسته الأسبوعية اليوم الثلاثاء خطة لإعادة تأهيل الأحياء التي دمرتها سيول مرسي النخيل، تتضمن إعادة بناء الجسور الصغيرة على وادي السدر وتوسيع مجراه وتعويض أصحاب المنازل المتضررة.',
            'وبحسب بيان صادر عن الأمانة العامة لمجلس الوزراء، تبلغ الكلفة التقديرية للخطة 150 مليون دولار، تمول من موازنة الطوارئ، على أن تنجز المرحلة الأولى قبل موسم الأمطار المقبل في تشرين الثاني.',
            'وكلف المجلس وزارة الأشغال بإجراء مسح شامل لشبكات تصريف مياه الأمطار في المدن الساحلية، بعد الانتقادات الواسعة التي طالت البلدية بسبب انسداد القنوات في الأحياء المنخفضة.',
            'وطالب نواب عن المدينة بفتح تحقيق في أسباب تأخر إطلاق الإنذار للسكان، مشيرين إلى أن رسائل التحذير النصية لم تصل إلى الهواتف إلا بعد أن بدأت المياه تدخل البيوت.',
        ], dateline=None)
