// Package moby_25384 is the GoKer kernel of moby/moby#25384 (fix commit
// 42360d164b9f), rewritten for chanfuzz.
//
// GoBench subtype: Mixed deadlock / Misuse of WaitGroup. The GoBench authors
// report 100/100 reproductions.
//
// Goroutines:
//   - the test goroutine starts the plugin manager's init on a goroutine and
//     returns;
//   - init adds the number of plugins (two) to a WaitGroup once, then for each
//     plugin starts a loader goroutine and, still inside the loop, waits on
//     the WaitGroup;
//   - each loader goroutine calls Done when it finishes.
//
// Blocking interleaving: none is needed. After the first loader is started
// init waits for the counter to reach zero, but only one Done will ever come
// before the second loader is started, and the second loader is only started
// after Wait returns. init blocks in Wait for ever (the first loader exits).
//
// Fix (upstream): call Wait once, after the loop has started every loader.
package moby_25384

import (
	"sync"
	"testing"
)

type plugin struct {
	name   string
	loaded bool
}

type manager struct {
	plugins []*plugin
	fix     bool
}

func (m *manager) init() {
	var loading sync.WaitGroup
	loading.Add(len(m.plugins))
	for _, p := range m.plugins {
		go func(p *plugin) {
			defer loading.Done()
			p.loaded = true
		}(p)
		if !m.fix {
			loading.Wait() // needs len(m.plugins) Dones; only one can have come
		}
	}
	if m.fix {
		loading.Wait()
	}
}

func newManager(fix bool) *manager {
	return &manager{
		plugins: []*plugin{{name: "volume"}, {name: "network"}},
		fix:     fix,
	}
}

// TestMoby25384_buggy: init waits inside the loop and leaks in Wait.
//
//chanfuzz:expect partial_deadlock
func TestMoby25384_buggy(t *testing.T) {
	go newManager(false).init()
}

// TestMoby25384_fixed: init waits once, after starting both loaders.
func TestMoby25384_fixed(t *testing.T) {
	go newManager(true).init()
}
