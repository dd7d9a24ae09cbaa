# leak_demo.sh, sourced: leak_demo WORK PKG writes $WORK/src/PKG/PKG_test.go,
# a test whose worker's send outlives the caller's timeout (line 11: the
# go statement at column 2, the send's arrow at 21), and puts WORK on
# GOPATH. The reproducer and report tests share it.
leak_demo() {
    mkdir -p "$1/src/$2"
    cat > "$1/src/$2/$2_test.go" <<GO
package $2

import (
	"testing"
	"time"
)

//chanfuzz:expect partial_deadlock
func TestLeak_buggy(t *testing.T) {
	result := make(chan int)
	go func() { result <- 42 }()
	select {
	case <-result:
	case <-time.After(time.Millisecond):
	}
}
GO
    export GOPATH="$1:${GOPATH:-}"
}
