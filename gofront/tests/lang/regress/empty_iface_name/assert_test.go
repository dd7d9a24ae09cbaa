// Package empty_iface_name: a failed assertion from interface{} names the
// static type "interface{}" (types.TypeString) where Go's runtime says
// "interface {}".
package empty_iface_name

import "testing"

func TestAssertionMessage(t *testing.T) {
	var e interface{} = "str"
	defer func() {
		err, _ := recover().(error)
		want := "interface conversion: interface {} is string, not int"
		if err == nil || err.Error() != want {
			t.Fatalf("got %v, want %q", err, want)
		}
	}()
	_ = e.(int)
}
