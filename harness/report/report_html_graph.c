/* report_html_graph.c -- a finding's witness as an SVG graph: the
 * goroutines involved, the objects they wait on, and the chain the
 * detector followed (harness/report/README.md, the witness kinds):
 *
 *   holder_chain   root -> via ... -> held: who keeps the object alive
 *                  (for a partial deadlock, a leaked goroutine holding
 *                  the very channel it waits on); "retained" objects
 *                  hang off the held one
 *   cycle,         goroutine A waits on an object goroutine B reaches, ...
 *   wait_chain     (the goroutines are named in the summary only, in the
 *                  words the detector wrote: "goroutine A waits on
 *                  chan#1, reachable from goroutine B")
 *   others         each link after the previous one, labelled by its role
 *
 * Layout: layered, deterministic -- a node's column is its longest path
 * from a node nothing points to, rows in the order nodes were met. */
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

enum { MAX_NODES = 64, MAX_EDGES = 128, NODE_HEIGHT = 42, ROW_GAP = 26, COLUMN_GAP = 70 };

typedef struct node {
    char key[64];             /* "g2", "chan#1", "root3" */
    char label[160];
    char detail[400];         /* the site, or the state in words */
    const char *kind;         /* "goroutine", an object kind, "root" */
    int layer, row;
    double x, y, width;
} node;

typedef struct edge {
    int from, to;
    const char *label;
} edge;

typedef struct graph {
    node nodes[MAX_NODES];
    int node_count;
    edge edges[MAX_EDGES];
    int edge_count;
} graph;

static int find(const graph *g, const char *key) {
    for (int i = 0; i < g->node_count; i++)
        if (!strcmp(g->nodes[i].key, key)) return i;
    return -1;
}

/* The node `key`, made with label and kind if new; -1 when full. */
static int add_node(graph *g, const char *key, const char *label, const char *kind) {
    int at = find(g, key);
    if (at >= 0 || g->node_count == MAX_NODES) return at;
    node *n = &g->nodes[g->node_count];
    memset(n, 0, sizeof *n);
    snprintf(n->key, sizeof n->key, "%s", key);
    snprintf(n->label, sizeof n->label, "%s", label);
    n->kind = kind;
    return g->node_count++;
}

static void set_detail(graph *g, int at, const char *detail) {
    if (at >= 0 && detail && detail[0] && !g->nodes[at].detail[0])
        snprintf(g->nodes[at].detail, sizeof g->nodes[at].detail, "%s", detail);
}

static void add_edge(graph *g, int from, int to, const char *label) {
    if (from < 0 || to < 0 || from == to || g->edge_count == MAX_EDGES) return;
    for (int i = 0; i < g->edge_count; i++)
        if (g->edges[i].from == from && g->edges[i].to == to &&
            !strcmp(g->edges[i].label, label))
            return;
    g->edges[g->edge_count++] = (edge){from, to, label};
}

static int goroutine_node(graph *g, double id) {
    char key[32], label[48];
    snprintf(key, sizeof key, "g%.0f", id);
    snprintf(label, sizeof label, "goroutine %.0f", id);
    return add_node(g, key, label, "goroutine");
}

static int object_node(graph *g, const char *kind, double id) {
    char key[64];
    snprintf(key, sizeof key, "%s#%.0f", kind, id);
    return add_node(g, key, key, kind);
}

/* Objects no link located: their state in words, as the goroutine that
 * waits on them saw it at the end. */
static void add_object_states(graph *g, const cJSON *finding) {
    const cJSON *goroutine;
    cJSON_ArrayForEach(goroutine, cJSON_GetObjectItemCaseSensitive(finding, "goroutines")) {
        const cJSON *object = cJSON_GetObjectItemCaseSensitive(goroutine, "object");
        char key[64];
        snprintf(key, sizeof key, "%s#%.0f", cf_html_string(object, "kind", "?"),
                 cf_html_number(object, "id", 0));
        if (cJSON_IsObject(object)) set_detail(g, find(g, key), cf_html_string(object, "state", ""));
    }
}

static void add_goroutines(graph *g, const cJSON *finding) {
    const cJSON *goroutine;
    cJSON_ArrayForEach(goroutine, cJSON_GetObjectItemCaseSensitive(finding, "goroutines")) {
        int at = goroutine_node(g, cf_html_number(goroutine, "id", 0));
        if (at < 0) return;
        const char *reason = cf_html_string(goroutine, "wait_reason", NULL);
        if (reason)
            snprintf(g->nodes[at].label, sizeof g->nodes[at].label, "goroutine %.0f [%s]",
                     cf_html_number(goroutine, "id", 0), reason);
        char site[400];
        cf_html_site(site, sizeof site, cJSON_GetObjectItemCaseSensitive(goroutine, "wait_site"));
        set_detail(g, at, site);
        const cJSON *object = cJSON_GetObjectItemCaseSensitive(goroutine, "object");
        if (!cJSON_IsObject(object)) continue;
        int waited = object_node(g, cf_html_string(object, "kind", "?"),
                                 cf_html_number(object, "id", 0));
        add_edge(g, at, waited, "waits on");
    }
}

/* A link's node: an object, a goroutine named in a chain ("leaked
 * goroutine 2"), or a root in words ('global "registry"'). */
static int link_node(graph *g, const cJSON *link, int position) {
    const char *kind = cf_html_string(link, "kind", "none");
    const char *state = cf_html_string(link, "state", "");
    double id = cf_html_number(link, "id", 0);
    int at;
    if (strcmp(kind, "none")) {
        at = object_node(g, kind, id);
        char site[380], detail[400];
        cf_html_site(site, sizeof site, cJSON_GetObjectItemCaseSensitive(link, "site"));
        if (site[0]) snprintf(detail, sizeof detail, "made at %s", site);
        else snprintf(detail, sizeof detail, "%s", state);
        set_detail(g, at, detail);
        return at;
    }
    if (id > 0 && strstr(state, "goroutine")) {
        at = goroutine_node(g, id);
        set_detail(g, at, state);
        if (at >= 0 && !strncmp(state, "leaked", 6) && !strstr(g->nodes[at].label, "leaked")) {
            size_t used = strlen(g->nodes[at].label);
            snprintf(g->nodes[at].label + used, sizeof g->nodes[at].label - used, ", leaked");
        }
        return at;
    }
    char key[32];
    snprintf(key, sizeof key, "root%d", position);
    return add_node(g, key, state, "root");
}

/* "goroutine 3 waits on chan#1, reachable from goroutine 2; goroutine 2
 * ..." (detect_partial.c writes it) */
static void add_wait_segments(graph *g, const char *summary) {
    const char *at = strchr(summary, ':');
    at = at ? at + 1 : summary;
    while (at && *at) {
        double waiter, holder, id;
        char kind[32];
        int used = 0;
        if (sscanf(at, " goroutine %lf waits on %31[a-z_]#%lf, reachable from %n", &waiter, kind, &id,
                   &used) == 3 && used) {
            int w = goroutine_node(g, waiter), object = object_node(g, kind, id);
            add_edge(g, w, object, "waits on");
            if (sscanf(at + used, "goroutine %lf", &holder) == 1)
                add_edge(g, goroutine_node(g, holder), object, "reaches");
        }
        at = strchr(at, ';');
        if (at) at++;
    }
}

static void add_witness(graph *g, const cJSON *finding) {
    const cJSON *witness = cJSON_GetObjectItemCaseSensitive(finding, "witness");
    const char *kind = cf_html_string(witness, "kind", "none");
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(witness, "links");
    if (!strcmp(kind, "growth")) {
        int position = 0;
        const cJSON *link;
        cJSON_ArrayForEach(link, links) {
            char key[32], label[400];
            cf_html_site(label, sizeof label, cJSON_GetObjectItemCaseSensitive(link, "site"));
            snprintf(key, sizeof key, "site%d", position++);
            int at = add_node(g, key, label, cf_html_string(link, "kind", "?"));
            set_detail(g, at, cf_html_string(link, "state", ""));
        }
        return;
    }
    int previous = -1, held = -1, position = 0;
    const cJSON *link;
    cJSON_ArrayForEach(link, links) {
        const char *role = cf_html_string(link, "role", "");
        int at = link_node(g, link, position++);
        if (!strcmp(role, "root")) {
            previous = at;
        } else if (!strcmp(role, "via") || !strcmp(role, "held")) {
            add_edge(g, previous, at, "holds");
            previous = at;
            if (!strcmp(role, "held")) held = at;
        } else if (!strcmp(role, "retained")) {
            add_edge(g, held >= 0 ? held : g->node_count ? 0 : -1, at, "retains");
        } else if (!strcmp(role, "waited on")) {
            /* The goroutines' own wait edges drew these, or the summary
             * names who waits and who holds. */
        } else {
            add_edge(g, previous, at, role);
            previous = at;
        }
    }
    if (!strcmp(kind, "cycle") || !strcmp(kind, "wait_chain"))
        add_wait_segments(g, cf_html_string(witness, "summary", ""));
}

/* Longest path from a source, bounded so a cycle cannot loop. */
static void lay_out(graph *g) {
    for (int round = 0; round < g->node_count; round++) {
        bool changed = false;
        for (int i = 0; i < g->edge_count; i++) {
            node *from = &g->nodes[g->edges[i].from], *to = &g->nodes[g->edges[i].to];
            if (to->layer < from->layer + 1 && from->layer + 1 < g->node_count) {
                to->layer = from->layer + 1;
                changed = true;
            }
        }
        if (!changed) break;
    }
    double column_x = 16;
    for (int layer = 0; layer < g->node_count; layer++) {
        double widest = 0;
        int row = 0;
        for (int i = 0; i < g->node_count; i++) {
            node *n = &g->nodes[i];
            if (n->layer != layer) continue;
            size_t chars = strlen(n->label) > strlen(n->detail) ? strlen(n->label)
                                                                 : strlen(n->detail);
            n->width = (double)chars * 6.3 + 16;
            if (n->width > 460) n->width = 460;
            if (n->width < 90) n->width = 90;
            if (n->width > widest) widest = n->width;
            n->row = row++;
            n->x = column_x;
            n->y = 14 + n->row * (NODE_HEIGHT + ROW_GAP);
        }
        if (row) column_x += widest + COLUMN_GAP;
    }
}

static void write_node(FILE *out, const node *n) {
    bool goroutine = !strcmp(n->kind, "goroutine"), root = !strcmp(n->kind, "root");
    fprintf(out, "<g class=\"node %s\" data-node=\"", goroutine ? "node-goroutine"
                                                       : root    ? "node-root"
                                                                 : "node-object");
    cf_html_text(out, n->key);
    fputs("\" data-kind=\"", out);
    cf_html_text(out, n->kind);
    fputs("\"><title>", out);
    cf_html_text(out, n->label);
    if (n->detail[0]) fputc('\n', out);
    cf_html_text(out, n->detail);
    fprintf(out, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"6\"/>",
            n->x, n->y, n->width, NODE_HEIGHT);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">", n->x + 8, n->y + 16);
    cf_html_text(out, n->label);
    fprintf(out, "</text><text class=\"site\" x=\"%.1f\" y=\"%.1f\">", n->x + 8, n->y + 32);
    char shown[80];
    size_t fits = (size_t)((n->width - 16) / 6.3);
    if (fits >= sizeof shown) fits = sizeof shown - 1;
    size_t length = strlen(n->detail);
    if (length > fits) length = fits;
    memcpy(shown, n->detail, length);
    shown[length] = '\0';
    if (strlen(n->detail) > fits && fits > 3) memcpy(shown + fits - 3, "...", 4);
    cf_html_text(out, shown);
    fputs("</text></g>\n", out);
}

/* Edges between the same two nodes before this one: a second edge (a
 * goroutine that waits on what it holds) bends the other way. */
static int parallel_before(const graph *g, const edge *e) {
    int count = 0;
    for (const edge *other = g->edges; other < e; other++)
        count += (other->from == e->from && other->to == e->to) ||
                 (other->from == e->to && other->to == e->from);
    return count;
}

static void write_edge(FILE *out, const graph *g, const edge *e, int index) {
    const node *from = &g->nodes[e->from], *to = &g->nodes[e->to];
    double x1, y1, x2, y2, bend = parallel_before(g, e) % 2 ? 12 : 0;
    char path[200];
    if (to->layer > from->layer) {
        x1 = from->x + from->width, y1 = from->y + NODE_HEIGHT / 2.0 + bend;
        x2 = to->x, y2 = to->y + NODE_HEIGHT / 2.0 + bend;
        double mid = (x1 + x2) / 2;
        snprintf(path, sizeof path, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, mid,
                 y1 + bend, mid, y2 + bend, x2, y2);
    } else {
        /* Same column or back: an arc below, bottom to bottom. */
        x1 = from->x + from->width / 2, y1 = from->y + NODE_HEIGHT;
        x2 = to->x + to->width / 2, y2 = to->y + NODE_HEIGHT;
        double low = (y1 > y2 ? y1 : y2) + 30 + 2 * bend;
        snprintf(path, sizeof path, "M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f", x1, y1, x1, low,
                 x2, low, x2, y2);
    }
    fprintf(out, "<g class=\"edge%s\" data-from=\"", !strcmp(e->label, "waits on") ? " edge-waits"
                                                                                    : "");
    cf_html_text(out, from->key);
    fputs("\" data-to=\"", out);
    cf_html_text(out, to->key);
    fputs("\" data-label=\"", out);
    cf_html_text(out, e->label);
    fprintf(out, "\"><path d=\"%s\" marker-end=\"url(#arrow-%d)\"/>", path, index);
    double lx = (x1 + x2) / 2, ly = (y1 + y2) / 2 + (bend ? bend + 12 : -6);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", lx, ly);
    cf_html_text(out, e->label);
    fputs("</text></g>\n", out);
}

void cf_html_graph(FILE *out, const cJSON *finding, int index) {
    graph *g = calloc(1, sizeof *g);
    if (!g) abort();
    add_goroutines(g, finding);
    add_witness(g, finding);
    add_object_states(g, finding);
    if (!g->node_count) {
        fputs("<p class=\"note\">The witness names no goroutine or object.</p>\n", out);
        free(g);
        return;
    }
    lay_out(g);
    double width = 0, height = 0;
    for (int i = 0; i < g->node_count; i++) {
        const node *n = &g->nodes[i];
        if (n->x + n->width > width) width = n->x + n->width;
        if (n->y + NODE_HEIGHT > height) height = n->y + NODE_HEIGHT;
    }
    width += 20, height += 50;
    fprintf(out, "<div class=\"scroll\"><svg class=\"witness-graph\" id=\"graph-%d\" "
                 "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                 "aria-label=\"witness graph\">\n<defs><marker id=\"arrow-%d\" viewBox=\"0 0 10 10\" "
                 "refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                 "<path d=\"M0 0L10 5L0 10Z\" fill=\"#555\"/></marker></defs>\n",
            index, width, height, width, height, index);
    for (int i = 0; i < g->edge_count; i++) write_edge(out, g, &g->edges[i], index);
    for (int i = 0; i < g->node_count; i++) write_node(out, &g->nodes[i]);
    fputs("</svg></div>\n", out);
    free(g);
}
