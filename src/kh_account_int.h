/*
 * kh_account_int.h — what the account's files (kh_account.c, kh_entity.c,
 * kh_numbers.c) share: words with their punctuation, comparison keys, and
 * the two finders the account calls.
 */
#ifndef KH_ACCOUNT_INT_H
#define KH_ACCOUNT_INT_H

#include "kh_internal.h"

/* Punctuation seen between the previous word and this one. */
#define KHI_BRK_COMMA  0x01u /* , ، */
#define KHI_BRK_HARD   0x02u /* . ! ? ؟ : ; ؛ ( ) [ ] line break, start of text */
#define KHI_BRK_QUOTE  0x04u /* a quote mark « » " “ ” */
#define KHI_BRK_HYPHEN 0x08u /* a hyphen with no space: جان-إيف */
#define KHI_BRK_OTHER  0x10u /* any other symbol (% / & ...) */

/* What the finders learn about a word from its key alone. Both finders ask
 * every word the same questions (a title word? a stopword? a number
 * word?), and the same few thousand keys come back in every paragraph of
 * a story, so each distinct key of an account gets one lexeme, and each
 * answer is worked out the first time it is asked and kept: `known` says
 * which answers are, `yes` holds the yes/no ones. Bits 0-15 are
 * kh_entity.c's, 16-27 kh_numbers.c's, 28-31 kh_quotes.c's; each file
 * defines its own. */
typedef struct khi_lexeme {
    const char *key;        /* folded, NUL-terminated, in the arena */
    size_t key_len;
    uint64_t hash;          /* XXH3 of the key */
    uint32_t known;
    uint32_t yes;
    /* answers with a value, valid once their bit is known */
    size_t match_first[2];  /* kh_entity.c: the first name pattern of each
                               key it is matched on (see count_text) */
    int num_plain;          /* kh_numbers.c: number word of the key, -1 none */
    int num_word;           /* ... of the key or after one particle, -1 none */
    int num_particle;
    double digits;          /* the value written in digits */
    uint64_t ctx_key[2];    /* kh_numbers.c: the context-word keys */
    unsigned ctx_cls;
} khi_lexeme;

/* One word of written text: a run of letters, marks and digits (digits may
 * hold , . ٫ ٬ between them). key is the folded form (khi_fold). */
typedef struct khi_word {
    size_t start, end;      /* bytes in the text */
    unsigned brk;           /* KHI_BRK_* before the word */
    unsigned brk_after;     /* KHI_BRK_* after the word (before the next) */
    const char *key;        /* folded, NUL-terminated, in the arena */
    size_t key_len;
    int arabic;             /* the word has Arabic letters */
    int upper;              /* the word starts with an upper-case letter */
    khi_lexeme *lex;        /* its key's lexeme (khi_lexicon_add); NULL before */
} khi_word;

/* Splits text into words, keys in arena. *out is NULL when there are none. */
kh_status khi_words(kh_arena *arena, const char *text, size_t text_len,
                    khi_word **out, size_t *n_out);

/* The name finder's word lists (kh_entity.c) in one hash table: a key's
 * lists are one probe away instead of a binary search of each list.
 * Built for each account (a few hundred words, microseconds), as nothing
 * outlives a call. Open addressing over XXH3, linear probing, at most
 * half full; a slot is empty when word is NULL. */
typedef struct khi_listword {
    const char *word;       /* a static list word */
    uint32_t len;
    uint32_t lists;         /* which lists hold it: kh_entity.c's bits, KHI_LIST_PARTICLE */
    int num;                /* its index among the number words + 1; 0: none */
} khi_listword;

#define KHI_LIST_PARTICLE ((uint32_t)1 << 31) /* kh_numbers.c's particles */

typedef struct khi_wordlists {
    khi_listword *slots;
    size_t cap;             /* power of two */
} khi_wordlists;

/* Fills the table, slots in arena. */
kh_status khi_wordlists_init(khi_wordlists *wl, kh_arena *arena);

/* khi_stopword() by the table. */
int khi_wordlists_stopword(const khi_wordlists *wl, const char *bare, size_t bare_len);

/* The table's entry for w[0..w_len) (h: its XXH3), NULL when no list holds it. */
const khi_listword *khi_wordlists_get(const khi_wordlists *wl, const char *w, size_t w_len,
                                      uint64_t h);

/* The number finder's words for the table (kh_numbers.c): the i-th number
 * word, the i-th particle its context skips; NULL past the last. */
const char *khi_number_word(size_t i);
const char *khi_number_particle(size_t i);

/* Answers the number finder's questions of a new lexeme from the table:
 * key is the table's entry for its key, after_particle for its key
 * without a first letter و ف ب ل ك (looked up when it has one and more
 * than two letters; NULL otherwise or when absent). */
void khi_lexeme_numbers(khi_lexeme *x, const khi_listword *key,
                        const khi_listword *after_particle);

/* The lexemes of an account: open addressing over the keys' hashes,
 * linear probing, at most half full (sized for every word it may get). */
typedef struct khi_lexicon {
    const khi_wordlists *lists; /* answers the list questions of a new key */
    kh_arena *arena;        /* the lexemes live here */
    khi_lexeme **slots;
    size_t cap;             /* power of two */
    size_t n;
} khi_lexicon;

/* Makes room for up to max_words words' keys; slots in arena. */
kh_status khi_lexicon_init(khi_lexicon *lx, const khi_wordlists *lists, kh_arena *arena,
                           size_t max_words);

/* Points each word's lex at its key's lexeme, adding the keys not seen yet. */
kh_status khi_lexicon_add(khi_lexicon *lx, khi_word *words, size_t n_words);

/* One text of an article and its words. The name finder and the number
 * finder both read every text word by word: the account splits each once
 * and hands both the same words. */
typedef struct khi_text {
    const char *text;      /* NULL: the article has no such text */
    size_t text_len;
    khi_word *words;
    size_t n_words;
} khi_text;

/* The texts of one article: [0] its title, [1 + p] its body paragraph p. */
typedef struct khi_article_texts {
    khi_text *texts;
    size_t n_texts;        /* 1 + n_body */
} khi_article_texts;

/* Appends the comparing key of text: Latin lower case; Arabic alef forms ->
 * ا, ى ئ -> ي, ة -> ه, ؤ -> و; marks, tatweel, format characters dropped;
 * Arabic-Indic digits -> ASCII. */
kh_status khi_fold(kh_buf *out, const char *text, size_t text_len);

/* The key without the definite article and the particles attached before
 * it (و ف ب ك ل + ال, لل): "بالرقة" -> "رقه". Returns a pointer into key. */
const char *khi_bare(const char *key, size_t key_len, size_t *bare_len);

/* Writes the consonant skeleton of a folded key into out (room for out_cap
 * code points; a longer key is cut): hamza dropped, ا و ي dropped where
 * internal. Returns its length in code points. */
size_t khi_skeleton(const char *key, size_t key_len, uint32_t *out, size_t out_cap);

/* Writes the consonant classes of one folded, bare word (Arabic or Latin
 * letters) as the cross-script name rule compares them (kh_entity.c):
 * مرسى and Marsa both give M R S. "al"/"el" alone give none. Returns their
 * number (at most out_cap). */
size_t khi_name_sound(const char *key, size_t key_len, uint32_t *out, size_t out_cap);

/* Levenshtein distance between two code point strings, capped at cap+1. */
size_t khi_edit_distance(const uint32_t *a, size_t a_len, const uint32_t *b, size_t b_len,
                         size_t cap);

/* Non-zero when the name finder's word lists are in byte order (tests). */
int khi_word_lists_sorted(void);

/* Non-zero when the number words are in byte order (tests). */
int khi_number_words_sorted(void);

/* Non-zero when the word is a stopword as the name finder reads it (bare,
 * or a particle and a stopword: ولن), asked of its lexeme once when it has
 * one (kh_entity.c). */
int khi_word_is_stop(const khi_word *w);

/* Non-zero when the bare folded word is a common word no name is made of. */
int khi_stopword(const char *bare, size_t bare_len);

/* Finds the names two or more articles share (kh_entity.c). order is the
 * story order (indexes into arts); texts[k] are the texts of arts[order[k]].
 * Results live in dst. */
kh_status khi_entities(kh_arena *dst, kh_arena *tmp, const kh_account_article *arts,
                       size_t n_arts, const size_t *order, const khi_article_texts *texts,
                       size_t min_articles, kh_account_entity **out, size_t *n_out);

/* One name found in a text by khi_name_spans(): whole words. */
typedef struct khi_name_hit {
    size_t article;         /* texts[article] */
    size_t text;            /* texts[article].texts[text] */
    size_t start, end;      /* bytes in that text */
    size_t group;           /* the same number for every form of one name */
    kh_entity_kind kind;
} khi_name_hit;

/* Names known beforehand, for khi_name_spans(). */
typedef struct khi_gazetteer {
    const char *const *names;   /* as written */
    const kh_entity_kind *kinds;
    const uint64_t *first;      /* khi_name_word_hash() of each one's first word */
    const uint64_t *pairs;      /* KHI_NAME_PAIRS each: khi_name_pair_hashes() */
    const unsigned char *strict; /* 1: held to the texts' evidence as a cue's word is */
    size_t n;
} khi_gazetteer;

/* The hash the finder looks a name's first word up by (folded, without
 * ال); 0 when the name is none the finder can read. */
uint64_t khi_name_word_hash(const char *name, size_t len);

/* The hashes of a name's words two by two as a text writes them (its
 * folded keys, ال kept), up to KHI_NAME_PAIRS, 0 after the last: the
 * finder proposes a known name only where the texts write each pair. */
#define KHI_NAME_PAIRS 5
kh_status khi_name_pair_hashes(kh_arena *arena, const char *name, size_t len,
                               uint64_t out[KHI_NAME_PAIRS]);

/* Every mention of a name in the texts, in text order: names proposed by
 * the cues anywhere in the texts (as khi_entities() proposes them) and the
 * gazetteer's (NULL: none) that the texts write, their forms grouped, each
 * form then found wherever it is written. Results live in dst; none when
 * nothing was proposed. */
kh_status khi_name_spans(kh_arena *dst, kh_arena *tmp, const khi_article_texts *texts,
                         size_t n_arts, const khi_gazetteer *gaz, khi_name_hit **out,
                         size_t *n_out);

/* Parses a number at words[i]: digits in either digit set, or Arabic or
 * English number words. Returns the words consumed (0: none), value in *value. */
size_t khi_number_at(const khi_word *words, size_t n_words, size_t i, double *value);

/* Finds the quantities the articles give different values for in their
 * bodies (kh_numbers.c); order and texts as for khi_entities. */
kh_status khi_disagreements(kh_arena *dst, kh_arena *tmp, const kh_account_article *arts,
                            size_t n_arts, const size_t *order, const khi_article_texts *texts,
                            kh_account_disagreement **out, size_t *n_out);

/* Where the sentence around text[at] starts and ends (kh_quotes.c): . ! ?
 * ؟ and line breaks end sentences; the colon and the comma of a quote's
 * frame do not. White space is trimmed. */
void khi_sentence_at(const char *text, size_t len, size_t at, size_t *start, size_t *end);

/* Finds who said what in the articles' bodies (kh_quotes.c): quotations
 * and reported speech with their speakers, resolved to the entities found
 * where possible; order and texts as for khi_entities(). Results in dst. */
kh_status khi_quotes(kh_arena *dst, kh_arena *tmp, size_t n_arts, const size_t *order,
                     const khi_article_texts *texts, const kh_account_entity *ent, size_t n_ent,
                     kh_account_quote **out, size_t *n_out);

#endif /* KH_ACCOUNT_INT_H */
