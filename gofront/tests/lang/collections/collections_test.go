// Package collections: slices, arrays, maps, strings and runes, append,
// copy and delete, as Go computes them.
package collections

import (
	"fmt"
	"sort"
	"testing"
)

func TestSlices(t *testing.T) {
	s := make([]int, 2, 5)
	if len(s) != 2 || cap(s) != 5 || s[0] != 0 {
		t.Fatal("make")
	}
	s = append(s, 1, 2, 3)
	if len(s) != 5 || cap(s) != 5 {
		t.Fatal("append within capacity")
	}
	alias := s[1:3]
	alias[0] = 42
	if s[1] != 42 {
		t.Fatal("subslices share the array")
	}
	if len(alias) != 2 || cap(alias) != 4 {
		t.Fatalf("subslice len %d cap %d", len(alias), cap(alias))
	}
	full := s[1:2:3]
	if cap(full) != 2 {
		t.Fatal("three-index slice")
	}
	full = append(full, 7) // fits: overwrites s[2]
	if s[2] != 7 {
		t.Fatal("append into shared capacity")
	}
	full = append(full, 8) // grows: a new array
	full[0] = -1
	if s[1] != 42 {
		t.Fatal("append beyond capacity copies")
	}
	var nilS []int
	if nilS != nil || len(nilS) != 0 {
		t.Fatal("nil slice")
	}
	nilS = append(nilS, 1)
	if len(nilS) != 1 {
		t.Fatal("append to nil")
	}
	dst := make([]int, 2)
	if n := copy(dst, []int{9, 8, 7}); n != 2 || dst[1] != 8 {
		t.Fatal("copy truncates")
	}
	over := []int{1, 2, 3, 4, 5}
	copy(over[1:], over) // overlapping copy
	if fmt.Sprint(over) != "[1 1 2 3 4]" {
		t.Fatalf("overlapping copy: %v", over)
	}
	bs := make([]byte, 3)
	if n := copy(bs, "hey!"); n != 3 || string(bs) != "hey" {
		t.Fatal("copy from string")
	}
	joined := append([]byte("ab"), "cd"...)
	if string(joined) != "abcd" {
		t.Fatal("append string to bytes")
	}
	// remove an element
	xs := []string{"a", "b", "c", "d"}
	xs = append(xs[:1], xs[2:]...)
	if fmt.Sprint(xs) != "[a c d]" {
		t.Fatalf("remove: %v", xs)
	}
	// 2D
	grid := make([][]int, 3)
	for i := range grid {
		grid[i] = make([]int, 3)
		for j := range grid[i] {
			grid[i][j] = i * j
		}
	}
	if grid[2][2] != 4 {
		t.Fatal("2D")
	}
	structs := []struct{ a, b int }{{1, 2}, {3, 4}}
	for i := range structs {
		structs[i].a *= 10
	}
	for _, st := range structs {
		st.b = 0 // a copy
	}
	if structs[1].a != 30 || structs[1].b != 4 {
		t.Fatal("range copies elements")
	}
}

func TestArrays(t *testing.T) {
	a := [...]int{5, 6, 7}
	if len(a) != 3 {
		t.Fatal("[...] length")
	}
	b := a
	b[0] = 0
	if a[0] != 5 {
		t.Fatal("arrays are values")
	}
	if a != [3]int{5, 6, 7} || a == b {
		t.Fatal("array comparison")
	}
	modify := func(x [3]int) { x[1] = 0 }
	modify(a)
	if a[1] != 6 {
		t.Fatal("passed by value")
	}
	p := &a
	p[2] = 70
	if a[2] != 70 || len(p) != 3 {
		t.Fatal("pointer to array")
	}
	s := a[:]
	s[0] = 50
	if a[0] != 50 {
		t.Fatal("slice of array")
	}
	var grid [2][3]string
	grid[1][2] = "x"
	if grid[1][2] != "x" || grid[0][0] != "" {
		t.Fatal("2D array")
	}
	idx := [5]int{1: 10, 3: 30}
	if idx[1] != 10 || idx[2] != 0 || idx[3] != 30 {
		t.Fatal("keyed array literal")
	}
	sum := 0
	for i, v := range a {
		sum += i * v
	}
	if sum != 6+140 {
		t.Fatalf("range over array: %d", sum)
	}
}

func TestMaps(t *testing.T) {
	m := map[string]int{"one": 1, "two": 2}
	m["three"] = 3
	if len(m) != 3 || m["two"] != 2 {
		t.Fatal("basic")
	}
	if v, ok := m["none"]; ok || v != 0 {
		t.Fatal("missing key")
	}
	delete(m, "one")
	delete(m, "none")
	if _, ok := m["one"]; ok || len(m) != 2 {
		t.Fatal("delete")
	}
	m["two"]++
	m["new"] += 5
	if m["two"] != 3 || m["new"] != 5 {
		t.Fatal("op-assign on map entries")
	}
	keys := make([]string, 0, len(m))
	sum := 0
	for k, v := range m {
		keys = append(keys, k)
		sum += v
	}
	sort.Strings(keys)
	if fmt.Sprint(keys) != "[new three two]" || sum != 11 {
		t.Fatalf("iteration content: %v %d", keys, sum)
	}
	var nilMap map[string]int
	if nilMap["x"] != 0 || len(nilMap) != 0 {
		t.Fatal("read of nil map")
	}
	for range nilMap {
		t.Fatal("range over nil map")
	}
	delete(nilMap, "x") // no-op
	type key struct {
		a int
		b string
	}
	sk := map[key][]int{}
	sk[key{1, "x"}] = append(sk[key{1, "x"}], 5)
	sk[key{1, "x"}] = append(sk[key{1, "x"}], 6)
	if len(sk) != 1 || len(sk[key{1, "x"}]) != 2 {
		t.Fatal("struct keys")
	}
	ak := map[[2]int]bool{{1, 2}: true}
	if !ak[[2]int{1, 2}] || ak[[2]int{2, 1}] {
		t.Fatal("array keys")
	}
	fk := map[float64]string{0.5: "half"}
	if fk[0.5] != "half" {
		t.Fatal("float keys")
	}
	// deleting during iteration is allowed
	big := map[int]int{}
	for i := 0; i < 100; i++ {
		big[i] = i
	}
	for k := range big {
		if k%2 == 1 {
			delete(big, k)
		}
	}
	if len(big) != 50 {
		t.Fatalf("delete while ranging: %d", len(big))
	}
	nested := map[string]map[string]int{}
	if nested["a"] == nil {
		nested["a"] = map[string]int{}
	}
	nested["a"]["b"] = 1
	if nested["a"]["b"] != 1 {
		t.Fatal("nested maps")
	}
	// maps are references
	alias := m
	alias["shared"] = 1
	if m["shared"] != 1 {
		t.Fatal("maps share")
	}
}

func TestStringsAndRunes(t *testing.T) {
	s := "naïve 日本"
	if len(s) != 13 {
		t.Fatalf("byte length %d", len(s))
	}
	runes := []rune(s)
	if len(runes) != 8 || runes[2] != 'ï' || runes[6] != '日' {
		t.Fatal("rune conversion")
	}
	if string(runes[6:]) != "日本" {
		t.Fatal("runes back to string")
	}
	var idx []int
	var rs []rune
	for i, r := range s {
		idx = append(idx, i)
		rs = append(rs, r)
	}
	if fmt.Sprint(idx) != "[0 1 2 4 5 6 7 10]" || rs[7] != '本' {
		t.Fatalf("range over string: %v", idx)
	}
	if s[0] != 'n' || s[2] != 0xc3 {
		t.Fatal("byte index")
	}
	bad := string([]byte{0xff, 'a'})
	for i, r := range bad {
		if i == 0 && r != 0xFFFD {
			t.Fatal("invalid UTF-8 gives U+FFFD")
		}
	}
	if string(rune(65)) != "A" || string(rune(0x65e5)) != "日" {
		t.Fatal("string(rune)")
	}
	b := []byte("abc")
	b[0] = 'X'
	if string(b) != "Xbc" {
		t.Fatal("bytes")
	}
	if "abc" < "abd" != true || "b" <= "abc" || "" >= "a" {
		t.Fatal("comparison")
	}
	cat := "a"
	cat += "b" + "c"
	if cat != "abc" {
		t.Fatal("concatenation")
	}
	if s[7:10] != "日" {
		t.Fatal("substring")
	}
	raw := `a\nb`
	if len(raw) != 4 {
		t.Fatal("raw string")
	}
	if '\n' != 10 || '\x41' != 'A' || '\u00e9' != 'é' {
		t.Fatal("rune literals")
	}
}
