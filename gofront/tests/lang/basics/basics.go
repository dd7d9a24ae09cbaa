// Package basics exercises the language as the frontend translates it:
// every test asserts what Go computes, so it passes under go test and must
// stay clean under chanfuzz go test (a mistranslation fails the test, and
// a failed test is a finding).
package basics

import (
	"errors"
	"fmt"
	"strings"
)

type Shape interface {
	Area() int
	Name() string
}

type Rect struct{ W, H int }
type Square struct {
	Rect
	label string
}

func (r Rect) Area() int      { return r.W * r.H }
func (r Rect) Name() string   { return "rect" }
func (s *Square) Name() string { return "square " + s.label }

type Counter struct{ n int }

func (c *Counter) Inc() { c.n++ }

func sum[T int | float64](xs []T) T {
	var total T
	for _, x := range xs {
		total += x
	}
	return total
}

func divide(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

var ErrNotFound = errors.New("not found")

func find(m map[string]int, k string) (int, error) {
	if v, ok := m[k]; ok {
		return v, nil
	}
	return 0, fmt.Errorf("find %q: %w", k, ErrNotFound)
}

func classify(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case int:
		return fmt.Sprintf("int %d", x)
	case string:
		return "string " + x
	case error:
		return "error " + x.Error()
	case Shape:
		return "shape " + x.Name()
	}
	return "other"
}

func upperWords(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = strings.ToUpper(w)
	}
	return strings.Join(words, "-")
}
