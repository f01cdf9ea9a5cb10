/*
 * dom_form.h — one text form for two HTML trees, libxml2's and kh_dom's:
 * elements with their attributes in order, text as it stands, nothing
 * else. Two parsers agree on a page when its two forms are equal. Shared by
 * tests/test_dom.c and fuzz/fuzz_dom.c.
 */
#ifndef KH_DOM_FORM_H
#define KH_DOM_FORM_H

#include "kh_dom.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct out {
    char *s;
    size_t len, cap;
} out;

static void put(out *o, const char *s, size_t len)
{
    if (o->len + len + 1 > o->cap) {
        size_t cap = (o->len + len + 1) * 2;
        char *ns = realloc(o->s, cap);
        if (!ns) abort();
        o->s = ns;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, len);
    o->len += len;
    o->s[o->len] = '\0';
}

static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }

/* libxml2 gives a valueless boolean attribute its name as value: such
 * attributes are left out of the comparison. */
static int boolean_attr(const char *name, size_t len)
{
    static const char *const b[] = { "checked", "compact", "declare", "defer", "disabled",
                                     "ismap", "multiple", "nohref", "noresize", "noshade",
                                     "nowrap", "readonly", "selected", NULL };
    for (size_t i = 0; b[i]; i++)
        if (strlen(b[i]) == len && !strncasecmp(b[i], name, len)) return 1;
    return 0;
}

static void xml_form(out *o, xmlNode *n)
{
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content) puts_(o, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE) {
            puts_(o, "<");
            puts_(o, (const char *)n->name);
            for (xmlAttr *a = n->properties; a; a = a->next) {
                if (boolean_attr((const char *)a->name, strlen((const char *)a->name))) continue;
                xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
                puts_(o, " ");
                puts_(o, (const char *)a->name);
                puts_(o, "=\"");
                if (v) puts_(o, (const char *)v);
                puts_(o, "\"");
                xmlFree(v);
            }
            puts_(o, ">");
            xml_form(o, n->children);
            puts_(o, "</");
            puts_(o, (const char *)n->name);
            puts_(o, ">");
        }
    }
}

static void dom_form(out *o, const khi_dom_node *n)
{
    for (; n; n = n->next) {
        if (n->type == KHI_DOM_TEXT) {
            put(o, n->text, n->len);
            continue;
        }
        if (n->type != KHI_DOM_ELEMENT)
            continue;
        puts_(o, "<");
        puts_(o, n->name);
        for (uint32_t k = 0; k < n->n_attrs; k++) {
            const khi_dom_attr *a = &n->attrs[k];
            int dup = boolean_attr(a->name, a->name_len);
            for (uint32_t j = 0; j < k && !dup; j++)
                dup = n->attrs[j].name_len == a->name_len &&
                      !strncasecmp(n->attrs[j].name, a->name, a->name_len);
            if (dup) continue;
            puts_(o, " ");
            for (uint32_t j = 0; j < a->name_len; j++) {
                char c = a->name[j];
                if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
                put(o, &c, 1);
            }
            puts_(o, "=\"");
            /* a value ends at a NUL, as libxml2's C strings do */
            put(o, a->value, strnlen(a->value, a->value_len));
            puts_(o, "\"");
        }
        puts_(o, ">");
        dom_form(o, n->first);
        puts_(o, "</");
        puts_(o, n->name);
        puts_(o, ">");
    }
}

static char *libxml2_tree(const char *html, size_t len)
{
    htmlDocPtr doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
                                    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                        HTML_PARSE_NONET | HTML_PARSE_NOBLANKS | XML_PARSE_HUGE);
    out o = { 0 };
    puts_(&o, "");
    if (doc) {
        xmlNode *root = xmlDocGetRootElement(doc);
        if (root) {
            xmlNode *next = root->next;
            root->next = NULL;
            xml_form(&o, root);
            root->next = next;
        }
        xmlFreeDoc(doc);
    }
    return o.s;
}

static char *our_tree(kh_ctx *ctx, const char *html, size_t len)
{
    kh_arena *a;
    if (kh_arena_create(ctx, &a) != KH_OK) abort();
    khi_dom_node *root;
    khi_dom_over over;
    khi_dom_limits lim = { SIZE_MAX, SIZE_MAX, SIZE_MAX, 100000 };
    out o = { 0 };
    puts_(&o, "");
    if (khi_dom_parse(ctx, a, html, len, &lim, &root, &over) == KH_OK && root) {
        khi_dom_node *next = root->next;
        root->next = NULL;
        dom_form(&o, root);
        root->next = next;
    }
    kh_arena_free(a);
    return o.s;
}

#endif
