package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/dcx-explorer/dcx/data/synth"
	"github.com/dcx-explorer/dcx/model"
	"github.com/dcx-explorer/dcx/search"
)

// BenchmarkView measures the root model's View at 200x60 on 100,000
// generated records, in each view. The "frame" sub-benchmarks add the
// Update of a key press, which is where rows are formatted: together they
// are the cost of one keystroke on screen.
//
//	go test ./ui -run '^$' -bench BenchmarkView -benchmem
func BenchmarkView(b *testing.B) {
	ds := synth.Generate(100_000, 1)
	if err := ds.Build(); err != nil {
		b.Fatal(err)
	}
	// One catalog for every model, as cmd builds it once per dataset.
	cat := NewCatalog(search.NewEngine(ds))
	setup := func(b *testing.B, opts Options, keys ...string) *Model {
		opts.Renderer = asciiRenderer()
		mm, err := New(cat, opts)
		if err != nil {
			b.Fatal(err)
		}
		m := mm.(*Model)
		resize(m, 200, 60)
		press(m, keys...)
		return m
	}
	// Two records of different kinds to compare, and the first facility.
	var facility, investment string
	for _, r := range ds.Records() {
		switch r.RecordKind() {
		case model.KindFacility:
			if facility == "" {
				facility = r.RecordID()
			}
		case model.KindInvestment:
			if investment == "" {
				investment = r.RecordID()
			}
		}
	}
	cases := []struct {
		name string
		opts Options
		keys []string
	}{
		{"browse", Options{Tab: "facilities"}, nil},
		{"filtered", Options{Tab: "facilities", Query: "ulsan"}, nil},
		{"detail", Options{Open: facility}, nil},
		{"compare", Options{}, nil},
	}
	for _, tc := range cases {
		m := setup(b, tc.opts, tc.keys...)
		if tc.name == "compare" {
			m.c.toggleMark(facility)
			m.c.toggleMark(investment)
			send(m, openCompareMsg{})
		}
		if tc.name == "filtered" && len(m.browse.cur().rows) == 0 {
			b.Fatal("the filter matches nothing: not a filtered-browse benchmark")
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
		b.Run(tc.name+"/frame", func(b *testing.B) {
			b.ReportAllocs()
			down, up := tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyUp}
			i := 0
			for b.Loop() {
				// Alternate so the cursor keeps moving instead of resting at
				// an edge.
				k := down
				if i%2 == 1 {
					k = up
				}
				i++
				m.Update(k)
				_ = m.View()
			}
		})
	}
}
