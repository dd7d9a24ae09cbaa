/* exec.c -- running one execution, and what it leaves for inspection. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "resource.h"
#include "sanitizer.h"
#include "scan.h"
#include "sched.h"
#include "timer.h"

void cf_fault_install(void);
void cf_fault_after_overflow(void);
void cf_context_table_free(go_exec *e);

static const char *const end_names[] = {
    [GO_END_RETURNED] = "returned", [GO_END_DEADLOCK] = "deadlock",
    [GO_END_PANIC] = "panic",       [GO_END_FATAL] = "fatal error",
    [GO_END_STEP_BUDGET] = "step budget exhausted",
    [GO_END_STOPPED] = "stopped",
};

const char *go_end_name(go_end end) {
    return (unsigned)end <= GO_END_STOPPED ? end_names[end] : "unknown";
}

static const char *const state_names[] = {
    [GO_STATE_EXITED] = "exited", [GO_STATE_BLOCKED] = "blocked",
    [GO_STATE_RUNNABLE] = "runnable", [GO_STATE_FAILED] = "failed",
    [GO_STATE_NEVER_EXITS] = "never exits",
};

const char *go_end_state_name(go_end_state state) {
    return (unsigned)state <= GO_STATE_NEVER_EXITS ? state_names[state] : "unknown";
}

const char *go_semantics_name(go_semantics semantics) {
    return semantics == GO_SEMANTICS_1_22 ? "1.22" : "1.23";
}

static const char *const reason_names[GO_WAIT_REASON_COUNT] = {
    [GO_WAIT_NONE] = "running",
    [GO_WAIT_CHAN_SEND] = "chan send",
    [GO_WAIT_CHAN_RECV] = "chan receive",
    [GO_WAIT_SELECT] = "select",
    [GO_WAIT_SELECT_NO_CASES] = "select (no cases)",
    [GO_WAIT_CHAN_SEND_NIL] = "chan send (nil chan)",
    [GO_WAIT_CHAN_RECV_NIL] = "chan receive (nil chan)",
    [GO_WAIT_MUTEX_LOCK] = "sync.Mutex.Lock",
    [GO_WAIT_RWMUTEX_RLOCK] = "sync.RWMutex.RLock",
    [GO_WAIT_RWMUTEX_LOCK] = "sync.RWMutex.Lock",
    [GO_WAIT_WAITGROUP_WAIT] = "sync.WaitGroup.Wait",
    [GO_WAIT_COND_WAIT] = "sync.Cond.Wait",
    [GO_WAIT_SLEEP] = "sleep",
};

const char *go_wait_reason_name(go_wait_reason reason) {
    return (unsigned)reason < GO_WAIT_REASON_COUNT ? reason_names[reason] : "unknown";
}

/* ---- running ------------------------------------------------------------ */

/* Records, for each goroutine that did not exit, its one end state. */
static void snapshot(go_exec *e) {
    size_t n = 0;
    for (cf_goroutine *g = e->live_head; g; g = g->live_next)
        if (g->state != CF_G_EXITED) n++;
    e->infos = calloc(n ? n : 1, sizeof *e->infos);
    cf_require(e->infos != NULL, "snapshot allocation");
    for (cf_goroutine *g = e->live_head; g; g = g->live_next) {
        if (g->state == CF_G_EXITED) continue;
        go_goroutine_info *info = &e->infos[e->info_count++];
        info->id = g->id;
        info->entry_name = g->entry_name;
        info->creator_site = g->creator_site;
        info->creator_id = g->creator_id;
        if (g->failed) {
            info->state = GO_STATE_FAILED;
        } else if (e->settle_exhausted && g->timer_woken_in_settle) {
            info->state = GO_STATE_NEVER_EXITS;
        } else if (g->state == CF_G_WAITING) {
            info->state = GO_STATE_BLOCKED;
        } else {
            info->state = GO_STATE_RUNNABLE;
        }
        if (g->state == CF_G_WAITING || g->failed) {
            info->wait_reason = g->failed ? GO_WAIT_NONE : g->wait_reason;
            info->wait_site = g->wait_site;
            info->object_kind = g->wait_object ? g->wait_object->kind : GO_OBJ_NONE;
            info->object_id = g->wait_object ? g->wait_object->id : 0;
            info->blocked_at_step = g->blocked_at_step;
            info->blocked_at_time = g->blocked_at_time;
        }
    }
}

/* The last execution freed, kept for the next: a go_exec is over 1 KiB, a
 * request glibc serves only after consolidating its fast bins, which the
 * model's small objects keep full (malloc_consolidate was 5% of a Go
 * twin's run). Not under ASan, which must see a freed execution used. */
static go_exec *spare_exec;

static go_exec *exec_allocate(void) {
    go_exec *e = spare_exec;
    if (!e) return calloc(1, sizeof *e);
    spare_exec = NULL;
    memset(e, 0, sizeof *e);
    return e;
}

static void exec_release(go_exec *e) {
    if (CF_ASAN || spare_exec) {
        free(e);
        return;
    }
    spare_exec = e;
}

go_exec *go_exec_run(const go_config *config, go_func *main, void *arg) {
    cf_require(cf_exec_running == NULL, "go_exec_run inside an execution");
    cf_require(config->decider.decide != NULL, "go_config without a decider");
    cf_fault_install();
    go_exec *e = exec_allocate();
    cf_require(e != NULL, "execution allocation");
    e->config = *config;
    e->decider = config->decider;
    e->step_budget = config->step_budget ? config->step_budget : GO_DEFAULT_STEP_BUDGET;
    e->emitting = config->event_hook != NULL || config->record_trace;
    e->next_goroutine_id = 1;
    e->native.state = CF_G_RUNNING;
    cf_exec_running = e;

    e->main = cf_spawn(e, NULL, "main", main, arg);
    e->current = e->main;
    e->main->state = CF_G_RUNNING;
    const void *bottom = e->main->stack->lo;
    cf_san_start_switch(&e->native.asan_fake_stack, bottom, e->main->stack->size);
    cf_switch(&e->native.context, &e->main->context);
    cf_san_finish_switch(e->native.asan_fake_stack, NULL, NULL);

    /* Back on the thread's stack: the execution has ended. */
    cf_fault_after_overflow();
#if CF_CHECKS
    cf_check_all(e);
#endif
    /* While every goroutine's stack is as it was when it stopped. */
    cf_graph_collect_final(e);
    snapshot(e);
    cf_timer_snapshot(e);
    cf_goexit_note_end(e);
    e->end_time = e->clock.now;
    cf_sched_teardown(e);
    cf_exec_running = NULL;
    cf_stack_trim_pool();
    return e;
}

void go_exec_stop(const char *message) {
    go_exec *e = cf_exec_running;
    if (!e || e->stop_requested) return;
    e->stop_requested = true;
    snprintf(e->message, sizeof e->message, "%s", message);
}

void go_exec_free(go_exec *e) {
    if (!e) return;
    cf_forget_program_data(e->graph_final);
    cf_object *obj = e->objects;
    while (obj) {
        cf_object *next = obj->next;
        if (obj->ops && obj->ops->release) obj->ops->release(NULL, obj);
        cf_object_free(obj);
        obj = next;
    }
    cf_graph_free(e);
    cf_timer_snapshot_free(e);
    cf_checkpoints_free(e);
    cf_clock_term(&e->clock);
    cf_context_table_free(e);
    cf_resource_table_free(e);
    cf_defer_pool_free(&e->defer_pool);
    free(e->panic_defers);
    free(e->runq.ring);
    cf_decision_log_recycle(e);
    free(e->trace);
    free(e->infos);
    exec_release(e);
}

bool go_exec_running(go_running *out) {
    const go_exec *e = cf_exec_running;
    const cf_goroutine *g = e ? e->current : NULL;
    if (!g || g == &e->native || e->ending) return false;
    *out = (go_running){
        .exec = e,
        .goroutine = g->id,
        .creator_id = g->creator_id,
        .entry_name = g->entry_name,
        .creator_site = g->creator_site,
        .last_site = g->last_site,
        .steps = e->steps,
        .semantics = e->config.semantics,
        .decisions = e->decisions,
        .decision_count = e->decision_count,
    };
    return true;
}

go_end go_exec_end(const go_exec *e) { return e->end; }
const char *go_exec_message(const go_exec *e) { return e->message; }
uint64_t go_exec_steps(const go_exec *e) { return e->steps; }
int64_t go_exec_time(const go_exec *e) { return e->end_time; }
bool go_exec_settle_exhausted(const go_exec *e) { return e->settle_exhausted; }
go_semantics go_exec_semantics(const go_exec *e) { return e->config.semantics; }

const go_decision *go_exec_decisions(const go_exec *e, size_t *count) {
    *count = e->decision_count;
    return e->decisions;
}

size_t go_exec_goroutine_count(const go_exec *e) { return e->info_count; }

const go_goroutine_info *go_exec_goroutine(const go_exec *e, size_t index) {
    return index < e->info_count ? &e->infos[index] : NULL;
}

uint64_t go_exec_goroutines_started(const go_exec *e) { return e->goroutines_started; }

go_end_state go_exec_goroutine_state(const go_exec *e, uint64_t id) {
    for (size_t i = 0; i < e->info_count; i++)
        if (e->infos[i].id == id) return e->infos[i].state;
    return GO_STATE_EXITED;
}
