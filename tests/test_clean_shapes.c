/*
 * test_clean_shapes.c — the markup shapes of real crawled pages that once
 * cost the cleaner the whole article: class lists whose words only look like
 * boilerplate, layout flags on the page wrapper, a <form> around the page,
 * languages khabar cannot stem, an <html lang> that says something else than
 * the text. Each page is small and written by hand in the shape such pages
 * have.
 */
#include "testhelp.h"

#include <stdlib.h>

static kh_doc *make_doc(kh_ctx *ctx, const char *content)
{
    return kh_test_doc(ctx, "mem", content, KH_CONTENT_HTML);
}

/* Does some body paragraph of art contain s? */
static int body_has(const kh_article *art, const char *s)
{
    for (size_t i = 0; art && i < art->n_body; i++)
        if (strstr(art->body[i], s)) return 1;
    return 0;
}

#define EN_P1 "<p>The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.</p>"
#define EN_P2 "<p>Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.</p>"
#define EN_P3 "<p>Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.</p>"

static const char *const unsubscribed_body =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head>"
    "<body class=\"article-page subType-unsubscribed has-paywall\">"
    "<div class=\"col-1 highfooter\"><h1>Council closes old bridge to cars</h1>"
    EN_P1 EN_P2 EN_P3 "</div>"
    "<div class=\"newsletter-signup\"><p>Sign up for our newsletter and get the news of the day every morning in your inbox, free of charge.</p></div>"
    "</body></html>";

static const char *const sidebar_layout =
    "<!DOCTYPE html><html lang=\"en-US\"><head><title>Council closes old bridge to cars</title></head>"
    "<body class=\"post-template-default single single-post right-sidebar sticky-menu-fade\">"
    "<div id=\"page\" class=\"site-wrapper layout-sidebar-right\">"
    "<h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<div class=\"sidebar\"><p>Our most popular story this week, read it now before everyone else does, it is really worth it.</p></div>"
    "</div></body></html>";

/* The article is a minority of the page's text, inside a wrapper named like
 * a menu: the <article> keeps it. */
static const char *const article_in_menu_wrap =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"main-menu-wrap\"><article><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</article></div>"
    "<ul class=\"archive\">"
    "<li><a href=\"/1\">A long list of links to every other story the site has published this year, one after another</a></li>"
    "<li><a href=\"/2\">Another link to another story that has nothing to do with the bridge or with the council</a></li>"
    "<li><a href=\"/3\">A third link to a story about the weather, which was bad this week, and the week before too</a></li>"
    "<li><a href=\"/4\">A fourth link to a story about the football club and its new coach from abroad this season</a></li>"
    "<li><a href=\"/5\">A fifth link to a story about the price of bread, which went up again in the capital</a></li>"
    "</ul></body></html>";

/* No <main>, no <article>: the article sits in a panel whose layout flag
 * reads like a sidebar, and comments outweigh it. The boxes around the
 * page's <h1> that hold a good part of its text are walked. */
#define LONG_COMMENT "<p>I have lived by this bridge for forty years and I have never seen the council act so fast " \
    "on anything, it is a shame that it took cracks in the supports to get them moving at last.</p>"
static const char *const layout_panel =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"panel-display zen-one-sidebar-second clearfix\"><div class=\"panel-content\">"
    "<h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</div>"
    "<div class=\"panel-sidebar\"><p>Subscribe</p></div></div>"
    "<div class=\"comments\">" LONG_COMMENT LONG_COMMENT "</div>"
    "<div class=\"related-posts\"><p>More from the city desk: the council also voted on a new budget for the "
    "parks, the libraries and the swimming pools of the city, which will all open longer next summer.</p>"
    "<p>And the mayor announced that the old market hall will be turned into a concert venue, with seats for "
    "two thousand people and a roof garden that will be open to everyone.</p></div>"
    "</body></html>";

/* A post filed in a category whose slug reads like a hint: on an
 * <article>, "category-<slug>" names a topic, not a box. */
static const char *const category_slug =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<main class=\"content\">"
    "<article class=\"post type-post status-publish category-city category-no-newsletter-rss entry\">"
    "<h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</article>"
    "<div class=\"comments\">" LONG_COMMENT LONG_COMMENT "</div>"
    "<div class=\"related-posts\"><p>More from the city desk: the council also voted on a new budget for the "
    "parks, the libraries and the swimming pools of the city, which will all open longer next summer.</p>"
    "<p>And the mayor announced that the old market hall will be turned into a concert venue, with seats for "
    "two thousand people and a roof garden that will be open to everyone.</p></div>"
    "</main></body></html>";

/* The box about the author under the article is no part of it. */
static const char *const author_bio =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<div id=\"author-container\"><div id=\"author-description\"><p>Jane Miller has covered the city council "
    "for the paper since 2012, and before that she wrote about schools, the river and the harbour.</p></div></div>"
    "</div></body></html>";

/* A German picture label ("Titelbild:", "Beitragsbild:") is a caption. */
static const char *const title_picture =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
    "<div class=\"post\"><h1>Stadtrat sperrt alte Brücke</h1>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr für Autos zu "
    "sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Titelbild: Max Muster/Agentur</p>"
    "<p>Busse und Fahrräder dürfen die Brücke weiter benutzen, sagte die Bürgermeisterin, und die Arbeiten "
    "sollen etwa zwei Jahre dauern, wenn das Wetter mitspielt.</p>"
    "<p>Die Händler am Fluss fürchten, dass ihnen die Kunden fehlen werden, und bitten den Rat um Hilfe "
    "beim Parken während der Arbeiten.</p></div></body></html>";

/* "Lea más:" (Spanish "read also") links another story from inside the
 * article. */
static const char *const lea_mas =
    "<!DOCTYPE html><html lang=\"es\"><head><title>El concejo cierra el viejo puente</title></head><body>"
    "<div class=\"post\"><h1>El concejo cierra el viejo puente</h1>"
    "<p>El concejo municipal votó el martes cerrar el viejo puente a los coches a partir de la próxima "
    "primavera, después de que los ingenieros encontraran grietas en dos de sus pilares.</p>"
    "<p>Lea más: El alcalde propone un nuevo plan de transporte para toda la ciudad</p>"
    "<p>Los autobuses y las bicicletas podrán seguir cruzando, dijo el alcalde, y las obras durarán unos "
    "dos años si el tiempo lo permite.</p></div></body></html>";

/* A newsletter sign-up prompt inside the article is no body. */
static const char *const newsletter_prompt =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2
    "<p>Never miss the latest news by signing up to our newsletter today!</p>" EN_P3
    "</div></body></html>";

/* The outlet's plea for support inside the article is no body. */
static const char *const support_plea =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2
    "<p>We rely on your support to make local news available to all. Make your contribution now.</p>" EN_P3
    "</div></body></html>";

/* A German rights line ("Alle Rechte vorbehalten") is a copyright line. */
static const char *const rights_de =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
    "<div class=\"post\"><h1>Stadtrat sperrt alte Brücke</h1>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr für Autos zu "
    "sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Alle Rechte vorbehalten. Vervielfältigung nur mit Genehmigung der Zeitung.</p>"
    "<p>Busse und Fahrräder dürfen die Brücke weiter benutzen, sagte die Bürgermeisterin, und die Arbeiten "
    "sollen etwa zwei Jahre dauern, wenn das Wetter mitspielt.</p></div></body></html>";

/* An advertising disclosure under the article is no body. */
static const char *const ad_disclosure =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<p>Advertising disclosure: We may receive compensation for some of the links in our stories. Thank you "
    "for supporting the paper and our advertisers.</p></div></body></html>";

/* The line a blog theme prints under every post is no body. */
static const char *const post_meta_line =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<p>This entry was posted in City, Transport and tagged bridge, council, traffic, repairs. "
    "Bookmark the permalink.</p></div></body></html>";

/* Soft hyphens mark where a word may break; the body reads the words
 * whole. */
static const char *const soft_hyphens =
    "<!DOCTYPE html><html lang=\"fr\"><head><title>Le conseil ferme le vieux pont</title></head><body>"
    "<h1>Le conseil ferme le vieux pont</h1>"
    "<p>En réac&shy;tion à la can\u00ADdi\u00ADda\u00ADture du maire, le conseil a voté mardi la "
    "fermeture du vieux pont aux voitures, après la découverte de fissures dans deux piliers.</p>"
    "<p>Les bus et les vélos pourront encore passer, a dit le maire, et les travaux devraient durer "
    "environ deux ans, si le temps le permet.</p></body></html>";

/* WordPress stamps the post's tags on its <article>; the tag list itself is
 * a box of links. */
static const char *const tagged_article =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<main id=\"main\"><article id=\"post-89676\" class=\"post type-post status-publish tag-bridges tag-council category-city\">"
    "<h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<div class=\"post-tags\"><p>Tagged with bridges, council, city roads, repairs and traffic this week in town.</p></div>"
    "</article></main>"
    "<div class=\"comments-area\">"
    "<p>A first comment that goes on for quite a while about the bridge, the council and the state of the roads in general.</p>"
    "<p>A second comment that goes on for quite a while about the buses, the bicycles and the parking near the river.</p>"
    "<p>A third comment that goes on for quite a while about the mayor, the elections and what the council did before.</p>"
    "<p>A fourth comment that goes on for quite a while about the engineers, the cracks and who should pay for it all.</p>"
    "</div><ul class=\"archive\">"
    "<li><a href=\"/1\">A long list of links to every other story the site has published this year, one after another</a></li>"
    "<li><a href=\"/2\">Another link to another story that has nothing to do with the bridge or with the council</a></li>"
    "<li><a href=\"/3\">A third link to a story about the weather, which was bad this week, and the week before too</a></li>"
    "</ul></body></html>";

/* A portal page: most of its text is links, and one short article. */
static const char *const mostly_links =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<ul><li><a href=\"/1\">A long list of links to every other story the site has published this year, one after another</a></li>"
    "<li><a href=\"/2\">Another link to another story that has nothing to do with the bridge or with the council</a></li>"
    "<li><a href=\"/3\">A third link to a story about the weather, which was bad this week, and the week before too</a></li>"
    "<li><a href=\"/4\">A fourth link to a story about the football club and its new coach from abroad this season</a></li>"
    "<li><a href=\"/5\">A fifth link to a story about the price of bread, which went up again in the capital</a></li>"
    "<li><a href=\"/6\">A sixth link to a story about the schools, which open again next week after the long break</a></li>"
    "<li><a href=\"/7\">A seventh link to a story about the new hospital, which is late and costs more than planned</a></li>"
    "<li><a href=\"/8\">An eighth link to a story about the harbour, where the ships wait longer than ever before</a></li>"
    "<li><a href=\"/9\">A ninth link to a story about the trains, which were late again on every line this morning</a></li>"
    "<li><a href=\"/10\">A tenth link to a story about the museum, which shows old maps of the city and its river</a></li>"
    "</ul><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>";

static const char *const aspnet_form =
    "<!DOCTYPE html><html><head><title>Council closes old bridge to cars</title></head><body>"
    "<form method=\"post\" action=\"./Article.aspx?id=1234\" id=\"aspnetForm\">"
    "<input type=\"hidden\" name=\"__VIEWSTATE\" value=\"/wEPDwUKLTk0NjUxNjQ1MQ\">"
    "<div class=\"search\"><label for=\"q\">Search the site</label><input id=\"q\" type=\"text\"><button>Go</button></div>"
    "<div id=\"main\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</div>"
    "</form></body></html>";

static const char *const comments_box =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<article class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</article>"
    "<section id=\"comments\" class=\"comments-area\"><article class=\"comment\">"
    "<p>I drive over that bridge every day and I think this is a terrible decision by the council, honestly.</p>"
    "</article></section></body></html>";

static const char *const german =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke für Autos | Tagblatt</title></head>"
    "<body><div class=\"article-wrapper\"><h1>Stadtrat sperrt alte Brücke für Autos</h1>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr für Autos zu sperren, "
    "nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Busse und Fahrräder dürfen die Brücke weiter benutzen, sagte der Bürgermeister, und die Arbeiten sollen "
    "etwa zwei Jahre dauern.</p>"
    "<p>Geschäftsleute am Fluss fürchten, Kunden zu verlieren, und baten den Rat um Hilfe bei den Parkplätzen "
    "während der Reparatur.</p></div></body></html>";

static const char *const korean =
    "<!DOCTYPE html><html lang=\"ko\"><head><title>시의회, 오래된 다리 차량 통행 금지</title></head>"
    "<body><h1>시의회, 오래된 다리 차량 통행 금지</h1>"
    "<p>시의회는 화요일 기술자들이 교각 두 곳에서 균열을 발견한 뒤 내년 봄부터 오래된 다리의 차량 통행을 금지하기로 의결했다. "
    "버스와 자전거는 계속 건널 수 있으며 공사는 약 2년이 걸릴 것으로 보인다고 시장은 말했다.</p>"
    "<p>강 주변 상인들은 손님을 잃을까 걱정하며 공사 기간 주차 문제에 대해 시의회에 도움을 요청했다. "
    "시는 다음 달 주민 설명회를 열어 우회로와 임시 주차장 계획을 설명할 예정이다.</p></body></html>";

/* Japanese: no spaces between words, and readings (furigana) over kanji in
 * <ruby>; the readings are no part of the text. */
static const char *const japanese =
    "<!DOCTYPE html><html lang=\"ja\"><head><title>市議会、古い橋の車の通行を禁止</title></head>"
    "<body><nav><a href=\"/\">ホーム</a> <a href=\"/news\">ニュース</a></nav>"
    "<h1>市議会、古い橋の車の通行を禁止</h1>"
    "<p><ruby>市議会<rt>しぎかい</rt></ruby>は<ruby>火曜日<rt>かようび</rt></ruby>、技術者が二つの"
    "橋脚でひび割れを見つけたため、来年の春から古い橋の車の通行を禁止することを決めました。"
    "バスと自転車は引き続き渡ることができ、工事はおよそ二年かかる見込みだと市長は話しました。</p>"
    "<p>川の近くの店の人たちは客が減ることを心配していて、工事の間の駐車場について市議会に助けを"
    "求めました。市は来月、住民説明会を開いて、迂回路と臨時の駐車場の計画を説明する予定です。</p>"
    "<footer>© 2021 市民新聞</footer></body></html>";

/* An Arabic article under a template that says lang="en-US". */
static const char *const arabic_en_us =
    "<!DOCTYPE html><html lang=\"en-US\" dir=\"rtl\"><head><title>المجلس البلدي يغلق الجسر القديم أمام السيارات</title></head>"
    "<body><h1>المجلس البلدي يغلق الجسر القديم أمام السيارات</h1>"
    "<p>صوّت المجلس البلدي يوم الثلاثاء على إغلاق الجسر القديم أمام السيارات ابتداء من الربيع المقبل، بعد أن عثر "
    "المهندسون على تشققات في اثنتين من دعاماته.</p>"
    "<p>وقال رئيس البلدية إن الحافلات والدراجات ستواصل العبور، وإن الأشغال ستستغرق نحو عامين، فيما طلب أصحاب "
    "المحلات القريبة من النهر المساعدة في توفير مواقف للسيارات.</p></body></html>";

/* In-article non-body: a <figure> with its caption, caption and credit
 * lines, bylines, share prompts. */
#define EN_HEAD "<html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>" \
                "<article><h1>Council closes old bridge to cars</h1>"
static const char *const figure_caption =
    EN_HEAD EN_P1 "<figure><img src=\"b.jpg\"><figcaption>The old bridge, seen from the east bank, with cars "
    "crossing at dawn on a cold winter morning last year.</figcaption></figure>" EN_P2 EN_P3 "</article></body></html>";
static const char *const caption_line =
    EN_HEAD EN_P1 "<p>Foto: Stadtarchiv / Max Muster</p>" EN_P2 EN_P3 "</article></body></html>";
static const char *const byline =
    EN_HEAD "<p>By Jane Smith</p>" EN_P1 EN_P2 EN_P3 "</article></body></html>";
static const char *const credits =
    EN_HEAD EN_P1 EN_P2 EN_P3 "<p>Reporting by Jane Smith in London and John Doe in Paris; Writing by Ann Lee; "
    "Editing by Mark Potter and Frances Kerry</p></article></body></html>";
static const char *const share_prompt =
    EN_HEAD EN_P1 "<p>Share this story</p>" EN_P2 EN_P3 "</article></body></html>";

/* Closing headings: a German teaser box ends the article whatever mark ends
 * its heading; a "Related" box set between paragraphs does not; a long
 * thread of comments does not outweigh a short article above it. */
#define EN_P4 "<p>The council will hold a public meeting next month to explain the detours, and the new timetable for the buses that will use the bridge.</p>"
static const char *const german_teasers =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke für Autos</title></head><body>"
    "<div class=\"content\"><h1>Stadtrat sperrt alte Brücke für Autos</h1>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr für Autos zu sperren, "
    "nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Busse und Fahrräder dürfen die Brücke weiter benutzen, sagte der Bürgermeister, und die Arbeiten sollen "
    "etwa zwei Jahre dauern.</p>"
    "<h3>Das könnte Sie auch interessieren!</h3>"
    "<p>Im Nachbarort wird das Freibad nach zwei Jahren Umbau wieder eröffnet, mit neuer Rutsche, einem größeren "
    "Becken für Kinder und längeren Öffnungszeiten am Wochenende.</p></div></body></html>";
static const char *const related_inside =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<article><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2
    "<h2>Related</h2><ul><li><a href=\"/1\">Engineers find cracks in the river tunnel too</a></li>"
    "<li><a href=\"/2\">Bus company orders twenty new electric buses</a></li>"
    "<li><a href=\"/3\">Mayor promises new parking near the market</a></li></ul>"
    EN_P3 EN_P4 "</article></body></html>";
static const char *const related_long_links =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<article><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2
    "<h2>Related stories</h2><ul>"
    "<li><a href=\"/1\">Engineers find cracks in the river tunnel as well, and ask for money to repair it soon</a></li>"
    "<li><a href=\"/2\">Bus company orders twenty new electric buses for the lines that cross the old town</a></li>"
    "<li><a href=\"/3\">Mayor promises new parking near the market before the works on the bridge begin</a></li>"
    "<li><a href=\"/4\">Shop owners by the river form a group to speak with one voice to the city council</a></li></ul>"
    EN_P3 "</article></body></html>";
#define EN_C "<p>I have lived next to this bridge for thirty years and I can tell you that the cracks were there long before anyone in the council cared to look at them.</p>"
static const char *const long_thread =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"story\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</div>"
    "<h3>Comments</h3><div class=\"thread\">" EN_C
    "<p>The buses are always late anyway, so I do not see why this would change anything for people who live on the east bank of the river.</p>"
    "<p>Every year they promise new parking and every year nothing happens, the shops by the river will close one after another and nobody will care.</p>"
    "<p>My father helped build that bridge in the sixties and he always said it was built to last a hundred years, so what went wrong with it now?</p>"
    "<p>Two years of works means two years of traffic jams in the centre, I hope the council has a plan for the school run in the mornings.</p>"
    "</div></body></html>";

/* The article's element holds short lines the scores alone would drop: a
 * subheading and a list of facts above the first paragraph; but not the
 * section label above the headline nor the box's own "more" matter at its
 * end. */
static const char *const facts_in_article =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<ul class=\"menu\"><li><a href=\"/\">Home</a></li><li><a href=\"/city\">City</a></li></ul>"
    "<div class=\"entry\"><p>City news</p><h1>Council closes old bridge to cars</h1>"
    "<h3>What changes</h3><ul><li>No cars from April</li><li>Buses every ten minutes</li>"
    "<li>Bicycles and walkers as before</li></ul>" EN_P1 EN_P2 EN_P3
    "<p>More information:</p><p><a href=\"/bridge\">The bridge works page</a></p></div>"
    "<div class=\"footer\"><p>Copyright 2020 City News. All rights reserved.</p></div></body></html>";

/* Inside the article: a short line that is all link ("Weiterlesen", "Zum
 * Shop"), and a picture's caption whose credit comes last. */
static const char *const link_line =
    EN_HEAD EN_P1 "<p><a href=\"/more\">Read the full council report here</a></p>" EN_P2 EN_P3 "</article></body></html>";
static const char *const credit_last =
    EN_HEAD EN_P1 "<p>The old bridge at dawn. Photo: City Archive</p>" EN_P2 EN_P3 "</article></body></html>";

/* "<noscript><div></noscript>": the recovered tree puts the rest of the
 * page inside the <noscript>. */
static const char *const open_noscript =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<noscript><div id=\"nojs\"></noscript><div id=\"main\"><h1>Council closes old bridge to cars</h1>"
    EN_P1 EN_P2 EN_P3 "</div></body></html>";
static const char *const real_noscript =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<noscript><p>Please turn on JavaScript in your browser to see the comments and the videos on this page.</p></noscript>"
    "<div id=\"main\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</div></body></html>";

/* An <aside> left open before the article holds it in the recovered tree;
 * a real sidebar next to the article is still dropped. */
static const char *const open_aside =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"page\"><aside class=\"sidebar\"><div class=\"widget\"><p>Search</p></div>"
    "<div class=\"content\"><article><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "</article></div></div></body></html>";
static const char *const real_aside =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<article><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</article>"
    "<aside><p>Our most popular story this week is about the new football stadium and the long queues at its gates.</p></aside>"
    "</body></html>";
/* A <nav> left open around the article (a dropdown's <div> unclosed); a
 * real footer with a teaser <article> in it stays out. */
static const char *const open_nav =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<header><nav class=\"navbar\"><ul><li><a href=\"/\">Home</a><div class=\"dropdown-menu\">"
    "<a href=\"/a\">City</a></li></ul>"
    "<main><article><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "</article></main></body></html>";
static const char *const teaser_footer =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"post\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3 "</div>"
    "<footer><article><p>Our newest podcast is about the history of the river, its bridges and the people "
    "who built them, and it is free to hear on every platform.</p></article></footer></body></html>";
/* The article's body box carries a class word of boilerplate. */
static const char *const body_box_named_share =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<ul class=\"nav\"><li><a href=\"/\">Home</a></li></ul>"
    "<div class=\"wrap\"><p>" "A long introduction to the site that runs over many words and says what the "
    "site is about, who writes for it and why, and how long it has been online already.</p>"
    "<p>Another paragraph of the site's own text, about its newsletter, its events and its shop, which is as "
    "long as any paragraph of the article.</p>"
    "<p>A third paragraph of the site's own text, about its team of writers, its photographers and the awards "
    "it has won over the years.</p>"
    "<p>A fourth paragraph of the site's own text, about how to reach the team, how to send a tip and how to "
    "advertise on the site.</p></div>"
    "<article><h1>Council closes old bridge to cars</h1><div class=\"entry themeform share\">" EN_P1 EN_P2 EN_P3
    "</div><div class=\"share\"><p>Share on Facebook</p></div></article></body></html>";

/* "À lire aussi" and "Lesen Sie auch" lines point to other stories. */
static const char *const read_also_fr =
    "<!DOCTYPE html><html lang=\"fr\"><head><title>Le conseil ferme le vieux pont</title></head><body><article>"
    "<h1>Le conseil ferme le vieux pont</h1>"
    "<p>Le conseil municipal a voté mardi la fermeture du vieux pont aux voitures à partir du printemps prochain, "
    "après que des ingénieurs ont trouvé des fissures dans deux de ses piliers.</p>"
    "<p>\xC3\x80 lire aussi : Les bus électriques arrivent en ville</p>"
    "<p>Les bus et les vélos pourront toujours traverser, a précisé le maire, et les travaux devraient durer "
    "environ deux ans selon les premières estimations des services techniques.</p></article></body></html>";

/* A paywall offer between the lead (under the headline) and the body. */
#define PLAN(name) "<div class=\"plan\"><h4>" name "</h4><p>9.99 EUR</p><p>in the first year</p>" \
    "<ul><li>Daily news and market prices</li><li>Exclusive reports and videos</li>" \
    "<li>Lower prices for our events</li></ul><p>Subscribe now</p></div>"
static const char *const lead_over_paywall =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<header><h2>Council closes old bridge to cars</h2>"
    "<p class=\"lead\">Cars will no longer cross the old bridge from next spring, and the repairs will take two years, the council decided after a long debate.</p>"
    "<div class=\"meta\"><time datetime=\"2021-03-02\">02.03.2021</time></div></header>"
    "<div class=\"offer\"><h3>Read on with Plus</h3>" PLAN("Digital") PLAN("Digital and print") PLAN("Trial month") "</div>"
    EN_P1 EN_P2 EN_P3 "</body></html>";

/* A broken theme prints the server's warnings into the page, in English,
 * above a short German post. */
#define PHP_WARNING "<p>Warning: Use of undefined constant comments - assumed 'comments' (this will throw an Error " \
    "in a future version of PHP) in /homepages/15/d393/htdocs/wp-content/themes/old/single.php on line 37</p>"
static const char *const server_warnings =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Nummer zwei: Leo</title></head><body>"
    "<h2>Nummer zwei: Leo</h2>"
    "<p>Es ist schon einige Zeit her, als Henry auf die Welt kam, und vor ein paar Tagen hat es auch Leo geschafft, nun sind sie zu zweit und das Haus ist voll.</p>"
    "<p>So sah es aus, als Henry den kleinen Bruder das erste Mal sah, ihn lange ansah und mit geschlossenen Augen an ihm schnupperte:</p>"
    "<p><img src=\"leo.jpg\"></p>"
    PHP_WARNING PHP_WARNING PHP_WARNING PHP_WARNING "</body></html>";

/* A page builder's page: every block, the post's text too, sits in an
 * "elementor-widget-container", and a consent dialog holds more text than
 * the post. */
#define CONSENT_P "<p>We use cookies and similar technologies on our website and process your personal data, for example your IP address, to personalise content and ads and to measure them, and you can change your choice at any time in the settings.</p>"
static const char *const page_builder =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"BorlabsCookie\">" CONSENT_P CONSENT_P CONSENT_P CONSENT_P "</div>"
    "<div class=\"elementor elementor-213 elementor-location-single\"><section class=\"elementor-section\">"
    "<div class=\"elementor-element elementor-widget elementor-widget-heading\"><div class=\"elementor-widget-container\">"
    "<h2>Council closes old bridge to cars</h2></div></div>"
    "<div class=\"elementor-element elementor-widget\"><div class=\"elementor-widget-container\">"
    EN_P1 EN_P2 EN_P3 "</div></div></section></div></body></html>";

/* The article's own list, announced by a sentence ending in a colon. */
static const char *const announced_list =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1><div class=\"text\">" EN_P1
    "<p>The decision brings the following changes for people who cross the river every day:</p></div>"
    "<ul><li>no cars on the old bridge from the first of March next year</li>"
    "<li>buses and bicycles may still use the bridge during the works</li>"
    "<li>a second ferry between the two banks from the first of April</li>"
    "<li>lower fares on the ferry for pupils and for people over sixty</li>"
    "<li>more parking near the market hall for shops and their customers</li></ul>"
    "<div class=\"text\">" EN_P2 EN_P3 "</div></body></html>";

/* A long rights paragraph under the article: a licence and the owners. */
static const char *const long_rights =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<p>Some rights reserved 2017-2023 by City Newsfeed, a partnership of City Internet Media and City Media Group. "
    "Everything published by City Newsfeed staff is covered by an open licence: you may copy, share and adapt it for any "
    "purpose, even commercially, as long as you name the author and the site and link back to the original page.</p>"
    "</body></html>";

/* A picture's caption and, on the next line of the same element, its
 * credit: the caption reads as a sentence. */
static const char *const caption_then_credit =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1>" EN_P1
    "<div class=\"img\"><img src=\"b.jpg\"><p>The old bridge seen from the north bank, where the cracks were first found by a walker last winter.<br>Foto \xC2\xA9 Peter Steiger</p></div>"
    EN_P2 EN_P3 "</body></html>";

/* The same box between paragraphs, each link under its topic label. */
static const char *const related_kickers =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<div class=\"text\"><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2
    "<h2>Related</h2><div class=\"teaser\"><p>Transport</p><p><a href=\"/1\">Engineers find cracks in the river tunnel too</a></p></div>"
    "<div class=\"teaser\"><p>City</p><p><a href=\"/2\">Bus company orders twenty new electric buses</a></p></div>"
    "<div class=\"teaser\"><p>Parking</p><p><a href=\"/3\">Mayor promises new parking near the market</a></p></div>"
    EN_P3 EN_P4 "</div></body></html>";

/* Under the article, cards of the blog's other posts: a heading, a byline,
 * a teaser paragraph each. */
#define POST_CARD(h, t) "<div class=\"post\"><h3>" h "</h3><ul><li>Autor: Jan Berg, Datum: 15.Jun.19</li>" \
    "<li>" t "</li></ul></div>"
static const char *const post_cards =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Die alte Brücke wird gesperrt</title></head><body>"
    "<h1>Die alte Brücke wird gesperrt</h1>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.</p>"
    POST_CARD("Ein neuer Markt", "Der Wochenmarkt zieht im Sommer auf den Platz vor dem Rathaus um, und die Händler freuen sich schon auf mehr Kunden.")
    POST_CARD("Das Freibad öffnet", "Das Freibad am See öffnet in diesem Jahr schon im Mai, weil das Wasser früher warm war als in den Jahren davor.")
    POST_CARD("Neue Busse", "Die Stadt kauft zwanzig neue Busse mit Elektromotor, die ab dem Herbst auf den Linien durch die Altstadt fahren sollen.")
    "</body></html>";

/* A photo's caption that reads as a sentence and places its people. */
static const char *const caption_places_people =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1>"
    "<p>Mayor Anna Berg (right) looks on as the city engineer shows the cracks in the bridge to members of the council on Tuesday.</p>"
    EN_P1 EN_P2 EN_P3 "</body></html>";

/* The outlet's last word under the article: follow us, get our app. */
static const char *const follow_prompt =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 EN_P3
    "<p>Follow The City Gleaner on Twitter and Instagram @CityGleaner and on Facebook, and never miss a story from your town again.</p>"
    "</body></html>";
static const char *const follow_prompt_ar =
    "<!DOCTYPE html><html lang=\"ar\" dir=\"rtl\"><head><title>إغلاق الجسر القديم أمام السيارات</title></head><body>"
    "<h1>إغلاق الجسر القديم أمام السيارات</h1>"
    "<p>قرر مجلس المدينة يوم الثلاثاء إغلاق الجسر القديم أمام السيارات اعتبارا من الربيع المقبل، بعد أن وجد المهندسون شقوقا في اثنين من أعمدته.</p>"
    "<p>وقال رئيس البلدية إن الحافلات والدراجات ستواصل العبور، وإن الأشغال ستستغرق نحو عامين، وإن المجلس سيعقد لقاء مع السكان الشهر المقبل.</p>"
    "<p>وطالب أصحاب المحلات القريبة من النهر المجلس بمساعدتهم في توفير مواقف للسيارات خلال فترة الإصلاحات، خوفا من خسارة زبائنهم.</p>"
    "<p>لمزيد من الأخبار المحلية تابعونا على تويتر وفيسبوك وإنستغرام، وحمّل تطبيق الجريدة المجاني على هاتفك لتصلك الأخبار أولا بأول.</p>"
    "</body></html>";

/* Inside the article's element: a date-and-time line between paragraphs,
 * and a figure's caption introduced by "Abbildung:". */
static const char *const dated_line_inside =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1><div class=\"text\">" EN_P1
    "<p>17 April 2012 \xE2\x80\xA2 2:54pm</p>" EN_P2
    "<p>Abbildung: the cracks in the second support of the bridge, as the engineers measured them last winter.</p>"
    EN_P3 "</div></body></html>";

/* Above the article, the outlet's affiliate note; below a picture, a
 * stock agency's credit on its own line. */
static const char *const affiliate_and_stock =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Die alte Brücke wird gesperrt</title></head><body>"
    "<h1>Die alte Brücke wird gesperrt</h1>"
    "<p>Für Links auf dieser Seite erhält die Zeitung ggf. eine Provision vom Händler, zum Beispiel für mit gekennzeichnete Angebote.</p>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>iStock.com/Max Muster</p>"
    "<p>Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.</p>"
    "</body></html>";

/* A note about the author, then the page's own prose (a featured video's
 * blurb) in the same column. */
static const char *const author_note_then_more =
    "<!DOCTYPE html><html lang=\"en\"><head><title>Council closes old bridge to cars</title></head><body>"
    "<h1>Council closes old bridge to cars</h1><div class=\"text\">" EN_P1 EN_P2 EN_P3
    "<p>Anna Berg is a senior writer for the City Gleaner, covering transport. She was previously an editor at a radio station.</p>"
    "<p>Featured video</p><p>The mayor of the old town explains in a short film how the new ferries will carry cyclists across the river next year.</p>"
    "</div></body></html>";

/* The outlet's notes between and under the paragraphs: an embed waiting
 * for consent, a disclaimer, a login prompt. */
static const char *const outlet_notes =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Die alte Brücke wird gesperrt</title></head><body>"
    "<h1>Die alte Brücke wird gesperrt</h1><div class=\"text\">"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Wir respektieren deine Privatsphäre und stellen deshalb ohne dein Einverständnis keine Verbindung zu Twitter her. Hier kannst du den Inhalt laden.</p>"
    "<p>Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.</p>"
    "<p>Dieser Beitrag gibt die Meinung des Autors wieder, nicht notwendigerweise die der Redaktion.</p>"
    "<p>Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.</p>"
    "</div></body></html>";

/* Labels of the page inside the article's column: a table of contents'
 * heading above, a contacts label below. */
static const char *const column_labels =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Die alte Brücke wird gesperrt</title></head><body>"
    "<h1>Die alte Brücke wird gesperrt</h1><div class=\"text\"><p>Inhaltsverzeichnis</p>"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.</p>"
    "<p>Weitere Informationen</p>"
    "<p>Die Geschäfte am Fluss fürchten, Kunden zu verlieren, und bitten den Stadtrat während der Arbeiten um Hilfe bei den Parkplätzen.</p>"
    "</div></body></html>";

/* Under a picture its credit in brackets, under the article an
 * update line and an advertising label; a footnote above a source line
 * stays. */
static const char *const credits_and_labels =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Die alte Brücke wird gesperrt</title></head><body>"
    "<h1>Die alte Brücke wird gesperrt</h1><div class=\"text\">"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>(Credit: Max Muster / Stadtarchiv)</p>"
    "<p>Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.<br>Quelle: Stadtverwaltung</p>"
    "<p>Aktualisiert am 17.01.2021.</p><p>ANZEIGE - Heute mal ausgehen? Wie wäre es mit dem neuen Café am Fluss:</p>"
    "</div></body></html>";

static const char *const topic_link =
    "<!DOCTYPE html><html lang=\"de\"><head><title>Die alte Brücke wird gesperrt</title></head><body>"
    "<h1>Die alte Brücke wird gesperrt</h1><div class=\"text\">"
    "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"
    "<p>Mehr zu Brücken und Straßen</p>"
    "<p>Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.</p>"
    "</div></body></html>";

static void test_shapes(kh_ctx *ctx, kh_cleaner *cl)
{
    static const struct {
        const char *name, *html, *want_in, *want_out;
    } cases[] = {
        { "class word inside a longer word is no veto", unsubscribed_body, "cracks in two", "Sign up" },
        { "layout flag on the page wrapper", sidebar_layout, "Shop owners", "most popular story" },
        { "<article> in a wrapper named like a menu", article_in_menu_wrap, "cracks in two", NULL },
        { "taxonomy tokens on the <article>", tagged_article, "Shop owners", "first comment" },
        { "mostly links, one visible article", mostly_links, "cracks in two", "tenth link" },
        { "a <form> around the page", aspnet_form, "Shop owners", "Search the site" },
        { "a small comments box is still dropped", comments_box, "Shop owners", "terrible decision" },
        { "German: a body without a stemmer", german, "Risse in zwei Pfeilern", NULL },
        { "Korean: a body without a stoplist", korean, "균열을 발견한", NULL },
        { "Japanese: words without spaces make a body", japanese, "ひび割れを見つけた", "ホーム" },
        { "Japanese: a ruby's reading is no text", japanese, "市議会は火曜日、技術者", "しぎかい" },
        { "a figure's caption is no body", figure_caption, "Shop owners", "crossing at dawn" },
        { "a caption line is no body", caption_line, "Shop owners", "Foto:" },
        { "a byline is no body", byline, "Shop owners", "By Jane" },
        { "a credit line at any length is no body", credits, "Shop owners", "Editing by" },
        { "a share prompt is no body", share_prompt, "Shop owners", "Share this" },
        { "a German teaser heading ends the article", german_teasers, "zwei Jahre dauern", "Freibad" },
        { "a related box between paragraphs is no end", related_inside, "public meeting", "twenty new" },
        { "a related box: the article before it stays", related_inside, "cracks in two", "Related" },
        { "a box of long related links costs the story little", related_long_links, "Shop owners near",
          "twenty new" },
        { "comments do not outweigh the article", long_thread, "Buses and bicycles", "thirty years" },
        { "a <noscript> left open holds the page", open_noscript, "Shop owners", NULL },
        { "a real <noscript> is no body", real_noscript, "Shop owners", "turn on JavaScript" },
        { "an <aside> left open holds the article", open_aside, "Shop owners", NULL },
        { "a real <aside> is no body", real_aside, "Shop owners", "football stadium" },
        { "a <nav> left open holds the article", open_nav, "Shop owners", NULL },
        { "a teaser <article> in a real footer is no body", teaser_footer, "Shop owners", "podcast" },
        { "the main element's body box named like boilerplate", body_box_named_share, "Shop owners",
          "Share on" },
        { "an \"À lire aussi\" line is no body", read_also_fr, "deux ans", "bus électriques" },
        { "a short line that is all link is no body", link_line, "Shop owners", "full council report" },
        { "a caption with its credit last is no body", credit_last, "Shop owners", "City Archive" },
        { "a list of facts in the article's element is body", facts_in_article, "Buses every ten minutes", "City news" },
        { "the lead under the headline joins the body past a paywall offer", lead_over_paywall,
          "no longer cross", "9.99 EUR" },
        { "the body past the lead stays", lead_over_paywall, "Shop owners", "Subscribe now" },
        { "a page builder's widget container holds the post", page_builder, "Shop owners", NULL },
        { "a list a sentence announces is body", announced_list, "a second ferry", NULL },
        { "a rights paragraph at any length is no body", long_rights, "Shop owners", "rights reserved" },
        { "text above a picture's credit is its caption", caption_then_credit, "Shop owners", "north bank" },
        { "a related box with topic labels is no end", related_kickers, "public meeting", "twenty new" },
        { "cards of other posts under the article are no body", post_cards, "zwei Jahre dauern", "Freibad" },
        { "a caption that places its people is no body", caption_places_people, "Shop owners", "looks on" },
        { "a prompt to follow the outlet is no body", follow_prompt, "Shop owners", "Instagram" },
        { "an affiliate note is no body", affiliate_and_stock, "zwei Jahre dauern", "Provision" },
        { "a note about the author ends the article", author_note_then_more, "Shop owners", "senior writer" },
        { "an embed waiting for consent is no body", outlet_notes, "zwei Jahre dauern", "Privatsph" },
        { "the outlet's disclaimer is no body", outlet_notes, "Risse in zwei", "Meinung des Autors" },
        { "a login prompt is no body", outlet_notes, "Risse in zwei", "einloggen" },
        { "a table of contents' heading is no body", column_labels, "Parkpl", "Inhaltsverzeichnis" },
        { "a link to the topic's page is no body", topic_link, "zwei Jahre dauern", "Mehr zu" },
        { "a credit in brackets is no body", credits_and_labels, "zwei Jahre dauern", "Credit:" },
        { "an update line is no body", credits_and_labels, "zwei Jahre dauern", "Aktualisiert" },
        { "an advertising label is no body", credits_and_labels, "Risse in zwei", "ANZEIGE" },
        { "a source line is no body, the text above it stays", credits_and_labels, "zwei Jahre dauern",
          "Quelle:" },
        { "a \"Weitere Informationen\" label is no body", column_labels, "Risse in zwei", "Weitere Informationen" },
        { "what follows the author's note is no body", author_note_then_more, "Shop owners", "ferries" },
        { "a stock agency's credit is no body", affiliate_and_stock, "Risse in zwei", "iStock" },
        { "a date-and-time line inside the article is no body", dated_line_inside, "Shop owners", "2:54pm" },
        { "an \"Abbildung:\" caption is no body", dated_line_inside, "Buses and bicycles", "Abbildung" },
        { "an Arabic prompt to follow the outlet is no body", follow_prompt_ar, "مواقف للسيارات", "تابعونا" },
        { "the article goes on past its announced list", announced_list, "Shop owners", NULL },
        { "the server's warnings are no body", server_warnings, "vor ein paar Tagen", "undefined constant" },
        { "a sentence that leads into a picture is body", server_warnings, "schnupperte:", NULL },
        { "a subheading in the article's element is body", facts_in_article, "What changes", "More information" },
        { "a layout flag on the panel around the <h1>", layout_panel, "Shop owners", "forty years" },
        { "a category slug on the <article> that reads like a hint", category_slug, "Shop owners", "forty years" },
        { "the author's box under the article is no body", author_bio, "Shop owners", "covered the city" },
        { "a blog theme's line under the post is no body", post_meta_line, "Shop owners", "permalink" },
        { "\"Titelbild:\" is a caption", title_picture, "Händler am Fluss", "Titelbild" },
        { "a \"Lea más:\" line is no body", lea_mas, "las bicicletas", "nuevo plan" },
        { "a newsletter prompt is no body", newsletter_prompt, "Shop owners", "signing up" },
        { "a plea for support is no body", support_plea, "Shop owners", "your contribution" },
        { "a German rights line is no body", rights_de, "zwei Jahre dauern", "Rechte vorbehalten" },
        { "an advertising disclosure is no body", ad_disclosure, "Shop owners", "compensation" },
        { "soft hyphens are dropped from words", soft_hyphens, "En réaction à la candidature du maire",
          "\u00AD" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        KH_TEST(cases[i].name);
        kh_doc *d = make_doc(ctx, cases[i].html);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        KH_CHECK(art != NULL);
        if (art) {
            KH_CHECK(art->n_body > 0);
            KH_CHECK(body_has(art, cases[i].want_in));
            if (cases[i].want_out) KH_CHECK(!body_has(art, cases[i].want_out));
            KH_CHECK(art->title != NULL);
        }
        kh_doc_free(d);
    }

    /* Crawled text (one block a line): what the markup would have said,
     * text has to tell from its words. */
    static const struct {
        const char *name, *text, *want_in[3], *want_out[5];
    } text_cases[] = {
        { "crawled text: an author's card and a comment form's notes are no body",
          "Council closes old bridge to cars\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.\n\n"
            "Your email address will not be published. Required fields are marked with a star, and comments are read before they appear.\n\n"
            "Inga Buller\n\n"
            "Inga Buller is the head of the city desk at the paper. When she is not writing about the council, she swims in the river all year round.\n",
          { "Shop owners", NULL }, { "swims in the river", "will not be published", NULL } },
        { "crawled text: \"Verwandte Themen\" ends the article, a sign-up's consent is no body",
          "Die alte Brücke wird gesperrt\n\n"
            "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.\n\n"
            "Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.\n\n"
            "Mit der Anmeldung stimme ich der Verarbeitung meiner Daten zu und kann den Newsletter jederzeit wieder abbestellen, wenn ich das möchte.\n\n"
            "Verwandte Themen\n\n"
            "Das Freibad am See öffnet in diesem Jahr schon im Mai, weil das Wasser früher warm war als in den Jahren davor, und die Stadt freut sich.\n",
          { "zwei Jahre dauern", NULL }, { "Freibad", "Anmeldung", NULL } },
        { "crawled text: a closing heading above the article closes nothing",
          "Council closes old bridge to cars\n\nMost read\n\n"
            "Mayor opens the new market hall\n\nFootball club signs a coach\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Cars\n\nBuses\n\nBicycles\n\nFerries\n\nTrains\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.\n",
          { "cracks in two", "Shop owners", NULL }, { NULL } },
        { "crawled text: a blog's machinery below the post is no body",
          "Council closes old bridge to cars\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Next post\n\n"
            "Notify me when new comments are added to this post, by e-mail, at most once a day and never for the old ones.\n\n"
            "This site uses Akismet to reduce spam. Learn how your comment data is processed and how long we keep it.\n\n"
            "All content is licensed under a Creative Commons Attribution 4.0 International License, unless noted otherwise.\n\n"
            "Print\n\n"
            "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply to all of its forms.\n",
          { "two years", NULL }, { "Akismet", "Notify me", "Creative Commons", "reCAPTCHA", NULL } },
        { "crawled text: the lead joins the body past a newsletter box",
          "Council closes old bridge to cars - City News\n\n"
            "Council closes old bridge to cars\n\n"
            "Cars will no longer cross the old bridge from next spring, and the repairs will take two years, the council decided after a long debate.\n\n"
            "Anna Berg\n\n"
            "12 March 2021\n\n"
            "Newsletter\n\nThe day's news\n\nEvery morning\n\nFree of charge\n\nYour e-mail\n\nSign me up\n\n"
            "Unsubscribe at any time\n\nNo spam\n\nPrivacy\n\nSend\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.\n",
          { "no longer cross", "Shop owners", NULL }, { "Anna Berg", NULL } },
        { "crawled text: a link to another story inside the article, a closing heading with accents",
          "El concejo cierra el puente viejo a los coches\n\n"
            "El concejo municipal votó el martes cerrar el puente viejo a los coches desde la próxima primavera, después de que los ingenieros encontraran grietas en dos de sus pilares.\n\n"
            "Le puede interesar: El alcalde promete nuevos aparcamientos cerca del mercado\n\n"
            "Los autobuses y las bicicletas podrán seguir cruzando, dijo el alcalde, y se espera que las obras duren unos dos años en total.\n\n"
            "¿Qué pasa con mis datos?\n\n"
            "Mirá también\n\n"
            "La piscina del lago abre este año en mayo porque el agua se calentó antes que en los años anteriores, y la ciudad está contenta.\n",
          { "dos años", NULL }, { "Le puede interesar", "piscina", NULL } },
        { "crawled text: a caption with its source, the comments' count heading",
          "Die alte Brücke wird gesperrt\n\n"
            "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke vom nächsten Frühjahr an für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.\n\n"
            "Der Bürgermeister zeigt die Risse an der Brücke. (Bildquelle: Stadtarchiv)\n\n"
            "Busse und Fahrräder dürfen weiter fahren, sagte der Bürgermeister, und die Arbeiten werden etwa zwei Jahre dauern, wenn alles nach Plan läuft.\n\n"
            "Online-Pressemappe - alle Meldungen der Stadt | RSS-Feed abonnieren\n\n"
            "3 Antworten zu „Die alte Brücke wird gesperrt“\n\n"
            "Endlich tut der Stadtrat etwas, ich fahre jeden Tag über diese Brücke und habe mich schon lange gefragt, wann sie endlich repariert wird.\n",
          { "zwei Jahre dauern", NULL }, { "Bildquelle", "RSS-Feed", "Endlich tut", NULL } },
        { "crawled text: a related box between paragraphs is no end",
          "Council closes old bridge to cars\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Related\n\n"
            "Bus company orders twenty new electric buses for the old town\n\n"
            "Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.\n\n"
            "The council will hold a public meeting next month to explain the detours, and the new timetable for the buses that will use the bridge.\n",
          { "public meeting", NULL }, { "twenty new", NULL } },
    };
    for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
        KH_TEST(text_cases[i].name);
        kh_doc *d = kh_test_doc(ctx, "mem", text_cases[i].text, KH_CONTENT_PAGE);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        for (size_t k = 0; text_cases[i].want_in[k]; k++) KH_CHECK(body_has(art, text_cases[i].want_in[k]));
        for (size_t k = 0; text_cases[i].want_out[k]; k++) KH_CHECK(!body_has(art, text_cases[i].want_out[k]));
        kh_doc_free(d);
    }

    /* An Arabic article in an English template whose teasers hold most of
     * the page's long lines: the article is Arabic, and Arabic prose is
     * not read as English without stopwords. */
#define EN_TEASER "<div class=\"teaser\"><p>Read our latest reports about the economy, politics, sport and culture " \
    "from the whole region.</p><ul><li><a href=\"/a\">Economy</a></li><li><a href=\"/b\">Sport</a></li></ul></div>"
    KH_TEST("an Arabic article under an English template is Arabic");
    {
        kh_doc *d = make_doc(ctx,
            "<!DOCTYPE html><html lang=\"en-US\"><head><title>إغلاق الجسر القديم أمام السيارات</title></head><body>"
            EN_TEASER EN_TEASER EN_TEASER EN_TEASER EN_TEASER EN_TEASER
            EN_TEASER EN_TEASER EN_TEASER EN_TEASER EN_TEASER EN_TEASER
            "<h1>إغلاق الجسر القديم أمام السيارات</h1><div class=\"text\">"
            "<p>قرر مجلس المدينة يوم الثلاثاء إغلاق الجسر القديم أمام السيارات اعتبارا من الربيع المقبل، بعد أن وجد المهندسون شقوقا في اثنين من أعمدته.</p>"
            "<p>وقال رئيس البلدية إن الحافلات والدراجات ستواصل العبور، وإن الأشغال ستستغرق نحو عامين، وإن المجلس سيعقد لقاء مع السكان الشهر المقبل.</p>"
            "<p>وطالب أصحاب المحلات القريبة من النهر المجلس بمساعدتهم في توفير مواقف للسيارات خلال فترة الإصلاحات، خوفا من خسارة زبائنهم.</p>"
            "</div></body></html>");
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        KH_CHECK(body_has(art, "مواقف للسيارات"));
        KH_CHECK(!body_has(art, "latest reports"));
        if (art) KH_CHECK_INT(art->lang, KH_LANG_AR);
        kh_doc_free(d);
    }
#undef EN_TEASER

    /* Crawled text opens with the page's <title>; the headline the page
     * prints is the piece of it that stands on its own line, however far
     * above the article; a <title> whose headline is not printed loses the
     * site's name the page prints elsewhere. */
#define APPEND(b, str) kh_buf_append((b), (str), strlen(str))
    KH_TEST("crawled text: the headline is the <title>'s piece on its own line");
    {
        kh_buf page;
        kh_buf_init(&page, ctx, 0);
        KH_CHECK_INT(APPEND(&page, "Council closes old bridge to cars - City News\n\nHome\n\n"
                                   "Council closes old bridge to cars\n\n"), KH_OK);
        for (int i = 0; i < 40; i++)
            KH_CHECK_INT(APPEND(&page, "Weather and traffic\n\nSport results\n\n"), KH_OK);
        KH_CHECK_INT(APPEND(&page,
            "Transport desk\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.\n"), KH_OK);
        kh_doc *d = kh_test_doc(ctx, "mem", page.data, KH_CONTENT_PAGE);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        if (art) KH_CHECK_STR(art->title, "Council closes old bridge to cars");
        kh_doc_free(d);
        kh_buf_free(&page);
    }
#undef APPEND
    KH_TEST("crawled text: the <title> without the site's name printed below");
    {
        kh_doc *d = kh_test_doc(ctx, "mem",
            "A river town divided - City News\n\nHome\n\nSport\n\n"
            "The city council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its supports.\n\n"
            "Buses and bicycles will still be allowed to cross, the mayor said, and the work is expected to take about two years to finish.\n\n"
            "Shop owners near the river said they feared losing customers, and asked the council for help with parking during the repairs.\n\n"
            "Contact City News\n", KH_CONTENT_PAGE);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        if (art) KH_CHECK_STR(art->title, "A river town divided");
        kh_doc_free(d);
    }

    KH_TEST("German: detected, stemmed, no warning");
    kh_doc *d = make_doc(ctx, german);
    const kh_article *art = NULL;
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) {
        KH_CHECK_INT(art->lang, KH_LANG_DE);
        KH_CHECK_INT(art->warnings, 0);
        KH_CHECK_STR(art->title, "Stadtrat sperrt alte Brücke für Autos");
    }
    kh_doc_free(d);

    KH_TEST("<html lang> is a hint the text overrules");
    d = make_doc(ctx, arabic_en_us);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) {
        KH_CHECK_INT(art->lang, KH_LANG_AR);
        KH_CHECK(body_has(art, "تشققات"));
    }
    kh_doc_free(d);

    KH_TEST("English under lang=en-US stays English");
    d = make_doc(ctx, sidebar_layout);
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) KH_CHECK_INT(art->lang, KH_LANG_EN);
    kh_doc_free(d);

    KH_TEST("a byline gives the author, its date line the date");
    d = make_doc(ctx, EN_HEAD "<p>By Jane Smith, City Reporter</p><p>February 19, 2020</p>"
                      EN_P1 EN_P2 EN_P3 "</article></body></html>");
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) {
        KH_CHECK_STR(art->author, "Jane Smith");
        KH_CHECK(!body_has(art, "Jane Smith"));
    }
    kh_doc_free(d);

    KH_TEST("an outlet's prompt to report an error is no part of the article");
    d = make_doc(ctx, EN_HEAD EN_P1 EN_P2 EN_P3
                      "<p>Spotted an error in this story? Let our newsroom know and we will correct it.</p>"
                      "</article></body></html>");
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) {
        KH_CHECK(body_has(art, "Shop owners near the river"));
        KH_CHECK(!body_has(art, "Spotted an error"));
    }
    kh_doc_free(d);
    d = make_doc(ctx, "<html lang=\"ar\"><head><title>افتتاح الخط الأحمر للمترو</title></head><body><article>"
                      "<p>افتتح وزير النقل اليوم الخط الأحمر لمترو العاصمة بعد أربع سنوات من العمل، ويربط الخط بين المطار ووسط المدينة بإحدى عشرة محطة.</p>"
                      "<p>وشهدت المحطات منذ الساعات الأولى إقبالا كبيرا من المواطنين الذين حرص كثير منهم على تجربة الرحلة مع أطفالهم.</p>"
                      "<p>إذا كنت تعتقد أن هذا الخبر يتضمن معلومات غير دقيقة يمكنك إرسال تصحيح إلى فريق التحرير.</p>"
                      "</article></body></html>");
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) {
        KH_CHECK(body_has(art, "إقبالا كبيرا"));
        KH_CHECK(!body_has(art, "إرسال تصحيح"));
    }
    kh_doc_free(d);

    KH_TEST("<meta name=author> gives the author");
    d = make_doc(ctx, "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
                      "<meta name=\"author\" content=\"Jane Smith\"></head><body>" EN_P1 EN_P2 "</body></html>");
    KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
    if (art) KH_CHECK_STR(art->author, "Jane Smith");
    kh_doc_free(d);
}

/* Allocation failure on the German page and the page inside a <form>: a correct body or
 * a clean KH_E_NOMEM, never a leak. */
static void test_alloc_failure(void)
{
    KH_TEST("allocation failure");
    int ok_runs = 0, nomem_runs = 0, leaks = 0, bad = 0;
    for (long fail = 1; fail < 400; fail++) {
        kh_test_alloc ta = { 0, 0, 0 };
        kh_allocator al = { kh_test_alloc_fn, &ta };
        kh_ctx *ctx;
        if (kh_ctx_create(&ctx, &al) != KH_OK) { bad++; break; }
        ta.fail_at = fail + ta.calls;
        kh_cleaner *cl = NULL;
        kh_status rc = kh_cleaner_create(ctx, 1000, &cl);
        kh_doc *d1 = NULL, *d2 = NULL;
        const kh_article *a1 = NULL, *a2 = NULL;
        if (rc == KH_OK) {
            d1 = make_doc(ctx, german);
            d2 = make_doc(ctx, aspnet_form);
            if (!d1 || !d2) rc = KH_E_NOMEM;
        }
        if (rc == KH_OK) rc = kh_clean_doc(cl, d1, &a1);
        if (rc == KH_OK) rc = kh_clean_doc(cl, d2, &a2);
        if (rc == KH_OK) {
            ok_runs++;
            if (a1->n_body != 3 || !body_has(a2, "Shop owners")) bad++;
        } else if (rc == KH_E_NOMEM) {
            nomem_runs++;
        } else {
            bad++;
        }
        kh_doc_free(d1);
        kh_doc_free(d2);
        kh_cleaner_free(cl);
        kh_ctx_free(ctx);
        if (ta.live != 0) leaks++;
        if (rc == KH_OK && ta.calls < fail + 1) break; /* no allocation left to fail */
    }
    KH_CHECK(ok_runs >= 1);
    KH_CHECK(nomem_runs >= 5);
    KH_CHECK_INT(leaks, 0);
    KH_CHECK_INT(bad, 0);
}

#define DE_P "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr für Autos zu sperren, " \
             "nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>"

#define DE_P2 "<p>Busse und Fahrräder dürfen die Brücke weiter benutzen, sagte die Bürgermeisterin, und die Arbeiten " \
              "sollen etwa zwei Jahre dauern, wenn das Wetter mitspielt.</p>"

/* Ten lines of a site's menu, as link list items. */
#define NAV10 "<ul>" \
    "<li><a href=\"/a\">Politik</a></li><li><a href=\"/b\">Wirtschaft</a></li>" \
    "<li><a href=\"/c\">Sport</a></li><li><a href=\"/d\">Kultur</a></li>" \
    "<li><a href=\"/e\">Wissen</a></li><li><a href=\"/f\">Reisen</a></li>" \
    "<li><a href=\"/g\">Auto</a></li><li><a href=\"/h\">Gesundheit</a></li>" \
    "<li><a href=\"/i\">Panorama</a></li><li><a href=\"/j\">Region</a></li></ul>"

/* Dates the markup gives outside <meta>: JSON-LD (in @graph too, the
 * article's over the page's), microdata, the day in the URL's path, and the
 * page's own dated lines. */
static void test_dates(kh_ctx *ctx, kh_cleaner *cl)
{
    static const struct { const char *name, *html, *want, *src; } cases[] = {
        { "JSON-LD datePublished in @graph",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
          "{\"@type\":\"WebPage\",\"datePublished\":\"2019-01-01T08:00:00+01:00\"},"
          "{\"@type\":\"NewsArticle\",\"headline\":\"Stadtrat sperrt alte Brücke\","
          "\"datePublished\":\"2019-10-19T23:08:22+02:00\",\"dateModified\":\"2019-10-21T10:00:00+02:00\"}]}</script>"
          "</head><body><h1>Stadtrat sperrt alte Brücke</h1>"
          "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr für Autos zu sperren, "
          "nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p></body></html>",
          "2019-10-19", "jsonld" },
        { "a UTC stamp one day off yields to the URL's day",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<link rel=\"canonical\" href=\"https://news.example.com/2023/11/08/council-closes-old-bridge/\">"
          "<meta property=\"article:published_time\" content=\"2023-11-09T01:09:55+00:00\"></head>"
          "<body><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>",
          "2023-11-08", "url" },
        { "the URL's day when the page gives none",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<link rel=\"canonical\" href=\"https://news.example.com/city/2020-02-19/council-closes-old-bridge\"></head>"
          "<body><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>",
          "2020-02-19", "url" },
        { "a month in the URL is no day",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<link rel=\"canonical\" href=\"https://news.example.com/2020/02/council-closes-old-bridge\"></head>"
          "<body><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>",
          NULL, NULL },
        { "itemprop=datePublished in a box classed like a footer",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<div class=\"news news-single\"><div class=\"article\"><h1>Stadtrat sperrt alte Brücke</h1>" DE_P
          "<div class=\"footer\"><p><span class=\"news-list-date\"><time itemprop=\"datePublished\" "
          "datetime=\"2020-01-27\">27.01.2020</time></span></p></div></div></div></body></html>",
          "2020-01-27", "microdata" },
        { "a comment's microdata date is not the article's",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P
          "<ol class=\"comment-list\"><li itemscope itemtype=\"https://schema.org/Comment\">"
          "<span itemprop=\"author\">Max</span> <meta itemprop=\"x\" content=\"y\">"
          "<time itemprop=\"datePublished\" datetime=\"2020-03-01T10:00:00+01:00\"></time></li></ol>"
          "</body></html>",
          NULL, NULL },
        { "a UTC stamp yields to the same moment with the publisher's offset",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<meta name=\"date\" content=\"2019-10-19T00:04:00+02:00\">"
          "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2019-10-18T22:04:00Z\"}</script>"
          "</head><body><h1>Stadtrat sperrt alte Brücke</h1>" DE_P "</body></html>",
          "2019-10-19", "meta" },
        { "a date line just above the body, far down the page",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          NAV10 NAV10 NAV10 NAV10 NAV10 NAV10 NAV10 NAV10 NAV10
          "<h1>Stadtrat sperrt alte Brücke</h1><div class=\"meta-date\">19.11.2021</div>" DE_P
          "</body></html>",
          "2021-11-19", "text" },
        { "a marked date line below the body over the page's date of today",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<div class=\"top\">Montag, 7. Dezember 2026</div>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2
          "<p>Veröffentlicht am 16.08.2019</p>"
          "</body></html>",
          "2019-08-16", "text" },
        { "a marked date line under the related links below the body",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2
          "<p>Zum Thema:</p><ul><li><a href=\"/1\">Umfrage in der Stadt: Brücke soll bleiben</a></li>"
          "<li><a href=\"/2\">Ingenieure prüfen alle Brücken im Land</a></li>"
          "<li><a href=\"/3\">Busse fahren künftig über den Ring</a></li>"
          "<li><a href=\"/4\">Händler am Fluss fürchten um Kunden</a></li>"
          "<li><a href=\"/5\">Stadtrat beschließt neuen Haushalt</a></li></ul>"
          "<div class=\"author-date\">Datum: 19.11.2021<br>Autor: Max Muster</div>"
          "</body></html>",
          "2021-11-19", "text" },
        { "a lead that opens with its date",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>"
          "<p>(18.01.2018) Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr "
          "für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>" DE_P2
          "</body></html>",
          "2018-01-18", "text" },
        { "a date deep in a long paragraph dates nothing",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>"
          "<p>Der Stadtrat hat am Dienstag beschlossen, die alte Brücke für Autos zu sperren, nachdem "
          "Ingenieure bei einer Prüfung am 18.01.2018 Risse in zwei Pfeilern gefunden hatten.</p>" DE_P2
          "</body></html>",
          NULL, NULL },
        { "the page's own date line when it shows no other",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2 "<p class=\"updated\">Stand 27.01.2022</p>"
          "</body></html>",
          "2022-01-27", "text" },
        { "a day and a time run together read as an old year is no date",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><p class=\"meta\">macbacchi28.09.1912:44</p>" DE_P DE_P2
          "</body></html>",
          NULL, NULL },
        { "a UTC stamp yields to the same moment in local time",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<meta name=\"date\" content=\"2023-11-08 22:35:29\">"
          "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-11-09T06:35:29+00:00\"}</script>"
          "</head><body><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>",
          "2023-11-08", "meta" },
        { "a UTC stamp keeps its day beside another moment",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<meta name=\"date\" content=\"2023-11-08 22:00:00\">"
          "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-11-09T06:35:29+00:00\"}</script>"
          "</head><body><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>",
          "2023-11-09", "jsonld" },
        { "a stamp years after the URL's day is a re-publication",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<link rel=\"canonical\" href=\"https://blog.example.de/home/2017/7/12/stadtrat-sperrt-bruecke\">"
          "<script type=\"application/ld+json\">{\"@type\":\"BlogPosting\",\"datePublished\":\"2019-06-17T18:28:00+0200\"}</script>"
          "</head><body><h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2 "</body></html>",
          "2017-07-12", "url" },
        { "a dated line that the URL's day contradicts gives way to it",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<link rel=\"canonical\" href=\"https://blog.example.de/2007/05/20/stadtrat-sperrt-bruecke/\"></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><p class=\"meta\">19.05.2007</p>" DE_P DE_P2 "</body></html>",
          "2007-05-20", "url" },
        { "a slug opening with a number is no day of the URL",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<link rel=\"canonical\" href=\"https://blog.example.de/2023/10/3-fragen-an-den-stadtrat/\"></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><p class=\"meta\">31.10.2023</p>" DE_P DE_P2 "</body></html>",
          "2023-10-31", "text" },
        { "a day in a path split by '-' then '/'",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<link rel=\"canonical\" href=\"http://news.example.com/news/2012-06/04/content_25340717.htm\"></head>"
          "<body><h1>Council closes old bridge to cars</h1>" EN_P1 EN_P2 "</body></html>",
          "2012-06-04", "url" },
        { "a two-digit year by the headline",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><p><span class=\"post-created\">28.01.22</span> / "
          "<span>0 Kommentare</span></p>" DE_P DE_P2 "</body></html>",
          "2022-01-28", "text" },
        { "a version number is no two-digit year",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><p>Version 10.12.21.4</p>" DE_P DE_P2 "</body></html>",
          NULL, NULL },
        { "of two stamps that disagree, the one the page prints by its headline",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<meta property=\"article:published_time\" content=\"2023-11-06T14:25:00+01:00\">"
          "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"datePublished\":\"2023-11-03T10:25:56+01:00\"}</script>"
          "</head><body><h1>Stadtrat sperrt alte Brücke</h1><p class=\"date\">6. November 2023</p>" DE_P DE_P2
          "</body></html>",
          "2023-11-06", "meta" },
        { "the date printed by the headline over a stamp nothing confirms",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<meta name=\"date\" content=\"2020-02-12\"></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><div class=\"news-single-timedata\">05.02.2020 "
          "<span>- Redaktion: Max Muster</span></div>" DE_P DE_P2 "</body></html>",
          "2020-02-05", "text" },
        { "a day and month that read both ways leave the stamp be",
          "<html lang=\"en\"><head><title>Council closes old bridge to cars</title>"
          "<meta property=\"article:published_time\" content=\"2021-11-01T10:00:00+01:00\"></head>"
          "<body><h1>Council closes old bridge to cars</h1><p class=\"date\">11/01/2021</p>" EN_P1 EN_P2
          "</body></html>",
          "2021-11-01", "meta" },
        { "a month-first stamp gives way to the day-first date the page prints",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<meta name=\"date\" content=\"11/01/2023 12:43:42\"></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2 "<p>Erstellt am: 01.11.2023</p></body></html>",
          "2023-11-01", "text" },
        { "the <time> by the headline settles a meta tag it disagrees with",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title>"
          "<meta name=\"date\" content=\"2022-01-26T14:32:06+01:00\"></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1><p class=\"meta\"><time datetime=\"2022-01-21T13:30:00+01:00\">"
          "21.01.2022 - 13:30</time></p>" DE_P DE_P2 "</body></html>",
          "2022-01-21", "time" },
        { "an embedded post's <time> is not the article's",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<div class=\"top\">Dienstag, 29. Januar 2019</div>" NAV10
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P
          "<blockquote class=\"instagram-media\"><p>Ein Beitrag von Max (@max) am "
          "<time datetime=\"2018-03-12T19:30:12+00:00\">Mär 12, 2018</time></p></blockquote>" DE_P2
          "</body></html>",
          "2019-01-29", "text" },
        { "a date alone at the article's foot",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2 "<div class=\"info\">14.01.2022 um 09:25</div>"
          "</body></html>",
          "2022-01-14", "text" },
        { "a Drupal byline (\"Gespeichert von X am\") under the article",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2
          "<p>Gespeichert von rasos am 24. Juli 2017 - 18:55</p></body></html>",
          "2017-07-24", "text" },
        { "a lead that opens with its date under a kicker, a month and a teaser",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P
          "<h2>Entwicklung der Brücken 2022 in der Stadt</h2><h3>Januar 2022</h3>"
          "<h3>Trotz andauernder Bauarbeiten auch am Jahresanfang auf Erholungskurs</h3>"
          "<p>01.02.2022 Der Stadtrat hat am Dienstag beschlossen, die alte Brücke ab dem nächsten Frühjahr "
          "für Autos zu sperren, nachdem Ingenieure Risse in zwei Pfeilern gefunden hatten.</p>" DE_P2
          "</body></html>",
          "2022-02-01", "text" },
        { "\"Veröffentlichung:\" marks the date line",
          "<html lang=\"de\"><head><title>Stadtrat sperrt alte Brücke</title></head><body>"
          "<div class=\"top\">Montag, 7. Dezember 2026</div>"
          "<h1>Stadtrat sperrt alte Brücke</h1>" DE_P DE_P2
          "<p>Veröffentlichung: 04.02.2022</p></body></html>",
          "2022-02-04", "text" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        KH_TEST(cases[i].name);
        kh_doc *d = make_doc(ctx, cases[i].html);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        if (art && cases[i].want) {
            KH_CHECK(art->date != NULL);
            if (art->date) KH_CHECK(!strncmp(art->date, cases[i].want, 10));
            KH_CHECK_STR(art->date_source, cases[i].src);
        } else if (art) {
            KH_CHECK(art->date == NULL);
            KH_CHECK(art->date_source == NULL);
        }
        kh_doc_free(d);
    }
}

/* Titles by agreement among <h1>, og:title and <title>. */
static void test_titles(kh_ctx *ctx, kh_cleaner *cl)
{
    static const struct { const char *name, *html, *want; } cases[] = {
        { "a site name the page confirms is cut from <title>",
          "<html><head><title>Stadtrat sperrt alte Brücke | Neue Zeitung</title>"
          "<meta property=\"og:site_name\" content=\"Neue Zeitung\"></head><body>" DE_P "</body></html>",
          "Stadtrat sperrt alte Brücke" },
        { "an affix nobody confirms stays",
          "<html><head><title>Würde des Lebens – ein Projekt | Große Fragen</title>"
          "<meta property=\"og:title\" content=\"Würde des Lebens – ein Projekt\"></head><body>" DE_P "</body></html>",
          "Würde des Lebens – ein Projekt" },
        { "a site name matching the host is cut",
          "<html><head><title>Stadtrat sperrt alte Brücke - NeueZeitung.de</title>"
          "<link rel=\"canonical\" href=\"https://www.neuezeitung.de/stadt/bruecke\"></head><body>" DE_P "</body></html>",
          "Stadtrat sperrt alte Brücke" },
        { "<h1> with a kicker yields to the og:title it contains",
          "<html><head><title>Stadtrat sperrt alte Brücke | NZ</title>"
          "<meta property=\"og:title\" content=\"Stadtrat sperrt alte Brücke\"></head>"
          "<body><h1>Verkehr Stadtrat sperrt alte Brücke</h1>" DE_P "</body></html>",
          "Stadtrat sperrt alte Brücke" },
        { "<h1> agreeing with a longer og:title wins",
          "<html><head><meta property=\"og:title\" content=\"Verkehr: Stadtrat sperrt alte Brücke\"></head>"
          "<body><h1>Stadtrat sperrt alte Brücke</h1>" DE_P "</body></html>",
          "Stadtrat sperrt alte Brücke" },
        { "an <h1> that is the site's name is no title",
          "<html><head><title>Die alte Brücke und ich — Anna Berger</title></head>"
          "<body><h1>Anna Berger</h1><h1>Archiv</h1>" DE_P "</body></html>",
          "Die alte Brücke und ich" },
        { "a one-word section label is no title",
          "<html><head><title>News - Stadt</title><meta property=\"og:title\" content=\"Stadtrat sperrt alte Brücke\"></head>"
          "<body><h1>News</h1>" DE_P "</body></html>",
          "Stadtrat sperrt alte Brücke" },
        { "an <h1> written with other quotes than og:title is the title as shown",
          "<html><head><title>Un peu de tension, beaucoup d'actions - Bondy Blog</title>"
          "<meta property=\"og:title\" content=\"Un peu de tension, beaucoup d&#039;actions\"></head>"
          "<body><h1>Un peu de tension, beaucoup d&rsquo;actions</h1>" DE_P "</body></html>",
          "Un peu de tension, beaucoup d\xE2\x80\x99" "actions" },
        { "kicker and headline in two spans of the <h1>",
          "<html><head><title>Interne Unterlagen im Netz: Daten von Rheinmetall gehackt | NZ</title>"
          "<meta property=\"og:title\" content=\"Daten von Rheinmetall gehackt - Interne Unterlagen im Netz\"></head>"
          "<body><h1><span class=\"dachzeile\">Interne Unterlagen im Netz</span> "
          "<span class=\"headline\">Daten von Rheinmetall gehackt</span></h1>" DE_P "</body></html>",
          "Daten von Rheinmetall gehackt" },
        { "an <h1> in two parts no title source splits stays whole",
          "<html><head><title>Wie pflege ich meine Zaubernuss im Winter? | Gartenblog</title></head>"
          "<body><h1><span>Wie pflege ich</span> <span>meine Zaubernuss im Winter?</span></h1>" DE_P "</body></html>",
          "Wie pflege ich meine Zaubernuss im Winter?" },
        { "the page's only <h1> over a site-wide <title>",
          "<html><head><title>Anwaltskanzlei Berger</title></head>"
          "<body><h1>Stadtrat sperrt alte Brücke</h1>" DE_P "</body></html>",
          "Stadtrat sperrt alte Brücke" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        KH_TEST(cases[i].name);
        kh_doc *d = make_doc(ctx, cases[i].html);
        const kh_article *art = NULL;
        KH_CHECK_INT(kh_clean_doc(cl, d, &art), KH_OK);
        if (art) KH_CHECK_STR(art->title, cases[i].want);
        kh_doc_free(d);
    }
}

int main(void)
{
    kh_ctx *ctx;
    if (kh_ctx_create(&ctx, NULL) != KH_OK) return 1;
    kh_cleaner *cl;
    if (kh_cleaner_create(ctx, 0, &cl) != KH_OK) return 1;
    test_shapes(ctx, cl);
    test_dates(ctx, cl);
    test_titles(ctx, cl);
    kh_cleaner_free(cl);
    kh_ctx_free(ctx);
    test_alloc_failure();
    return kh_test_report("test_clean_shapes");
}
