package ui

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// TestSessionsIsolated opens two sessions on one catalog with different
// currencies and sorts, and a third on a catalog of another dataset: what one
// session chooses never shows in another, while the orders they computed are
// shared within a catalog only.
func TestSessionsIsolated(t *testing.T) {
	t.Parallel()
	ds := smallDataset(t)
	cat := NewCatalog(search.NewEngine(ds))
	usd := newTestModelOn(t, cat, Options{Currency: "USD", Tab: "investments"})
	orig := newTestModelOn(t, cat, Options{Tab: "investments"})
	other := newTestModelOn(t, NewCatalog(search.NewEngine(smallDataset(t))), Options{Tab: "investments"})
	for _, m := range []*Model{usd, orig, other} {
		resize(m, 100, 30)
	}
	amount := func(m *Model) string {
		t.Helper()
		tab := m.browse.cur()
		for i, col := range tab.spec.cols {
			if col.title == "Amount" {
				idx, ok := tab.selected()
				if !ok {
					t.Fatal("no row selected")
				}
				return tab.cellsOf(idx)[i]
			}
		}
		t.Fatal("the Investments tab has no Amount column")
		return ""
	}
	if got := amount(usd); !strings.Contains(got, "≈USD") {
		t.Fatalf("USD session shows %q", got)
	}
	if got := amount(orig); strings.HasPrefix(got, "≈") {
		t.Fatalf("session in original currencies shows %q", got)
	}
	// The USD session changes currency and sorts by the investor; the other
	// sessions keep their own view.
	press(usd, "$", "s")
	if usd.c.currency == orig.c.currency {
		t.Fatalf("currency %q leaked", usd.c.currency)
	}
	if got := amount(orig); strings.HasPrefix(got, "≈") || !strings.Contains(orig.View(), "currency original") {
		t.Fatalf("after the other session's $: %q\n%s", got, orig.View())
	}
	if orig.browse.cur().sortCol != -1 || other.browse.cur().sortCol != -1 {
		t.Fatal("a sort leaked into another session")
	}
	tab := usd.browse.cur().index
	if _, ok := cat.order(tab, 0); !ok {
		t.Fatal("the sorted order is not in the sessions' catalog")
	}
	if _, ok := other.c.cat.order(tab, 0); ok {
		t.Fatal("an order of one catalog appeared in another")
	}
	// Marks are a session's own.
	press(orig, "space")
	if len(usd.c.marks) != 0 || len(orig.c.marks) != 1 {
		t.Fatalf("marks: usd %v, orig %v", usd.c.marks, orig.c.marks)
	}
}

// TestSessionsConcurrent drives sessions of one catalog at once, each with
// its own currency and sort, under -race: the catalog is the only thing
// they share, and it must be safe to.
func TestSessionsConcurrent(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(2000, 5)
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	cat := withLimits(ds, func(l *limits) { l.asyncSortMin = 100 })
	var wg sync.WaitGroup
	for i, cur := range []string{"USD", "EUR", "CNY", "original"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := newTestModelOn(t, cat, Options{Currency: cur})
			resize(m, 120, 40)
			for tab := 1; tab <= 6; tab++ {
				press(m, string(rune('0'+tab)))
				for range i + 1 {
					press(m, "s")
				}
				press(m, "$", "G", "g")
			}
		}()
	}
	wg.Wait()
}

// TestTabSwitchRanksInCommand: under a search with words, a tab shown for
// the first time with many matches lists them in its order at once and gets
// its best rows first from a command; the rows are the same records.
func TestTabSwitchRanksInCommand(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(3000, 7)
	if err := ds.Build(); err != nil {
		t.Fatal(err)
	}
	m := newTestModelOn(t, withLimits(ds, func(l *limits) { l.asyncRankMin = 1 }), Options{})
	resize(m, 100, 30)
	press(m, "/")
	typeText(m, "data")
	press(m, "enter")
	b := m.browse
	_, cmd := m.Update(keyMsg("4"))
	tab := b.cur()
	if cmd == nil || !tab.rankPending {
		t.Fatalf("switch: command %v, pending %v; want the ranking in a command", cmd != nil, tab.rankPending)
	}
	before := slices.Clone(tab.rows)
	if len(before) == 0 {
		t.Fatal("the query matches no facility; pick another word")
	}
	if !slices.IsSortedFunc(before, func(a, z int32) int {
		return slices.Index(b.c.cat.base(tab.index), a) - slices.Index(b.c.cat.base(tab.index), z)
	}) {
		t.Fatal("while ranking, the rows are not in the tab's order")
	}
	for _, msg := range runCmd(cmd) {
		send(m, msg)
	}
	want := rankTab(ds, b.filter.result, nil, tab.spec.kinds, rankedRows).rows
	if tab.rankPending || !slices.Equal(tab.rows[:len(want)], want) {
		t.Fatalf("after the command: pending %v, rows start %v, want %v", tab.rankPending, tab.rows[:min(len(tab.rows), 5)], want[:min(len(want), 5)])
	}
	if !sameSet(before, tab.rows) {
		t.Fatal("ranking changed which records are listed")
	}
	// A small tab ranks at once, without a command.
	m2 := newTestModel(t, ds, Options{})
	resize(m2, 100, 30)
	press(m2, "/")
	typeText(m2, "data")
	press(m2, "enter")
	if _, cmd := m2.Update(keyMsg("4")); cmd != nil || m2.browse.cur().rankPending {
		t.Fatal("a tab with few matches ranked in a command")
	}
}

func sameSet(a, b []int32) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestCatalogRelatedCounts: the counts the catalog remembers are the
// dataset's, for one kind and for all.
func TestCatalogRelatedCounts(t *testing.T) {
	t.Parallel()
	ds := smallDataset(t)
	cat := NewCatalog(search.NewEngine(ds))
	for _, r := range ds.Records() {
		id := r.RecordID()
		for pass := 0; pass < 2; pass++ {
			if got, want := cat.relatedCount(id, ""), ds.RelatedCount(id); got != want {
				t.Fatalf("%s: %d related, dataset says %d", id, got, want)
			}
			if got, want := cat.relatedCount(id, model.KindFacility), ds.RelatedCount(id, model.KindFacility); got != want {
				t.Fatalf("%s: %d facilities, dataset says %d", id, got, want)
			}
		}
	}
}
