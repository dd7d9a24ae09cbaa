// Package stdpure: the strings, strconv, sort, unicode and bytes
// functions tests use, translated from GOROOT or modelled.
package stdpure

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// strings.Index and all that reach it (Contains, Split, Replace, Cut,
// Count, LastIndex, bytes.Index, and Trim/TrimLeft through ContainsRune):
// lang/regress/strings_index.
func TestStrings(t *testing.T) {
	checks := []struct {
		got, want interface{}
		what      string
	}{
		{strings.HasPrefix("golang", "go"), true, "HasPrefix"},
		{strings.HasSuffix("golang", "ng"), true, "HasSuffix"},
		{strings.IndexByte("abc", 'c'), 2, "IndexByte"},
		{strings.Repeat("ab", 3), "ababab", "Repeat"},
		{strings.ToUpper("Hello"), "HELLO", "ToUpper"},
		{strings.ToLower("HeLLo"), "hello", "ToLower"},
		{strings.TrimSpace("  \t x y \n"), "x y", "TrimSpace"},
		{strings.TrimPrefix("prefix-body", "prefix-"), "body", "TrimPrefix"},
		{strings.TrimSuffix("a.go", ".go"), "a", "TrimSuffix"},
		{strings.Join([]string{"a", "b", "c"}, ", "), "a, b, c", "Join"},
		{strings.Title("x"), "X", "Title"},
		{strings.EqualFold("Go", "GO"), true, "EqualFold"},
		{strings.Compare("a", "b"), -1, "Compare"},
		{strings.Map(func(r rune) rune { return r + 1 }, "abc"), "bcd", "Map"},
		{strings.IndexFunc("ab1", unicode.IsDigit), 2, "IndexFunc"},
		{strings.TrimFunc("12ab34", unicode.IsDigit), "ab", "TrimFunc"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	if f := strings.Fields("  a  b\tc\n"); len(f) != 3 || f[2] != "c" {
		t.Errorf("Fields: %q", f)
	}
	var b strings.Builder
	for i := 0; i < 3; i++ {
		b.WriteString("x")
		b.WriteByte('-')
		b.WriteRune('é')
	}
	if b.String() != "x-éx-éx-é" || b.Len() != 12 {
		t.Errorf("Builder: %q %d", b.String(), b.Len())
	}
}

func TestStrconv(t *testing.T) {
	if strconv.Itoa(0) != "0" || strconv.Itoa(-123) != "-123" {
		t.Error("Itoa")
	}
	if n, err := strconv.Atoi("456"); n != 456 || err != nil {
		t.Error("Atoi")
	}
	if _, err := strconv.Atoi("12a"); err == nil || err.Error() != `strconv.Atoi: parsing "12a": invalid syntax` {
		t.Errorf("Atoi error: %v", err)
	}
	if strconv.FormatInt(255, 16) != "ff" || strconv.FormatInt(-8, 2) != "-1000" {
		t.Error("FormatInt")
	}
	if strconv.Quote("a\"b\n") != `"a\"b\n"` {
		t.Errorf("Quote: %s", strconv.Quote("a\"b\n"))
	}
	if n, err := strconv.ParseInt("-7f", 16, 64); n != -127 || err != nil {
		t.Errorf("ParseInt: %d %v", n, err)
	}
	if b, err := strconv.ParseBool("true"); !b || err != nil {
		t.Error("ParseBool")
	}
	if strconv.FormatBool(false) != "false" {
		t.Error("FormatBool")
	}
	if s, err := strconv.Unquote(`"x\ty"`); s != "x\ty" || err != nil {
		t.Error("Unquote")
	}
	if u, err := strconv.ParseUint("42", 10, 8); u != 42 || err != nil {
		t.Error("ParseUint")
	}
	if _, err := strconv.ParseUint("300", 10, 8); err == nil {
		t.Error("ParseUint range")
	}
}

type byLen []string

func (s byLen) Len() int           { return len(s) }
func (s byLen) Less(i, j int) bool { return len(s[i]) < len(s[j]) }
func (s byLen) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

func TestSort(t *testing.T) {
	ints := []int{5, 2, 8, 1, 9, 3}
	sort.Ints(ints)
	for i := 1; i < len(ints); i++ {
		if ints[i-1] > ints[i] {
			t.Fatalf("Ints: %v", ints)
		}
	}
	if sort.SearchInts(ints, 8) != 4 {
		t.Error("SearchInts")
	}
	strs := []string{"pear", "apple", "fig"}
	sort.Strings(strs)
	if strs[0] != "apple" || strs[2] != "pear" {
		t.Errorf("Strings: %v", strs)
	}
	people := []struct {
		name string
		age  int
	}{{"a", 30}, {"b", 20}, {"c", 30}, {"d", 10}}
	sort.SliceStable(people, func(i, j int) bool { return people[i].age < people[j].age })
	if people[0].name != "d" || people[2].name != "a" || people[3].name != "c" {
		t.Errorf("SliceStable: %v", people)
	}
	sort.Slice(people, func(i, j int) bool { return people[i].name > people[j].name })
	if people[0].name != "d" || people[3].name != "a" {
		t.Errorf("Slice: %v", people)
	}
	words := byLen{"ccc", "a", "bb"}
	sort.Sort(words)
	if words[0] != "a" || words[2] != "ccc" || !sort.IsSorted(words) {
		t.Errorf("Sort: %v", words)
	}
	i := sort.Search(100, func(i int) bool { return i*i >= 50 })
	if i != 8 {
		t.Errorf("Search: %d", i)
	}
}

func TestUnicode(t *testing.T) {
	if !unicode.IsSpace(' ') || !unicode.IsSpace('\t') || unicode.IsSpace('x') {
		t.Error("IsSpace")
	}
	if !unicode.IsUpper('Q') || unicode.IsUpper('q') || !unicode.IsLower('é') {
		t.Error("IsUpper/IsLower")
	}
	if !unicode.IsLetter('z') || unicode.IsLetter('1') || !unicode.IsDigit('7') {
		t.Error("IsLetter/IsDigit")
	}
	if !unicode.IsPunct('!') || unicode.IsPunct('a') || !unicode.IsNumber('3') {
		t.Error("IsPunct/IsNumber")
	}
	if unicode.ToUpper('a') != 'A' || unicode.ToLower('Ä') != 'ä' || unicode.ToTitle('b') != 'B' {
		t.Error("case mapping")
	}
	if !unicode.IsControl('\n') || !unicode.IsPrint('~') || unicode.IsPrint('\x00') {
		t.Error("IsControl/IsPrint")
	}
}

func TestBytes(t *testing.T) {
	var buf bytes.Buffer
	buf.WriteString("hello ")
	buf.Write([]byte("world"))
	if buf.String() != "hello world" || buf.Len() != 11 {
		t.Errorf("Buffer: %q", buf.String())
	}
	if !bytes.Equal([]byte("a"), []byte("a")) || bytes.Compare([]byte("a"), []byte("b")) != -1 {
		t.Error("Equal/Compare")
	}
	if string(bytes.ToUpper([]byte("abc"))) != "ABC" || string(bytes.TrimSpace([]byte(" x "))) != "x" {
		t.Error("ToUpper/TrimSpace")
	}
}
