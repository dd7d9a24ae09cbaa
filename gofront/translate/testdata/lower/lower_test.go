package lower

import "testing"

func TestLower(t *testing.T) {
	if arith(7, 2) != 62 || dynamic(sq{3}) != 9 || rangeMap(map[string]int{"a": 1, "b": 2}) != 3 {
		t.Fatal("lowered code computes what Go does")
	}
}
