package main

import (
	"sync"
	"sync/atomic"

	"github.com/charmbracelet/log"
	"github.com/dcx-explorer/dcx/search"
	"github.com/dcx-explorer/dcx/ui"
)

// liveCatalog is the catalog (and so the engine) new SSH sessions open on. A reload loads and
// validates the --data dataset beside the one being served and, only if it is
// valid, swaps it in: sessions already open keep the engine they started
// with (their model holds its catalog) until they end, and an invalid file changes
// nothing.
type liveCatalog struct {
	cur atomic.Pointer[ui.Catalog]
	gen atomic.Int64
	mu  sync.Mutex // one reload at a time: two SIGHUPs must not load twice at once
	// swapped, when set, hears of each dataset swapped in (the metrics).
	swapped func(generation int64, records int)
}

func newLiveCatalog(c *ui.Catalog) *liveCatalog {
	l := &liveCatalog{}
	l.cur.Store(c)
	l.gen.Store(1)
	return l
}

func (l *liveCatalog) get() *ui.Catalog { return l.cur.Load() }

// generation counts the datasets served since start, the first being 1.
func (l *liveCatalog) generation() int64 { return l.gen.Load() }

// reload loads e's --data again. Problems of an invalid dataset go to the
// server's stderr, one a line, as at start; the log says the old dataset
// stays.
func (l *liveCatalog) reload(e *env, logger *log.Logger) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.dataPath == "" {
		logger.Info("reload: serving the embedded dataset, which cannot change; nothing to do")
		return
	}
	logger.Info("reloading", "data", e.dataPath)
	ds, err := e.dataset()
	if err != nil {
		logger.Error("reload failed; still serving the previous dataset", "generation", l.generation(), "err", err)
		return
	}
	engine := search.NewEngine(ds)
	settleMemory(engine, nil)
	l.cur.Store(ui.NewCatalog(engine))
	gen := l.gen.Add(1)
	if l.swapped != nil {
		l.swapped(gen, ds.Len())
	}
	logger.Info("dataset reloaded; new sessions get it, open ones keep theirs", "generation", gen, "records", ds.Len())
}
