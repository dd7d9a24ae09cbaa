// Package hugo_5379 is the GoKer kernel of gohugoio/hugo#5379, rewritten for
// chanfuzz.
//
// GoBench subtype: Resource deadlock / Double locking (no reproduction rate
// stated; the deadlock follows in every schedule once the content-init
// timeout fires). sync.Once acts as a lock here: a second Do waits while
// the first Do's function runs.
//
// Goroutines:
//   - the test goroutine builds one site with one page whose shortcode
//     renders the page's word count, prepares the page (building the
//     shortcode renderers once), then renders the site: it starts two page
//     renderers and waits for them on a WaitGroup;
//   - each renderer asks the page for its word count: initialise the
//     content (contentInit Once), then the plain text (plainInit Once, whose
//     body takes contentInitMu);
//   - the renderer that runs the content Once starts a content worker and
//     waits in a select for its result (channel with one slot) or for a 1ms
//     context timeout; the worker takes contentInitMu and renders the
//     shortcodes.
//
// Blocking interleaving: the shortcode asks for the word count from inside
// the worker. Its content Once waits until the owning renderer gives up
// after the timeout; then its plain-text Once takes contentInitMu, which the
// worker itself holds: it blocks for ever, inside the plainInit Once. The
// renderers block on contentInitMu or on the plainInit Once, and the test
// goroutine on the WaitGroup: a global deadlock.
//
// Fix (upstream, gohugoio/hugo#5379): shortcodes see the page through a
// "page without content" view whose content-derived methods (such as
// WordCount) return zero values instead of initialising the content, so
// the worker never re-enters the content or plain-text initialisation.
package hugo_5379

import (
	"context"
	"sync"
	"testing"
	"time"
)

type page struct {
	contentOnce   sync.Once
	plainOnce     sync.Once
	viewOnce      sync.Once
	contentInitMu sync.Mutex
	view          *pageWithoutContent
	shortcodes    *shortcodeHandler
	words         int
	fixed         bool
}

// pageWithoutContent is what shortcodes see of their page.
type pageWithoutContent struct {
	*page
}

// WordCount on the shortcode's view: the fixed variant does not touch the
// content the shortcode is part of.
func (v *pageWithoutContent) WordCount() int {
	if v.page.fixed {
		return 0
	}
	return v.page.WordCount() // buggy: re-enters content initialisation
}

type shortcodeHandler struct {
	p         *pageWithoutContent
	once      sync.Once
	renderers map[int]func() error
	delta     map[int]func() error
}

func (s *shortcodeHandler) updateDelta() {
	s.once.Do(func() {
		p := s.p
		s.renderers = map[int]func() error{0: func() error {
			p.WordCount()
			return nil
		}}
	})
	delta := make(map[int]func() error)
	for k, r := range s.renderers {
		delta[k] = r
	}
	s.delta = delta
}

func (s *shortcodeHandler) executeDelta() error {
	for _, render := range s.delta {
		if err := render(); err != nil {
			return err
		}
	}
	return nil
}

func (p *page) withoutContent() *pageWithoutContent {
	p.viewOnce.Do(func() { p.view = &pageWithoutContent{page: p} })
	return p.view
}

func (p *page) WordCount() int {
	p.initContent()
	p.initPlain(true)
	return p.words
}

func (p *page) initPlain(lock bool) {
	p.plainOnce.Do(func() {
		if lock {
			p.contentInitMu.Lock()
			defer p.contentInitMu.Unlock()
		}
		p.words = 1
	})
}

func (p *page) initContent() {
	p.contentOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		result := make(chan error, 1)
		go func() {
			p.contentInitMu.Lock()
			defer p.contentInitMu.Unlock()
			result <- p.shortcodes.executeDelta()
		}()
		select {
		case <-ctx.Done():
		case <-result:
		}
	})
}

func renderSite(pages []*page) {
	for _, p := range pages {
		p.shortcodes.updateDelta()
	}
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, p := range pages {
				p.WordCount()
			}
		}()
	}
	wg.Wait()
}

func newPage(fixed bool) *page {
	p := &page{fixed: fixed}
	p.shortcodes = &shortcodeHandler{p: p.withoutContent()}
	return p
}

// TestHugo5379_buggy: the content worker re-enters the plain-text Once and
// locks contentInitMu a second time.
//
//chanfuzz:expect global_deadlock
func TestHugo5379_buggy(t *testing.T) {
	renderSite([]*page{newPage(false)})
}

// TestHugo5379_fixed: the shortcode's view answers WordCount without
// initialising the content.
func TestHugo5379_fixed(t *testing.T) {
	renderSite([]*page{newPage(true)})
}
