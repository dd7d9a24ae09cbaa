package reflect_typeof

import (
	"reflect"
	"testing"
)

func TestTypeOf(t *testing.T) {
	if reflect.TypeOf(1).Kind() != reflect.Int {
		t.Fatal("kind")
	}
}
