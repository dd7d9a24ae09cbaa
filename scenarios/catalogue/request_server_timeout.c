/* request_server_timeout.c -- stress: a goroutine-per-request server whose
 * handler leaks on a timeout. Each request runs its handler in a goroutine
 * that sends the response on an unbuffered channel; the server waits with
 * a timeout, and when the timeout wins nobody will ever receive: the
 * handler blocks for ever, holding its request. One leak per slow request,
 * so the leaked handlers accumulate. Fixed with a buffered channel, which
 * lets a late handler finish its send and exit.
 *
 *  type Request struct {
 *      ID   int
 *      Body [16 << 10]byte
 *  }
 *
 *  var errTimeout = errors.New("timeout")
 *
 *  func handle(req *Request) Response {
 *      time.Sleep(rand duration up to 200ms)   // the work
 *      return Response{ID: req.ID}
 *  }
 *
 *  func serve(req *Request) (Response, error) {
 *      ch := make(chan Response)               // fixed: make(chan Response, 1)
 *      go func() {
 *          ch <- handle(req)                   // blocks for ever after a timeout
 *      }()
 *      select {
 *      case resp := <-ch:
 *          return resp, nil
 *      case <-time.After(100 * time.Millisecond):
 *          return Response{}, errTimeout
 *      }
 *  }
 *
 *  // stress: for id := 0; id < 120; id++ { serve(&Request{ID: id}) }, a
 *  // checkpoint every 6
 *
 * Differences from Go: the handler's func literal is a closure capturing
 * ch and req; the server loop is go_stress's rounds. */
#include <chanfuzz/scenario.h>

enum { REQUEST_BYTES = 16 << 10, ROUNDS = 120, CHECKPOINT_EVERY = 6 };

typedef struct request {
    go_word id;
    char body[REQUEST_BYTES - sizeof(go_word)];
} request;

static go_word next_id;
static size_t response_capacity;

static go_word handle(request *req) {
    go_sleep(go_fz_duration(200 * GO_MS));
    return req->id;
}

/* func() { ch <- handle(req) } */
static void handler(void *env) {
    go_chan *ch = go_env_chan(env, 0);
    request *req = go_env_ptr(env, 1);
    go_send(ch, handle(req));
}

static const go_error timed_out = {"timeout"};

static const go_error *serve(request *req, go_word *resp) {
    go_chan *ch = go_make_chan(response_capacity);
    go_go(handler, go_closure(ch, req));
    switch (go_select(go_case_recv(ch, resp), go_case_recv(go_after(100 * GO_MS), NULL))) {
    case 0: return NULL;
    default: return &timed_out;
    }
}

static void accept_one(void *arg) {
    (void)arg;
    request *req = go_alloc(sizeof(request));
    req->id = next_id++;
    go_word resp;
    (void)serve(req, &resp);
}

static void run(size_t capacity) {
    next_id = 0;
    response_capacity = capacity;
    go_stress(accept_one, NULL, ROUNDS, CHECKPOINT_EVERY);
}

static void request_server_timeout_buggy(void *arg) { (void)arg; run(0); }
static void request_server_timeout_fixed(void *arg) { (void)arg; run(1); }

CHANFUZZ_SCENARIO(request_server_timeout) = {
    .name = "request_server_timeout",
    .description = "per-request handlers send on an unbuffered channel after the server timed out",
    .fix = "make(chan Response, 1): a late handler's send never waits",
    .tags = "channel select timer stress",
    .file = CHANFUZZ_HERE,
    .executions = 20,
    .buggy = {request_server_timeout_buggy,
              .expect = CHANFUZZ_KIND_BIT(CHANFUZZ_GROWTH) |
                        CHANFUZZ_KIND_BIT(CHANFUZZ_PARTIAL_DEADLOCK),
              .allow = CHANFUZZ_KIND_BIT(CHANFUZZ_LEAK)},
    .fixed = {request_server_timeout_fixed},
};
