/* mutex_not_unlocked -- Withdraw returns early on insufficient funds while
 * still holding the account's Mutex; the next request for that account
 * blocks in Lock forever. The handler gave up on a timeout, so nothing
 * crashes: the blocked requests simply leak.
 *
 * The Go code it models (catalogue pattern 12):
 *
 *  type Account struct {
 *      mu      sync.Mutex
 *      balance int
 *  }
 *
 *  func (a *Account) Withdraw(amount int) error {
 *      a.mu.Lock()
 *      if amount > a.balance {
 *          return errInsufficientFunds     // BUG: returns holding a.mu
 *      }
 *      a.balance -= amount
 *      a.mu.Unlock()
 *      return nil
 *  }
 *
 *  func handle(a *Account, amounts []int, timeout time.Duration) {
 *      done := make(chan error, len(amounts))
 *      for _, amount := range amounts {
 *          go func(amount int) { done <- a.Withdraw(amount) }(amount)
 *      }
 *      for range amounts {
 *          select {
 *          case <-done:
 *          case <-time.After(timeout):
 *              return                      // requests stuck in Lock stay stuck
 *          }
 *      }
 *  }
 *
 *  handle(&Account{balance: 100}, []int{x, y, z}, time.Second)  // amounts from input
 *
 * Fixed: `defer a.mu.Unlock()` right after Lock.
 *
 * Why this shape: the catalogue wants the leak a leak detector is for.
 * When the caller waits without a timeout (wg.Wait, or reading every
 * result), Go itself reports "all goroutines are asleep - deadlock!" as
 * soon as the rest is idle; a server never is, so in production the
 * blocked requests pile up silently. Here the handler gives up and
 * returns, and each blocked request is left in sync.Mutex.Lock on a
 * Mutex that only blocked requests can reach: a partial deadlock.
 *
 * The Account is a model heap object (new(Account)) holding the Mutex, and
 * reaches the goroutines through their closures, as in Go. */
#include <chanfuzz/scenario.h>

#define REQUESTS 3
#define OPENING_BALANCE 100
#define TIMEOUT GO_S

typedef struct account {
    go_mutex *mu;
    go_word balance;
} account;

static go_error err_insufficient_funds = {"insufficient funds"};

static void unlock(void *mu) { go_mutex_unlock((go_mutex *)mu); }

/* func (a *Account) Withdraw(amount int) error -- the buggy one */
static const go_error *withdraw_leaving_locked(account *a, go_word amount) {
    go_mutex_lock(a->mu);
    if (amount > a->balance) {
        return &err_insufficient_funds; /* BUG: a.mu stays locked */
    }
    a->balance -= amount;
    go_mutex_unlock(a->mu);
    return NULL;
}

/* The fixed Withdraw, with `defer a.mu.Unlock()`. A Go function call of its
 * own (go_call), so the deferred Unlock runs when Withdraw returns, not
 * when the request goroutine ends. */
typedef struct withdrawal {
    account *a;
    go_word amount;
    const go_error *err;
} withdrawal;

static void withdraw_deferring_unlock(void *arg) {
    withdrawal *w = arg;
    go_mutex_lock(w->a->mu);
    go_defer(unlock, w->a->mu);
    if (w->amount > w->a->balance) {
        w->err = &err_insufficient_funds;
        return;
    }
    w->a->balance -= w->amount;
}

/* go func(amount int) { done <- a.Withdraw(amount) }(amount) */
static void request_buggy(void *env) {
    account *a = go_env_ptr(env, 0);
    go_chan *done = go_env_chan(env, 1);
    go_word amount = go_env_word(env, 2);
    go_send(done, withdraw_leaving_locked(a, amount));
}

static void request_fixed(void *env) {
    withdrawal w = {go_env_ptr(env, 0), go_env_word(env, 2), NULL};
    go_chan *done = go_env_chan(env, 1);
    go_call(withdraw_deferring_unlock, &w);
    go_send(done, w.err);
}

static void handle(go_func *request) {
    account *a = go_alloc(sizeof *a);
    a->mu = go_mutex_new();
    a->balance = OPENING_BALANCE;
    go_chan *done = go_make_chan(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
        go_word amount = 50 * go_fz_intn(4); /* 0, 50, 100 or 150 */
        go_go(request, go_closure(a, done, amount));
    }
    for (int i = 0; i < REQUESTS; i++) {
        int chosen = go_select(go_case_recv(done, NULL), go_case_recv(go_after(TIMEOUT), NULL));
        if (chosen == 1) return; /* gave up */
    }
}

static void mutex_not_unlocked_buggy(void *arg) { handle(request_buggy); }
static void mutex_not_unlocked_fixed(void *arg) { handle(request_fixed); }

CHANFUZZ_SCENARIO(mutex_not_unlocked) = {
    .name = "mutex_not_unlocked",
    .description = "an early return keeps the Mutex locked: later requests block in Lock forever",
    .fix = "defer a.mu.Unlock() right after a.mu.Lock()",
    .tags = "pattern mutex channel select timer",
    .file = CHANFUZZ_HERE,
    .buggy = {mutex_not_unlocked_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK)},
    .fixed = {mutex_not_unlocked_fixed},
};
