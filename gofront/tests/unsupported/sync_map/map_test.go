package sync_map

import (
	"sync"
	"testing"
)

func TestMap(t *testing.T) {
	var m sync.Map
	m.Store("k", 1)
}
