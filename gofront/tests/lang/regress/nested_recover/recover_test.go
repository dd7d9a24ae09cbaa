// Package nested_recover: recover() stops a panic only when called
// directly by a deferred function; called from a function the deferred
// one calls, it returns nil and the panic goes on. The model recovers.
package nested_recover

import "testing"

func helper() interface{} { return recover() }

func TestRecoverInNestedCall(t *testing.T) {
	var got interface{}
	func() {
		defer func() { got = recover() }()
		func() {
			defer func() {
				if v := helper(); v != nil {
					t.Errorf("helper recovered %v", v)
				}
			}()
			panic("outer")
		}()
	}()
	if got != "outer" {
		t.Fatalf("outer recover got %v", got)
	}
}
