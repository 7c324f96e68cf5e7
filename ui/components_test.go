package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// Each component drawn alone at fixed sizes, without colour, beside the
// whole-app goldens: a change to one shows in its own file.
// `go test ./ui -run TestComponents -update` rewrites them.
func TestComponents(t *testing.T) {
	ulsan := findID(t, "kind:facility ulsan")

	t.Run("tabbar", func(t *testing.T) {
		m := embeddedModel(t, Options{})
		var out []string
		for _, w := range []int{120, 100, 70, 50, 30} {
			for _, tab := range []int{0, 3, 5} {
				b := m.browse
				b.bar.SetSize(w, 1)
				counts := make([]int, len(b.specs))
				for i := range counts {
					counts[i] = b.tabCount(i)
				}
				b.bar.render(tab, counts)
				out = append(out, b.bar.View())
			}
		}
		golden.RequireEqual(t, []byte(strings.Join(out, "\n")+"\n"))
	})

	t.Run("table", func(t *testing.T) {
		m := embeddedModel(t, Options{})
		resize(m, 80, 14)
		press(m, "4") // Facilities, largest first
		tab := m.browse.cur()
		golden.RequireEqual(t, []byte(tab.View()+"\n"))
	})

	t.Run("statusline", func(t *testing.T) {
		m := embeddedModel(t, Options{})
		sl := newStatusLine(m.c)
		filter := func(w int) string { return `filter "` + clip(strings.Repeat("long query ", 6), w-9) + `"` }
		parts := []statusPart{
			{text: "Facilities 3 of 148"},
			{text: filter(1 << 20), drop: 1, shrink: filter},
			{text: "sort MW ↓", drop: 4},
			{text: "● 2 marked", drop: 3},
			{text: "currency USD", drop: 5},
		}
		var out []string
		for _, w := range []int{140, 100, 70, 50, 30} {
			sl.SetSize(w, 1)
			sl.set(parts...)
			out = append(out, sl.View())
		}
		golden.RequireEqual(t, []byte(strings.Join(out, "\n")+"\n"))
	})

	t.Run("searchline", func(t *testing.T) {
		m := embeddedModel(t, Options{})
		sl := newSearchLine(m.c)
		sl.SetSize(60, 1)
		sl.open("foo:bar")
		out := sl.Lines(`invalid filter: unknown field "foo" (fields: kind, company, provider, country, area) (at column 1)`, 4)
		out = append(out, sl.View(" 3 here, 10 in all tabs"))
		golden.RequireEqual(t, []byte(strings.Join(out, "\n")+"\n"))
	})

	t.Run("preview", func(t *testing.T) {
		m := embeddedModel(t, Options{})
		r, ok := m.c.ds.Get(ulsan)
		if !ok {
			t.Fatal(ulsan)
		}
		p := newPreview(m.c)
		p.SetSize(44, 24)
		p.show(r, true)
		golden.RequireEqual(t, []byte(p.View()+"\n"))
	})
}
